"""The recovery-contact recipe end to end with fresh keys, and the parse errors the vectors
leave out (tests/vectors/contact_recovery.json covers the rest, in Python and the browser)."""

from __future__ import annotations

import pytest

from dossier import crypto as c
from dossier.crypto import recovery as r


def _setup(youth: c.Identity, contact: c.Identity, sealed: bytes) -> r.RecoverySetup:
    entry = r.RecoveryContact(
        account="coach", fingerprint=contact.public.fingerprint(), share_sha256=r.share_hash(sealed)
    )
    return r.sign_recovery_setup(
        youth, account="youth", setup="s1", contacts=[entry], wait_seconds=r.DEFAULT_WAIT
    )


def test_contact_and_server_together_open_the_bundle_and_neither_alone() -> None:
    youth, contact, device = c.Identity.generate(), c.Identity.generate(), c.Identity.generate()
    split = r.new_recovery_split()
    bundle = r.seal_contact_bundle(youth, split.key, "youth")
    sealed = r.seal_contact_share(contact.public.box_pk, split.contact_share)
    setup = r.RecoverySetup.from_json(_setup(youth, contact, sealed).to_json())
    r.check_share_for(
        setup, youth.public.sign_pk, account="youth", contact_id="coach", sealed_share=sealed
    )
    resealed = r.reseal_share(contact.box, sealed, device.public.box_pk)
    share = r.open_share(device.box, resealed)
    opened = r.open_contact_bundle(bundle, split.server_share, share, "youth")
    assert opened.secret() == youth.secret()
    for guess in (bytes(32), split.server_share):
        with pytest.raises(c.TamperedError):
            r.open_contact_bundle(bundle, split.server_share, guess, "youth")
    with pytest.raises(c.TamperedError):
        r.open_share(contact.box, resealed)


@pytest.mark.parametrize(
    "change",
    [{"contacts": "coach"}, {"contacts": ["coach"]}, {"wait_seconds": True}],
)
def test_setup_parse_errors(change: dict[str, object]) -> None:
    youth, contact = c.Identity.generate(), c.Identity.generate()
    good = _setup(youth, contact, bytes(80)).to_json()
    with pytest.raises(c.MalformedError):
        r.RecoverySetup.from_json({**good, **change})


def test_a_fresh_challenge_gives_another_code() -> None:
    device = c.Identity.generate().public.box_pk
    first, second = r.new_challenge(), r.new_challenge()
    assert len(first) == r.CHALLENGE_BYTES
    assert first != second
    assert r.short_code(device, "req", first) == r.short_code(device, "req", first)
    assert len(r.short_code(device, "req", first)) == 7
