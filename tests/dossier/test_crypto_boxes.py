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
    owner = c.Identity.generate()
    pair, other = c.SectionKeyPair.generate(), c.SectionKeyPair.generate()
    signed = c.sign_section_key(owner, "d", "verhaal", 3, pair.pk)
    env = c.make_read_envelope(
        grant="g", section_key=signed, section_sk=pair.sk, grantee_box_pk=ALICE.public.box_pk
    )
    again = c.ReadGrantEnvelope.from_json(env.to_json())
    assert again == env
    assert bytes(c.open_read_envelope(again, ALICE.box, signed).public_key) == pair.pk
    later = c.sign_section_key(owner, "d", "verhaal", 4, pair.pk)
    with pytest.raises(c.TamperedError):  # the server relabels the envelope's key version
        c.open_read_envelope(again, ALICE.box, later)
    with pytest.raises(c.TamperedError):  # only the signed key's private half is sealed
        c.seal_grant_envelope(other.sk, ALICE.public.box_pk, grant="g", section_key=signed)


def test_a_grant_envelope_opens_only_for_its_grant_place_and_key_version() -> None:
    """Issue 19: the envelope binds grant id, dossier, section and key version."""
    owner = c.Identity.generate()
    pair = c.SectionKeyPair.generate()
    signed = c.sign_section_key(owner, "d", "verhaal", 1, pair.pk)
    sealed = c.seal_grant_envelope(pair.sk, ALICE.public.box_pk, grant="g1", section_key=signed)
    assert bytes(c.open_grant_envelope(sealed, ALICE.box, grant="g1", section_key=signed)) == bytes(
        pair.sk
    )
    with pytest.raises(c.TamperedError):
        c.open_grant_envelope(sealed, ALICE.box, grant="g2", section_key=signed)
    moved = c.sign_section_key(owner, "d", "plan", 1, pair.pk)
    with pytest.raises(c.TamperedError):
        c.open_grant_envelope(sealed, ALICE.box, grant="g1", section_key=moved)
    bare = c.seal_to(ALICE.public.box_pk, bytes(pair.sk))  # a v1 envelope, without binding
    with pytest.raises(c.TamperedError):
        c.open_grant_envelope(bare, ALICE.box, grant="g1", section_key=signed)
    binding = c.envelope_binding(grant="g1", dossier="d", section="verhaal", key_version=1)
    wrong = c.seal_to(ALICE.public.box_pk, bytes(c.SectionKeyPair.generate().sk) + binding)
    with pytest.raises(c.TamperedError):
        c.open_grant_envelope(wrong, ALICE.box, grant="g1", section_key=signed)


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


def test_an_invite_card_opens_with_its_link_token_only() -> None:
    """Whoever holds the invite link reads who invites; another link's token reads nothing."""
    card = {"display_name": "Alice"}
    token = "k3Jd-9xQ"
    sealed = c.seal_profile_card(
        card,
        sender_id="alice",
        sender=ALICE,
        recipient_id=c.INVITE_RECIPIENT,
        recipient_box_pk=bytes(c.invite_card_key(token).public_key),
    )

    def opened(with_token: str) -> dict[str, object]:
        return c.open_profile_card(
            sealed,
            box_key=c.invite_card_key(with_token),
            recipient_id=c.INVITE_RECIPIENT,
            sender_id="alice",
            sender_sign_pk=ALICE.public.sign_pk,
        )

    assert opened(token) == card
    with pytest.raises(c.TamperedError):
        opened("k3Jd-9xR")


@pytest.mark.parametrize(
    "plaintext",
    [
        b"not json",
        c.canonical({"v": 1}),
        c.canonical({"v": c.VERSION, "from": "alice", "to": "bob"}),
        c.canonical({"v": c.VERSION, "from": "alice", "to": "bob", "card": [1], "sig": ""}),
        c.canonical({"v": c.VERSION, "from": "alice", "to": "bob", "card": {}, "sig": "!"}),
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


@given(st.lists(st.binary(max_size=80), min_size=1, max_size=8))
def test_batch_round_trip(values: list[bytes]) -> None:
    sealed = c.seal_values(ALICE.public.box_pk, values)
    assert [c.ValueOpener(ALICE.box).open(v) for v in sealed] == values
    assert all(len(s) == c.BATCH_OVERHEAD + len(v) for s, v in zip(sealed, values, strict=True))
    with pytest.raises(c.TamperedError):
        c.ValueOpener(BOB.box).open(sealed[0])


def test_a_batch_shares_one_ephemeral_key_but_never_a_nonce() -> None:
    sealed = c.seal_values(ALICE.public.box_pk, [b"Verpleegkunde-4A"] * 3)
    assert len({s[:33] for s in sealed}) == 1  # version byte and ephemeral key
    assert len({s[33:57] for s in sealed}) == 3  # a nonce each
    assert len(set(sealed)) == 3  # equal groups cannot be told apart
    assert sealed[0][:33] != c.seal_values(ALICE.public.box_pk, [b"x"])[0][:33]


def test_a_closed_batch_seals_nothing() -> None:
    with c.BatchSealer(ALICE.public.box_pk) as sealer:
        sealer.seal(b"a")
    with pytest.raises(c.CryptoError):
        sealer.seal(b"b")


def test_the_value_opener_also_opens_classic_sealed_boxes() -> None:
    assert c.open_value(ALICE.box, c.seal_to(ALICE.public.box_pk, b"oud")) == b"oud"
