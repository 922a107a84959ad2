"""RotationService against SQLite and PostgreSQL, rolled back per test: a rotation built the way
the owner's client builds it (dossier/client/grants.py) applies in one go; a stale key version
loses with VersionConflict before anything moves; an incomplete or bent rotation is refused and
the request's transaction leaves the section as it was."""

import uuid

import msgspec
import pytest
from sqlalchemy import select

from consent.grants.models import Grant
from consent.grants.rotation import RotationService
from consent.grants.schemas import NewEnvelope, Rotation
from consent.grants.service import GrantService
from consent.log.actions import LogAction
from consent.log.models import LogEvent
from dossier import crypto
from dossier.errors import InvalidInput, VersionConflict
from dossier.sections.models import Entry, Section
from dossier.sections.service import DossierService
from tests.consent.caseload.world import Youth, expire, pro, share, youth
from tests.support.factories import row_counts, sealed_entry


async def stored_entries(db, section_id) -> list[crypto.SealedEntry]:
    rows = await db.scalars(select(Entry.payload).where(Entry.section_id == section_id))
    return [crypto.SealedEntry.from_json(msgspec.json.decode(p)) for p in rows]


async def build(db, owner: Youth, key: str, readers) -> tuple[Rotation, crypto.SectionKeyPair]:
    """What the owner's client uploads: a new signed key, every entry version re-wrapped, the
    new private key sealed to each remaining reader (`readers`: grant and grantee)."""
    section = owner.sections[key]
    fresh = crypto.SectionKeyPair.generate()
    version = section.key_version + 1
    signed = crypto.sign_section_key(owner.identity, str(owner.dossier_id), key, version, fresh.pk)
    entries = [
        crypto.rewrap_entry(
            sealed, old_section_sk=owner.keys[key].sk, new_section_key=signed, owner=owner.identity
        ).to_json()
        for sealed in await stored_entries(db, section.id)
    ]
    envelopes = [
        NewEnvelope(
            grant_id=str(grant.id),
            envelope=crypto.b64e(crypto.seal_to(party.identity.public.box_pk, bytes(fresh.sk))),
        )
        for grant, party in readers
    ]
    body = Rotation(
        old_key_version=section.key_version,
        signed_key=signed.to_json(),
        owner_sealed_sk=crypto.b64e(crypto.seal_to(owner.identity.public.box_pk, bytes(fresh.sk))),
        entries=entries,
        envelopes=envelopes,
    )
    return body, fresh


async def world(db):
    """A youth's plan with two entries by the youth (one in two versions) and one by a coach
    who may append; a second coach reads it, a third did until it was revoked."""
    owner, writer, reader, gone = await youth(db), await pro(db), await pro(db), await pro(db)
    section = owner.sections["plan"]
    service = DossierService(db)
    note = sealed_entry(section, owner.id, owner.identity)
    await service.add_entry(section, owner.id, owner.account.sign_pk, note.to_json())
    again = sealed_entry(
        section,
        owner.id,
        owner.identity,
        {"tekst": "Toch een andere bakker."},
        entry=note.entry,
        version=2,
    )
    await service.add_entry(section, owner.id, owner.account.sign_pk, again.to_json())
    await share(db, owner, "plan", writer, permissions=("append",))
    theirs = sealed_entry(section, writer.id, writer.identity, {"tekst": "Intake gedaan."})
    await service.add_entry(section, writer.id, writer.account.sign_pk, theirs.to_json())
    active = await share(db, owner, "plan", reader)
    revoked = await share(db, owner, "plan", gone)
    await GrantService(db).revoke(
        owner.account, owner.dossier_id, [str(revoked.id)], LogAction.REVOKE
    )
    return owner, writer, (active, reader), revoked


async def snapshot(db, section_id):
    """Everything a rotation may change, read from the database."""
    section = (
        await db.execute(
            select(Section.key_version, Section.signed_key, Section.owner_sealed_sk).where(
                Section.id == section_id
            )
        )
    ).one()
    entries = sorted(
        (await db.execute(select(Entry.id, Entry.key_version, Entry.payload))).tuples().all()
    )
    grants = sorted(
        (
            await db.execute(
                select(Grant.id, Grant.envelope, Grant.envelope_key_version, Grant.rotated_out)
            )
        )
        .tuples()
        .all()
    )
    return tuple(section), entries, grants, await row_counts(db)


async def refused(db, owner: Youth, body: Rotation, error=InvalidInput) -> None:
    """Refused with `error`; the request's transaction (here a savepoint) rolls back, and the
    section, its entries and its grants are exactly as before."""
    section_id = owner.sections["plan"].id
    before = await snapshot(db, section_id)
    with pytest.raises(error):
        async with db.begin_nested():
            await RotationService(db).rotate(owner.account, owner.sections["plan"], body)
    assert await snapshot(db, section_id) == before


async def test_rotation_with_the_current_key_version_applies_in_one_go(db):
    owner, writer, (active, reader), revoked = await world(db)
    section = owner.sections["plan"]
    body, fresh = await build(db, owner, "plan", [(active, reader)])
    await RotationService(db).rotate(owner.account, section, body)
    await db.refresh(section)
    assert section.key_version == 2
    assert section.signed_key == body.signed_key
    assert crypto.open_sealed(owner.identity.box, section.owner_sealed_sk) == bytes(fresh.sk)
    entries = await stored_entries(db, section.id)
    assert len(entries) == 3
    authors = {str(owner.id): owner.account.sign_pk, str(writer.id): writer.account.sign_pk}
    for sealed in entries:
        assert sealed.key_version == 2
        crypto.open_entry(
            sealed,
            box_key=fresh.sk,
            author_sign_pk=authors[sealed.author],
            owner_sign_pk=owner.account.sign_pk,
            dossier=str(owner.dossier_id),
            section="plan",
            entry=sealed.entry,
        )
    assert set(await db.scalars(select(Entry.key_version))) == {2}
    await db.refresh(active)
    assert active.envelope_key_version == 2
    assert crypto.open_sealed(reader.identity.box, active.envelope) == bytes(fresh.sk)
    await db.refresh(revoked)
    assert revoked.rotated_out
    assert revoked.envelope_key_version == 1  # the old key, which opens nothing new
    assert await GrantService(db).rotation_due(owner.dossier_id) == []
    logged = await db.scalars(select(LogEvent.action).where(LogEvent.action == "section:rotate"))
    assert list(logged) == ["section:rotate"]


async def test_an_expired_reader_gets_no_new_key_and_is_rotated_out(db):
    owner, reader = await youth(db), await pro(db)
    ended = await share(db, owner, "plan", reader)
    await expire(db, ended)
    body, _ = await build(db, owner, "plan", [])
    await RotationService(db).rotate(owner.account, owner.sections["plan"], body)
    await db.refresh(ended)
    assert ended.rotated_out
    assert ended.envelope_key_version == 1


async def test_rotation_from_a_stale_key_version_is_a_version_conflict_and_changes_nothing(db):
    owner, _, readers, _ = await world(db)
    first, _ = await build(db, owner, "plan", [readers])
    second, _ = await build(db, owner, "plan", [readers])  # made on the same, now stale, state
    await RotationService(db).rotate(owner.account, owner.sections["plan"], first)
    section_id = owner.sections["plan"].id
    before = await snapshot(db, section_id)
    with pytest.raises(VersionConflict):
        await RotationService(db).rotate(owner.account, owner.sections["plan"], second)
    assert await snapshot(db, section_id) == before  # not even inside the transaction


async def test_rotation_that_leaves_out_an_entry_version_is_refused(db):
    owner, _, readers, _ = await world(db)
    body, _ = await build(db, owner, "plan", [readers])
    body.entries = body.entries[1:]
    await refused(db, owner, body)


async def test_rotation_naming_an_entry_the_section_does_not_hold_is_refused(db):
    owner, _, readers, _ = await world(db)
    body, _ = await build(db, owner, "plan", [readers])
    stray = dict(body.entries[0])
    stray["entry"] = str(uuid.uuid4())
    body.entries = [*body.entries, stray]
    await refused(db, owner, body)


async def test_rotation_may_not_change_an_entrys_ciphertext(db):
    owner, _, readers, _ = await world(db)
    body, _ = await build(db, owner, "plan", [readers])
    other = sealed_entry(owner.sections["plan"], owner.id, owner.identity, {"tekst": "Anders"})
    body.entries[0] = {**body.entries[0], "ciphertext": other.to_json()["ciphertext"]}
    await refused(db, owner, body)


async def test_rotation_whose_rewrap_is_not_signed_by_the_owner_is_refused(db):
    owner, _, readers, _ = await world(db)
    body, _ = await build(db, owner, "plan", [readers])
    [first, *_] = await stored_entries(db, owner.sections["plan"].id)
    forged = crypto.rewrap_entry(
        first,
        old_section_sk=owner.keys["plan"].sk,
        new_section_key=crypto.SignedSectionKey.from_json(body.signed_key),
        owner=crypto.Identity.generate(),  # not the owner
    ).to_json()
    body.entries = [
        forged if (e["entry"], e["version"]) == (first.entry, first.version) else e
        for e in body.entries
    ]
    await refused(db, owner, body)


async def test_rotation_with_an_entry_left_at_the_old_key_version_is_refused(db):
    owner, _, readers, _ = await world(db)
    body, _ = await build(db, owner, "plan", [readers])
    [old, *_] = await stored_entries(db, owner.sections["plan"].id)
    body.entries = [
        e for e in body.entries if (e["entry"], e["version"]) != (old.entry, old.version)
    ]
    body.entries.append(old.to_json())
    await refused(db, owner, body)


async def test_malformed_rotated_entry_is_refused(db):
    owner, _, readers, _ = await world(db)
    body, _ = await build(db, owner, "plan", [readers])
    body.entries[0] = {"v": 1, "entry": "x"}
    await refused(db, owner, body)


async def test_new_section_key_not_signed_by_the_owner_is_refused(db):
    owner, _, readers, _ = await world(db)
    body, _ = await build(db, owner, "plan", [readers])
    signed = crypto.SignedSectionKey.from_json(body.signed_key)
    stranger = crypto.Identity.generate()
    body.signed_key = crypto.sign_section_key(
        stranger, str(owner.dossier_id), "plan", 2, signed.pk
    ).to_json()
    await refused(db, owner, body)


@pytest.mark.parametrize("bend", ["section", "version", "dossier"])
async def test_new_section_key_for_another_place_or_version_is_refused(db, bend):
    owner, _, readers, _ = await world(db)
    body, fresh = await build(db, owner, "plan", [readers])
    place = {"dossier": str(owner.dossier_id), "section": "plan", "version": 2}
    place[bend] = {"section": "werk", "version": 3, "dossier": str(uuid.uuid4())}[bend]
    body.signed_key = crypto.sign_section_key(
        owner.identity, place["dossier"], place["section"], place["version"], fresh.pk
    ).to_json()
    await refused(db, owner, body)


async def test_rotation_that_leaves_out_an_active_reader_is_refused(db):
    owner, _, _, _ = await world(db)
    body, _ = await build(db, owner, "plan", [])
    await refused(db, owner, body)


async def test_rotation_that_seals_the_new_key_to_a_revoked_reader_is_refused(db):
    owner, _, readers, revoked = await world(db)
    body, _ = await build(db, owner, "plan", [readers])
    body.envelopes.append(NewEnvelope(grant_id=str(revoked.id), envelope=crypto.b64e(b"\x01" * 80)))
    await refused(db, owner, body)


async def test_rotation_with_an_envelope_that_is_not_base64url_is_refused(db):
    owner, _, readers, _ = await world(db)
    body, _ = await build(db, owner, "plan", [readers])
    body.envelopes[0] = NewEnvelope(grant_id=body.envelopes[0].grant_id, envelope="+/==")
    await refused(db, owner, body)
