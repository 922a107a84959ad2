from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier import crypto as c

ALICE = c.Identity.generate()
BOB = c.Identity.generate()


@given(st.binary(max_size=200))
def test_seal_round_trip(secret: bytes) -> None:
    sealed = c.seal_to(ALICE.public.box_pk, secret)
    assert c.open_sealed(ALICE.box, sealed) == secret
    with pytest.raises(c.TamperedError):
        c.open_sealed(BOB.box, sealed)


def test_read_envelope() -> None:
    pair = c.SectionKeyPair.generate()
    env = c.make_read_envelope(
        grant="g",
        section="verhaal",
        key_version=3,
        section_sk=pair.sk,
        grantee_box_pk=ALICE.public.box_pk,
    )
    again = c.ReadGrantEnvelope.from_json(env.to_json())
    assert again == env
    assert bytes(c.open_read_envelope(again, ALICE.box).public_key) == pair.pk


def test_org_key() -> None:
    org = c.OrgKey.generate()
    sealed = c.seal_org_key(
        org, org="o", member="m", key_version=1, member_box_pk=BOB.public.box_pk
    )
    again = c.SealedOrgKey.from_json(sealed.to_json())
    assert c.open_org_key(again, BOB.box).pk == org.pk
    with pytest.raises(c.TamperedError):
        c.open_org_key(again, ALICE.box)


def _open(sealed: bytes) -> dict[str, object]:
    return c.open_profile_card(
        sealed,
        box_key=BOB.box,
        recipient_id="bob",
        sender_id="alice",
        sender_sign_pk=ALICE.public.sign_pk,
    )


def test_profile_card() -> None:
    card = {"display_name": "Alice", "phone": "06-12345678"}
    sealed = c.seal_profile_card(
        card,
        sender_id="alice",
        sender=ALICE,
        recipient_id="bob",
        recipient_box_pk=BOB.public.box_pk,
    )
    assert _open(sealed) == card
    forged = c.seal_profile_card(
        card, sender_id="alice", sender=BOB, recipient_id="bob", recipient_box_pk=BOB.public.box_pk
    )
    with pytest.raises(c.TamperedError):
        _open(forged)


@pytest.mark.parametrize(
    "plaintext",
    [
        b"not json",
        c.canonical({"v": 2}),
        c.canonical({"v": 1, "from": "alice", "to": "bob"}),
        c.canonical({"v": 1, "from": "alice", "to": "bob", "card": [1], "sig": ""}),
        c.canonical({"v": 1, "from": "alice", "to": "bob", "card": {}, "sig": "!"}),
    ],
)
def test_profile_card_garbage_is_tampered(plaintext: bytes) -> None:
    with pytest.raises(c.TamperedError):
        _open(c.seal_to(BOB.public.box_pk, plaintext))


def test_section_key_json() -> None:
    pair = c.SectionKeyPair.generate()
    signed = c.sign_section_key(ALICE, "d", "s", 1, pair.pk)
    again = c.SignedSectionKey.from_json(signed.to_json())
    again.verify(ALICE.public.sign_pk)
    with pytest.raises(c.TamperedError):
        again.verify(b"short")
