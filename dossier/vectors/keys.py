"""Vectors for key material: the passphrase KDF, sub-keys, the recovery code, identity
fingerprints, the sealed key bundle and owner-signed section keys."""

from __future__ import annotations

import base64

import nacl.bindings

from dossier import crypto as c
from dossier.crypto.kdf import AUTH_HASH_MEMLIMIT, AUTH_HASH_OPSLIMIT
from dossier.vectors._common import (
    Case,
    Json,
    bad,
    det,
    e,
    flip,
    ident,
    ok,
    pub,
    script,
    section_key,
    with_,
)

ACCOUNT = "acct-owner"


def recovery_code() -> bytes:
    return det("recovery/code", 16)


def gen_kdf() -> list[Case]:
    params = c.KdfParams(salt=det("kdf/salt", 16))
    pj = params.to_json()
    key = c.derive_master_key("correct horse rugzak café", params)
    return [
        ok(
            "v1 parameters",
            "derive_master_key",
            {"passphrase": "correct horse rugzak café", "params": pj},
            {"master_key": e(key)},
        ),
        ok(
            "NFD passphrase gives the NFC key",
            "derive_master_key",
            {"passphrase": "correct horse rugzak cafe\u0301", "params": pj},
            {"master_key": e(key)},
        ),
        ok(
            "stronger parameters accepted",
            "kdf_check",
            {"params": with_(pj, opslimit=4, memlimit=2**27)},
            {},
        ),
        bad("opslimit 2 is weak", "kdf_check", {"params": with_(pj, opslimit=2)}, "WeakParameters"),
        bad("32 MiB is weak", "kdf_check", {"params": with_(pj, memlimit=2**25)}, "WeakParameters"),
        bad(
            "argon2i is refused",
            "kdf_check",
            {"params": with_(pj, alg="argon2i13")},
            "WeakParameters",
        ),
        bad(
            "weak parameters refused before deriving",
            "derive_master_key",
            {"passphrase": "x", "params": with_(pj, opslimit=1)},
            "WeakParameters",
        ),
        bad("dropped v 1", "kdf_check", {"params": with_(pj, v=1)}, "UnsupportedVersion"),
        bad(
            "short salt",
            "kdf_check",
            {"params": with_(pj, salt=e(det("s", 16))[:11])},
            "MalformedError",
        ),
    ]


def _subkeys(keys: c.SubKeys) -> Json:
    return {"auth_key": e(keys.auth_key), "wrap_key": e(keys.wrap_key)}


def gen_subkeys() -> list[Case]:
    master = det("subkeys/master")
    code = recovery_code()
    return [
        ok(
            "passphrase sub-keys",
            "derive_subkeys",
            {"master": e(master)},
            _subkeys(c.derive_subkeys(master)),
        ),
        ok(
            "recovery sub-keys",
            "recovery_subkeys",
            {"code": e(code)},
            _subkeys(c.recovery_subkeys(code)),
        ),
        bad("short master key", "derive_subkeys", {"master": e(master[:16])}, "MalformedError"),
    ]


def gen_recovery() -> list[Case]:
    code = recovery_code()
    text = c.format_recovery_code(code)
    loose = text.lower().replace("-", " ")
    return [
        ok("format", "format_recovery_code", {"code": e(code)}, {"text": text}),
        ok("parse canonical", "parse_recovery_code", {"text": text}, {"code": e(code)}),
        ok(
            "parse lower case with spaces",
            "parse_recovery_code",
            {"text": f"  {loose} "},
            {"code": e(code)},
        ),
        ok(
            "all-zero code",
            "parse_recovery_code",
            {"text": "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA"},
            {"code": e(bytes(16))},
        ),
        ok(
            "digit 0 read as letter O",
            "parse_recovery_code",
            {"text": "0" * 25 + "A"},
            {"code": e(c.parse_recovery_code("O" * 25 + "A"))},
        ),
        bad("too short", "parse_recovery_code", {"text": text[:-3]}, "MalformedError"),
        bad("not base32", "parse_recovery_code", {"text": "!" + text[1:]}, "MalformedError"),
        bad(
            "non-zero padding bits",
            "parse_recovery_code",
            {"text": "A" * 25 + "B"},
            "MalformedError",
        ),
    ]


def gen_fingerprint() -> list[Case]:
    _, owner = ident("owner")
    pj = pub(owner)
    fp = c.PublicIdentity.from_json(pj).fingerprint()
    return [
        ok(
            "owner",
            "fingerprint",
            {"public": pj},
            {"fingerprint": e(fp), "formatted": c.format_fingerprint(fp)},
        ),
        ok(
            "all 0xff",
            "format_fingerprint",
            {"fingerprint": e(b"\xff" * 20)},
            {"formatted": "20368 48327 16283 01965 59325 42975"},
        ),
        bad("dropped v 1", "fingerprint", {"public": with_(pj, v=1)}, "UnsupportedVersion"),
        bad(
            "short key", "fingerprint", {"public": with_(pj, box_pk=e(bytes(31)))}, "MalformedError"
        ),
    ]


def gen_bundle() -> list[Case]:
    identity, ij = ident("owner")
    secret = {"box_sk": ij["box_sk"], "sign_seed": ij["sign_seed"]}
    nonce = det("bundle/nonce", 24)
    copies = (  # label, kind, wrap key, nonce
        ("bundle", "bundle", det("bundle/wrap"), nonce),
        (
            "recovery copy",
            "recovery",
            c.recovery_subkeys(recovery_code()).wrap_key,
            det("bundle/recovery-nonce", 24),
        ),
    )
    seals: list[Case] = []
    opens: list[Case] = []
    for label, kind, wrap, draw in copies:
        with script(draw):
            sealed = c.seal_bundle(identity, wrap, ACCOUNT, kind=kind).to_json()
        where = {"wrap_key": e(wrap), "account": ACCOUNT, "kind": kind}
        seals.append(
            ok(
                f"seal {label}",
                "seal_bundle",
                {"identity": ij, **where, "nonce": e(draw)},
                {"sealed": sealed},
            )
        )
        opens.append(ok(f"open {label}", "open_bundle", {"sealed": sealed, **where}, secret))
    base = opens[0]["inputs"]
    sj = base["sealed"]
    return [
        *seals,
        *opens,
        bad(
            "wrong AD: other account",
            "open_bundle",
            with_(base, account="acct-other"),
            "TamperedError",
        ),
        bad(
            "wrong AD: recovery kind", "open_bundle", with_(base, kind="recovery"), "TamperedError"
        ),
        bad(
            "flipped bit",
            "open_bundle",
            with_(base, sealed=with_(sj, ciphertext=flip(sj["ciphertext"]))),
            "TamperedError",
        ),
        bad(
            "wrong wrap key", "open_bundle", with_(base, wrap_key=e(det("other"))), "TamperedError"
        ),
        bad("dropped v 1", "open_bundle", with_(base, sealed=with_(sj, v=1)), "UnsupportedVersion"),
        bad(
            "short nonce",
            "open_bundle",
            with_(base, sealed=with_(sj, nonce=e(nonce[:12]))),
            "MalformedError",
        ),
    ]


def gen_section_key() -> list[Case]:
    owner, oj = ident("owner")
    sk, signed = section_key(owner, "dossier-1", "verhaal", 1)
    sj = signed.to_json()
    base = {"signed": sj, "owner_sign_pk": oj["sign_pk"]}
    _, other = ident("server")
    return [
        ok(
            "sign",
            "sign_section_key",
            {
                "owner": oj,
                "dossier": "dossier-1",
                "section": "verhaal",
                "version": 1,
                "pk": sj["pk"],
                "section_sk": e(sk),
            },
            {"signed": sj},
        ),
        ok("verify", "verify_section_key", base, {}),
        bad(
            "changed version",
            "verify_section_key",
            with_(base, signed=with_(sj, version=2)),
            "TamperedError",
        ),
        bad(
            "substituted key",
            "verify_section_key",
            with_(base, signed=with_(sj, pk=other["box_pk"])),
            "TamperedError",
        ),
        bad(
            "other section",
            "verify_section_key",
            with_(base, signed=with_(sj, section="contact")),
            "TamperedError",
        ),
        bad(
            "not the owner's key",
            "verify_section_key",
            with_(base, owner_sign_pk=other["sign_pk"]),
            "TamperedError",
        ),
        bad(
            "dropped v 1",
            "verify_section_key",
            with_(base, signed=with_(sj, v=1)),
            "UnsupportedVersion",
        ),
    ]


def gen_auth_hash() -> list[Case]:
    """The server's Argon2id string hash of the login proof (`hash_auth_key`, interactive
    limits: t=2, m=19 MiB, p=1), built from a fixed salt so the file never changes."""
    auth_key = det("auth/key")
    salt = det("auth/salt", 16)
    raw = nacl.bindings.crypto_pwhash_alg(
        32,
        auth_key,
        salt,
        AUTH_HASH_OPSLIMIT,
        AUTH_HASH_MEMLIMIT,
        nacl.bindings.crypto_pwhash_ALG_ARGON2ID13,
    )

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode().rstrip("=")

    memory = AUTH_HASH_MEMLIMIT // 1024
    stored = f"$argon2id$v=19$m={memory},t={AUTH_HASH_OPSLIMIT},p=1${b64(salt)}${b64(raw)}"
    base = {"stored": stored, "auth_key": e(auth_key)}
    return [
        ok("the right key", "verify_auth_key", base, {"valid": True}),
        ok(
            "another key",
            "verify_auth_key",
            with_(base, auth_key=e(det("auth/other"))),
            {"valid": False},
        ),
        bad(
            "not an Argon2id string",
            "verify_auth_key",
            with_(base, stored=stored.replace("$argon2id$", "$argon2i$")),
            "MalformedError",
        ),
    ]
