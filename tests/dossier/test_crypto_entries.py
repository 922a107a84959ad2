from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier import crypto as c
from tests.dossier.test_crypto_support import DOSSIER, SECTION, entry, expect, receipt, world

AT = datetime(2025, 6, 1, 12, tzinfo=UTC)


def opens(w: Any, sealed: c.SealedEntry, **kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "box_key": w.section.sk,
        "author_sign_pk": w.coach.public.sign_pk,
        "owner_sign_pk": w.owner.public.sign_pk,
        **expect(),
    }
    args.update(kw)
    return c.open_entry(sealed, **args)


def test_round_trip_and_author_copy() -> None:
    w = world()
    sealed = c.SealedEntry.from_json(entry(w, {"t": "ë", "n": [1, None]}).to_json())
    assert opens(w, sealed) == {"t": "ë", "n": [1, None]}
    assert opens(w, sealed, box_key=w.coach.box, use_author_copy=True)["t"] == "ë"
    assert opens(w, sealed, version=1)["t"] == "ë"
    with pytest.raises(c.TamperedError):
        opens(w, sealed, box_key=w.coach.box)


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(max_size=5), st.text(max_size=20) | st.integers(-5, 5)))
def test_round_trip_property(body: dict[str, Any]) -> None:
    """A body opens as it was sealed, in Unicode NFC (canonical JSON normalises strings)."""
    w = WORLD
    assert opens(w, entry(w, body)) == json.loads(c.canonical(body))


WORLD = world()


@pytest.mark.parametrize(
    "field", ["dossier", "section", "entry"], ids=["dossier", "section", "entry"]
)
def test_moved_ciphertext_is_refused(field: str) -> None:
    w = world()
    sealed = entry(w)
    moved = dataclasses.replace(sealed, **{field: "elders"})  # type: ignore[arg-type]
    with pytest.raises(c.TamperedError):
        opens(w, moved, **{field: "elders"})
    with pytest.raises(c.TamperedError):
        opens(w, sealed, **{field: "elders"})


def test_rollback_is_refused() -> None:
    w = world()
    old = entry(w, version=1)
    new = entry(w, {"text": "nieuw"}, version=2)
    assert opens(w, new, version=2) == {"text": "nieuw"}
    with pytest.raises(c.TamperedError):
        opens(w, old, version=2)
    with pytest.raises(c.TamperedError):
        opens(w, dataclasses.replace(old, version=2), version=2)


def test_non_object_body_is_tampered() -> None:
    w = world()
    sealed = entry(w, [1, 2])  # type: ignore[arg-type]
    with pytest.raises(c.TamperedError):
        opens(w, sealed)


def test_section_key_must_match_the_place() -> None:
    w = world(section="verhaal")
    with pytest.raises(c.TamperedError):
        entry(w, section=SECTION)


def test_rewrap_keeps_authorship_across_rotations() -> None:
    w = world()
    sealed = entry(w)
    current, sk = sealed, w.section.sk
    for version in (2, 3):
        pair = c.SectionKeyPair.generate()
        signed = c.sign_section_key(w.owner, DOSSIER, SECTION, version, pair.pk)
        current = c.rewrap_entry(current, old_section_sk=sk, new_section_key=signed, owner=w.owner)
        sk = pair.sk
        assert current.ciphertext == sealed.ciphertext
        assert current.signature == sealed.signature
        assert (current.key_version, current.signed_key_version) == (version, 1)
        assert opens(w, c.SealedEntry.from_json(current.to_json()), box_key=sk) == {"text": "hallo"}
    with pytest.raises(c.TamperedError):
        opens(w, current, box_key=sk, owner_sign_pk=w.coach.public.sign_pk)
    with pytest.raises(c.TamperedError):
        opens(w, current, box_key=sk, owner_sign_pk=None)


def test_rewrap_refuses_a_key_for_another_section() -> None:
    w = world()
    pair = c.SectionKeyPair.generate()
    signed = c.sign_section_key(w.owner, DOSSIER, "verhaal", 2, pair.pk)
    with pytest.raises(c.TamperedError):
        c.rewrap_entry(entry(w), old_section_sk=w.section.sk, new_section_key=signed, owner=w.owner)


def test_rewrap_signature_without_rotation_is_refused() -> None:
    w = world()
    sealed = entry(w)
    with pytest.raises(c.TamperedError):
        opens(w, dataclasses.replace(sealed, rewrap_signature=bytes(64)))


def test_entry_data_key_and_malformed_fields() -> None:
    w = world()
    sealed = entry(w)
    key = c.entry_data_key(
        sealed, box_key=w.section.sk, author_sign_pk=w.coach.public.sign_pk, **expect()
    )
    assert len(key) == 32
    with pytest.raises(c.MalformedError):
        dataclasses.replace(sealed, ciphertext=b"short")
    with pytest.raises(c.MalformedError):
        dataclasses.replace(sealed, rewrap_signature=b"short")
    with pytest.raises(c.UnsupportedVersion):
        dataclasses.replace(sealed, v=1)


def test_reader_accepts_owner_and_append_grantee() -> None:
    w = world()
    grant = receipt(w, w.coach)
    common: dict[str, Any] = {
        "box_key": w.section.sk,
        "at": AT,
        "owner_id": "youth-1",
        "owner": w.owner.public,
        "receipts": [(grant, w.coach.public)],
        **expect(),
    }
    assert c.verify_and_open_entry(entry(w), **common) == {"text": "hallo"}
    own = entry(w, author_id="youth-1", author=w.owner)
    assert c.verify_and_open_entry(own, **common) == {"text": "hallo"}


def test_planted_entry_is_refused() -> None:
    w = world()
    server = c.Identity.generate()
    planted = entry(w, author_id="server", author=server)
    with pytest.raises(c.UnauthorisedAuthor):
        c.verify_and_open_entry(
            planted,
            box_key=w.section.sk,
            at=AT,
            owner_id="youth-1",
            owner=w.owner.public,
            receipts=[(receipt(w, w.coach), w.coach.public)],
            **expect(),
        )
    impostor = entry(w, author=server)  # claims to be coach-1, signed by another key
    with pytest.raises(c.TamperedError):
        c.verify_and_open_entry(
            impostor,
            box_key=w.section.sk,
            at=AT,
            owner_id="youth-1",
            owner=w.owner.public,
            receipts=[(receipt(w, w.coach), w.coach.public)],
            **expect(),
        )


@pytest.mark.parametrize(
    ("overrides", "at"),
    [
        ({}, datetime(2026, 1, 1, tzinfo=UTC)),
        ({"section": "verhaal"}, AT),
        ({"permissions": ["read"]}, AT),
        ({"dossier": "dossier-2"}, AT),
        ({"grantee": "coach-2"}, AT),
    ],
    ids=["expired", "other-section", "read-only", "other-dossier", "other-grantee"],
)
def test_unauthorised_author(overrides: dict[str, Any], at: datetime) -> None:
    w = world()
    with pytest.raises(c.UnauthorisedAuthor):
        c.authorised_signer(
            "coach-1",
            at,
            dossier=DOSSIER,
            section=SECTION,
            owner_id="youth-1",
            owner=w.owner.public,
            receipts=[(receipt(w, w.coach, **overrides), w.coach.public)],
        )


def test_organisation_member() -> None:
    w = world()
    org = c.Identity.generate()
    member = c.Identity.generate()
    grant = receipt(w, org, grantee="org-1")
    args: dict[str, Any] = {
        "dossier": DOSSIER,
        "section": SECTION,
        "owner_id": "youth-1",
        "owner": w.owner.public,
        "receipts": [(grant, org.public)],
        "member_of": {"member-1": "org-1"},
    }
    signer = c.authorised_signer("member-1", AT, author_identity=member.public, **args)
    assert signer == member.public
    with pytest.raises(c.UnauthorisedAuthor):
        c.authorised_signer("member-1", AT, **args)
    with pytest.raises(c.MalformedError):
        c.authorised_signer("member-1", datetime(2025, 6, 1), **args)  # noqa: DTZ001


def reader(w: Any) -> dict[str, Any]:
    """What a reader passes: the coach may append, the youth owns the dossier."""
    return {
        "box_key": w.section.sk,
        "at": AT,
        "owner_id": "youth-1",
        "owner": w.owner.public,
        "receipts": [(receipt(w, w.coach), w.coach.public)],
        **expect(),
    }


def test_a_later_version_opens_beside_its_first_by_the_same_author() -> None:
    w = world()
    first, second = entry(w), entry(w, {"text": "nieuw"}, version=2)
    assert c.verify_and_open_entry(second, first=first, **reader(w)) == {"text": "nieuw"}
    assert c.verify_and_open_entry(first, first=None, **reader(w)) == {"text": "hallo"}
    c.check_first_version(first, None, author_sign_pk=w.coach.public.sign_pk)


def test_a_later_version_by_another_author_than_the_first_is_refused() -> None:
    """Issue 19: the coach's version 2 of the youth's own entry is not an overwrite."""
    w = world()
    youths = entry(w, author_id="youth-1", author=w.owner)
    coachs = entry(w, {"text": "van de coach"}, version=2)
    with pytest.raises(c.AnotherAuthor):
        c.verify_and_open_entry(coachs, first=youths, **reader(w))
    with pytest.raises(c.AnotherAuthor):
        c.check_first_version(coachs, youths, author_sign_pk=w.coach.public.sign_pk)


@pytest.mark.parametrize(
    "first",
    ["missing", "not-version-1", "other-entry", "other-section", "forged-signature"],
)
def test_a_later_version_without_a_valid_first_is_refused(first: str) -> None:
    w = world()
    later = entry(w, version=2)
    given: c.SealedEntry | None = {
        "missing": None,
        "not-version-1": entry(w, version=3),
        "other-entry": entry(w, entry="entry-2"),
        "other-section": entry(world("verhaal"), author=w.coach),
        "forged-signature": entry(w, author=c.Identity.generate()),
    }[first]
    with pytest.raises(c.AnotherAuthor) as refused:
        c.check_first_version(
            later, given, author_sign_pk=w.coach.public.sign_pk, owner_sign_pk=None
        )
    assert str(refused.value) == "version is not by the author of the first version"
