from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier import crypto as c
from dossier.crypto.identity import aead_seal, signed_message, verify_signature


def test_kdf_params_defaults_and_round_trip() -> None:
    params = c.KdfParams.new()
    assert (params.opslimit, params.memlimit, params.alg) == (3, 64 * 1024 * 1024, "argon2id13")
    assert c.KdfParams.from_json(params.to_json()) == params
    assert c.KdfParams.new().salt != params.salt
    params.check()


def test_kdf_params_validation() -> None:
    with pytest.raises(c.UnsupportedVersion):
        c.KdfParams(salt=bytes(16), v=1)
    with pytest.raises(c.MalformedError):
        c.KdfParams(salt=bytes(15))
    weak = c.KdfParams(salt=bytes(16), memlimit=8 * 1024 * 1024)
    with pytest.raises(c.WeakParameters):
        c.derive_master_key("wachtwoord", weak)


def test_subkeys_are_distinct() -> None:
    sub = c.derive_subkeys(bytes(32))
    rec = c.recovery_subkeys(bytes(16))
    assert len({sub.auth_key, sub.wrap_key, rec.auth_key, rec.wrap_key}) == 4


def test_auth_hash() -> None:
    auth = c.derive_subkeys(bytes(range(32))).auth_key
    stored = c.hash_auth_key(auth)
    assert stored.startswith("$argon2id$")
    assert c.verify_auth_key(stored, auth)
    assert not c.verify_auth_key(stored, bytes(32))
    with pytest.raises(c.MalformedError):
        c.verify_auth_key("$unknown$xyz", auth)
    with pytest.raises(c.MalformedError):
        c.verify_auth_key("é", auth)


@given(st.binary(min_size=16, max_size=16))
def test_recovery_code_round_trip(code: bytes) -> None:
    text = c.format_recovery_code(code)
    assert len(text) == 26 + 6
    assert c.parse_recovery_code(text) == code
    assert c.parse_recovery_code(text.lower().replace("-", " ")) == code


def test_new_recovery_code() -> None:
    text = c.new_recovery_code()
    assert [len(g) for g in text.split("-")] == [4, 4, 4, 4, 4, 4, 2]
    assert text != c.new_recovery_code()
    with pytest.raises(c.MalformedError):
        c.parse_recovery_code(None)  # type: ignore[arg-type]


def test_identity_and_bundle() -> None:
    ident = c.Identity.generate()
    assert ident.public != c.Identity.generate().public
    pub = ident.public
    assert c.PublicIdentity.from_json(pub.to_json()) == pub
    wrap = c.derive_subkeys(bytes(32)).wrap_key
    sealed = c.seal_bundle(ident, wrap, "acct")
    again = c.SealedBundle.from_json(sealed.to_json())
    assert c.open_bundle(again, wrap, "acct").public == pub
    with pytest.raises(c.TamperedError):
        c.open_bundle(sealed, wrap, "acct", kind="recovery")
    with pytest.raises(c.MalformedError):
        c.seal_bundle(ident, wrap, "acct", kind="other")


def test_bundle_with_wrong_plaintext_length_is_tampered() -> None:
    wrap = bytes(32)
    nonce = bytes(24)
    ad = c.canonical({"account": "acct", "kind": "bundle"})
    sealed = c.SealedBundle(nonce=nonce, ciphertext=aead_seal(wrap, nonce, bytes(10), ad))
    with pytest.raises(c.TamperedError):
        c.open_bundle(sealed, wrap, "acct")


def test_fingerprint() -> None:
    pub = c.Identity.generate().public
    fp = pub.fingerprint()
    assert len(fp) == 20
    text = c.format_fingerprint(fp)
    assert len(text.split(" ")) == 6
    assert all(len(g) == 5 and g.isdigit() for g in text.split(" "))
    assert c.format_fingerprint(bytes(20)) == "00000 00000 00000 00000 00000 00000"
    other = dataclasses.replace(pub, sign_pk=c.Identity.generate().public.sign_pk)
    assert other.fingerprint() != fp


def test_a_signature_names_its_purpose() -> None:
    """Issue 19: a signature made for one purpose never verifies for another, even over the
    same bytes; an unknown purpose is refused before signing."""
    me = c.Identity.generate()
    signature = me.sign_bytes("statement", b"{}")
    verify_signature(me.public.sign_pk, "statement", b"{}", signature)
    with pytest.raises(c.TamperedError):
        verify_signature(me.public.sign_pk, "receipt", b"{}", signature)
    with pytest.raises(c.MalformedError, match="purpose"):
        me.sign_bytes("anything", b"{}")  # type: ignore[arg-type]
    assert signed_message("entry", b"x") == b"rugzak/v2/entry\x00x"
