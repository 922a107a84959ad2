"""DossierService against SQLite and PostgreSQL, rolled back per test: a dossier holds exactly
the catalogue's sections with owner-signed keys; an entry is stored only where it says it
belongs, by the author it names, signed by that author, at the next version and the section's
current key version."""

import datetime as dt
import uuid

import msgspec
import pytest
from nacl.public import PrivateKey

from dossier import crypto
from dossier.errors import (
    ClockSkew,
    Conflict,
    InvalidInput,
    NotFound,
    NotTheAuthor,
    VersionConflict,
)
from dossier.sections import schemas
from dossier.sections.catalogue import SECTIONS
from dossier.sections.models import Entry
from dossier.sections.service import DossierService, entry_size
from tests.consent.caseload.world import Party, Youth, pro, youth
from tests.support.factories import add_account, row_counts, sealed_entry


def new_dossier(
    identity: crypto.Identity, dossier_id: str | None = None, **bend
) -> schemas.NewDossier:
    """The body the owner's client sends (`RugzakClient._create_dossier`); `bend` replaces one
    section's fields by key."""
    dossier_id = dossier_id or str(uuid.uuid4())
    sections = []
    for key in SECTIONS:
        pair = crypto.SectionKeyPair.generate()
        signed = crypto.sign_section_key(identity, dossier_id, key, 1, pair.pk)
        section = schemas.NewSection(
            key=key,
            signed_key=signed.to_json(),
            owner_sealed_sk=crypto.b64e(crypto.seal_to(identity.public.box_pk, bytes(pair.sk))),
        )
        if key in bend:
            section = msgspec.structs.replace(section, **bend[key])
        sections.append(section)
    return schemas.NewDossier(id=dossier_id, sections=sections)


async def owner_account(db, kind="youth"):
    identity = crypto.Identity.generate()
    return await add_account(db, identity, kind), identity


async def refused(db, error, call) -> None:
    before = await row_counts(db)
    with pytest.raises(error):
        await call
    assert await row_counts(db) == before


async def refused_in_transaction(db, error, call) -> None:
    """Refused with `error`; the request's transaction (here a savepoint) rolls back whatever
    the service flushed before it found the fault, and nothing remains."""
    before = await row_counts(db)
    with pytest.raises(error):
        async with db.begin_nested():
            await call
    assert await row_counts(db) == before


async def add(db, owner: Youth, key: str, sealed: crypto.SealedEntry, by: Party | None = None):
    by = by or owner
    return await DossierService(db).add_entry(
        owner.sections[key], by.id, by.account.sign_pk, sealed.to_json()
    )


# -- dossiers and sections --------------------------------------------------------------------


async def test_a_youth_creates_a_dossier_with_every_catalogue_section_signed_by_her(db):
    account, identity = await owner_account(db)
    data = new_dossier(identity)
    dossier = await DossierService(db).create(account, data)
    assert str(dossier.id) == data.id
    rows = await DossierService(db).sections(dossier.id)
    assert [s.key for s, _, _ in rows] == sorted(SECTIONS)
    for section, count, size in rows:
        assert (section.key_version, count, size) == (1, 0, 0)
        signed = crypto.SignedSectionKey.from_json(section.signed_key)
        signed.verify(account.sign_pk)
        sk = crypto.open_sealed(identity.box, section.owner_sealed_sk)
        assert bytes(PrivateKey(sk).public_key) == signed.pk
    assert (await DossierService(db).of_owner(account.id)).id == dossier.id


async def test_a_professional_owns_no_dossier(db):
    account, identity = await owner_account(db, "professional")
    await refused(db, InvalidInput, DossierService(db).create(account, new_dossier(identity)))


async def test_a_youth_has_one_dossier(db):
    account, identity = await owner_account(db)
    await DossierService(db).create(account, new_dossier(identity))
    await refused(db, Conflict, DossierService(db).create(account, new_dossier(identity)))


async def test_a_dossier_id_that_is_not_a_uuid_is_refused(db):
    account, identity = await owner_account(db)
    data = new_dossier(identity)
    data.id = "mijn-rugzak"
    await refused(db, InvalidInput, DossierService(db).create(account, data))


@pytest.mark.parametrize("change", ["missing", "extra", "twice"])
async def test_a_dossier_has_exactly_the_catalogue_sections(db, change):
    account, identity = await owner_account(db)
    data = new_dossier(identity)
    if change == "missing":
        data.sections = data.sections[1:]
    elif change == "extra":
        data.sections.append(msgspec.structs.replace(data.sections[0], key="dagboek"))
    else:
        data.sections[1] = data.sections[0]
    await refused(db, InvalidInput, DossierService(db).create(account, data))


@pytest.mark.parametrize("fault", ["signer", "dossier", "section", "version", "sealed", "shape"])
async def test_a_section_key_the_owner_did_not_sign_for_this_place_is_refused(db, fault):
    account, identity = await owner_account(db)
    dossier_id = str(uuid.uuid4())
    pair = crypto.SectionKeyPair.generate()
    signer, place, version = identity, (dossier_id, "plan"), 1
    if fault == "signer":
        signer = crypto.Identity.generate()
    elif fault == "dossier":
        place = (str(uuid.uuid4()), "plan")
    elif fault == "section":
        place = (dossier_id, "werk")
    elif fault == "version":
        version = 2
    signed = crypto.sign_section_key(signer, *place, version, pair.pk).to_json()
    bend = {"signed_key": signed}
    if fault == "sealed":
        bend = {"owner_sealed_sk": "+/=="}
    elif fault == "shape":
        bend = {"signed_key": {"v": 1}}
    data = new_dossier(identity, dossier_id, plan=bend)
    # The dossier row is flushed before its sections are checked; the refusal ends the
    # request's transaction, which takes it away again.
    await refused_in_transaction(db, InvalidInput, DossierService(db).create(account, data))


async def test_sections_that_do_not_exist_are_not_found(db):
    owner = await youth(db, keys=("plan",))
    service = DossierService(db)
    assert (await service.section(owner.dossier_id, "plan")).id == owner.sections["plan"].id
    for key in ("werk", "dagboek"):
        with pytest.raises(NotFound):
            await service.section(owner.dossier_id, key)
    with pytest.raises(NotFound):
        await service.section(uuid.uuid4(), "plan")
    assert (await service.get(owner.dossier_id)).owner_id == owner.id
    with pytest.raises(NotFound):
        await service.get(uuid.uuid4())
    assert await service.get_or_none(uuid.uuid4()) is None
    assert await service.of_owner(uuid.uuid4()) is None


# -- entries ----------------------------------------------------------------------------------


async def test_the_owners_entry_is_stored_as_sealed_with_its_routing_columns(db):
    owner = await youth(db)
    sealed = sealed_entry(owner.sections["plan"], owner.id, owner.identity)
    row = await add(db, owner, "plan", sealed)
    stored = await db.get_one(Entry, row.id)
    assert (stored.dossier_id, stored.section_id, str(stored.entry_id)) == (
        owner.dossier_id,
        owner.sections["plan"].id,
        sealed.entry,
    )
    assert (stored.version, stored.author_id, stored.key_version) == (1, owner.id, 1)
    assert stored.size == entry_size(sealed)
    assert msgspec.json.decode(stored.payload) == sealed.to_json()
    assert b"stageplek" not in stored.payload.encode()


async def test_a_grantee_may_add_an_entry_signed_by_their_own_key(db):
    owner, coach = await youth(db), await pro(db)
    sealed = sealed_entry(owner.sections["notities"], coach.id, coach.identity)
    row = await add(db, owner, "notities", sealed, by=coach)
    assert row.author_id == coach.id


async def test_versions_go_up_one_at_a_time_and_the_newest_is_listed(db):
    owner = await youth(db)
    section = owner.sections["plan"]
    first = sealed_entry(section, owner.id, owner.identity)
    await add(db, owner, "plan", first)
    second = sealed_entry(
        section, owner.id, owner.identity, {"tekst": "v2"}, entry=first.entry, version=2
    )
    await add(db, owner, "plan", second)
    other = sealed_entry(section, owner.id, owner.identity)
    await add(db, owner, "plan", other)
    service = DossierService(db)
    latest = [msgspec.json.decode(r.payload) for r in await service.latest_entries(section)]
    assert sorted((e["entry"], e["version"]) for e in latest) == sorted(
        [(first.entry, 2), (other.entry, 1)]
    )
    assert len(await service.all_entries(section)) == 3
    entry_id = uuid.UUID(first.entry)
    assert [v.version for v in await service.versions(section, entry_id)] == [1, 2]
    assert (await service.entry_version(section, entry_id, 1)).version == 1
    [(_, count, size)] = [r for r in await service.sections(owner.dossier_id) if r[0].key == "plan"]
    assert count == 2
    assert size == entry_size(first) + entry_size(second) + entry_size(other)


async def test_latest_entries_of_one_author_leave_out_the_others(db):
    owner, coach = await youth(db), await pro(db)
    section = owner.sections["notities"]
    await add(db, owner, "notities", sealed_entry(section, owner.id, owner.identity))
    theirs = sealed_entry(section, coach.id, coach.identity)
    await add(db, owner, "notities", theirs, by=coach)
    rows = await DossierService(db).latest_entries(section, author_id=coach.id)
    assert [msgspec.json.decode(r.payload)["entry"] for r in rows] == [theirs.entry]


async def test_unknown_entries_and_versions_are_not_found(db):
    owner = await youth(db)
    section = owner.sections["plan"]
    sealed = sealed_entry(section, owner.id, owner.identity)
    await add(db, owner, "plan", sealed)
    service = DossierService(db)
    with pytest.raises(NotFound):
        await service.versions(section, uuid.uuid4())
    with pytest.raises(NotFound):
        await service.entry_version(section, uuid.UUID(sealed.entry), 2)
    with pytest.raises(NotFound):
        await service.versions(owner.sections["werk"], uuid.UUID(sealed.entry))


@pytest.mark.parametrize(("version", "stored"), [(1, 1), (3, 1), (2, 0)])
async def test_a_version_that_is_not_the_next_one_is_a_version_conflict(db, version, stored):
    owner = await youth(db)
    section = owner.sections["plan"]
    entry = str(uuid.uuid4())
    if stored:
        await add(db, owner, "plan", sealed_entry(section, owner.id, owner.identity, entry=entry))
    again = sealed_entry(section, owner.id, owner.identity, entry=entry, version=version)
    await refused(db, VersionConflict, add(db, owner, "plan", again))


async def test_an_entry_sealed_to_a_key_version_that_moved_is_a_version_conflict(db):
    owner = await youth(db)
    section = owner.sections["plan"]
    stale = sealed_entry(section, owner.id, owner.identity)
    pair = crypto.SectionKeyPair.generate()
    section.key_version = 2
    section.signed_key = crypto.sign_section_key(
        owner.identity, str(owner.dossier_id), "plan", 2, pair.pk
    ).to_json()
    await db.flush()
    await refused(db, VersionConflict, add(db, owner, "plan", stale))


@pytest.mark.parametrize("place", ["section", "dossier"])
async def test_an_entry_sealed_for_another_place_is_refused(db, place):
    owner, other = await youth(db), await youth(db)
    elsewhere = owner.sections["werk"] if place == "section" else other.sections["plan"]
    author = owner if place == "section" else other
    sealed = sealed_entry(elsewhere, author.id, author.identity)
    await refused(db, InvalidInput, add(db, owner, "plan", sealed))


async def test_an_entry_naming_another_author_than_the_caller_is_refused(db):
    owner, coach = await youth(db), await pro(db)
    sealed = sealed_entry(owner.sections["notities"], owner.id, owner.identity)
    call = DossierService(db).add_entry(
        owner.sections["notities"], coach.id, owner.account.sign_pk, sealed.to_json()
    )
    await refused(db, InvalidInput, call)


async def test_an_entry_not_signed_by_its_author_is_refused(db):
    owner, coach = await youth(db), await pro(db)
    forged = sealed_entry(owner.sections["notities"], coach.id, owner.identity)  # coach's name
    await refused(db, InvalidInput, add(db, owner, "notities", forged, by=coach))


@pytest.mark.parametrize("field", ["ciphertext", "sealed_key", "entry"])
async def test_an_entry_changed_after_signing_is_refused(db, field):
    owner = await youth(db)
    section = owner.sections["plan"]
    sealed = sealed_entry(section, owner.id, owner.identity).to_json()
    other = sealed_entry(section, owner.id, owner.identity, {"tekst": "Iets anders"}).to_json()
    sealed[field] = other[field]
    call = DossierService(db).add_entry(section, owner.id, owner.account.sign_pk, sealed)
    await refused(db, InvalidInput, call)


async def test_a_malformed_entry_is_refused(db):
    owner = await youth(db)
    call = DossierService(db).add_entry(
        owner.sections["plan"], owner.id, owner.account.sign_pk, {"v": 1, "entry": "x"}
    )
    await refused(db, InvalidInput, call)


async def test_an_entry_id_of_another_section_is_refused(db):
    owner = await youth(db)
    first = sealed_entry(owner.sections["plan"], owner.id, owner.identity)
    await add(db, owner, "plan", first)
    moved = sealed_entry(
        owner.sections["werk"], owner.id, owner.identity, entry=first.entry, version=2
    )
    await refused(db, InvalidInput, add(db, owner, "werk", moved))


async def test_a_new_version_is_accepted_only_from_the_author_of_the_first(db):
    owner, coach = await youth(db), await pro(db)
    section = owner.sections["notities"]
    note = sealed_entry(section, owner.id, owner.identity, {"tekst": "Mijn eigen notitie."})
    await add(db, owner, "notities", note)
    overwrite = sealed_entry(
        section,
        coach.id,
        coach.identity,
        {"tekst": "Tekst van de coach."},
        entry=note.entry,
        version=2,
    )
    await refused(db, NotTheAuthor, add(db, owner, "notities", overwrite, by=coach))


async def test_a_youth_reacts_to_a_coachs_note_and_cannot_overwrite_it(db):
    """A youth's correction stays a reaction: her own entry, never version 2 of the note."""
    owner, coach = await youth(db), await pro(db)
    section = owner.sections["notities"]
    note = sealed_entry(section, coach.id, coach.identity, {"tekst": "Notitie van de coach."})
    await add(db, owner, "notities", note, by=coach)
    correction = sealed_entry(
        section, owner.id, owner.identity, {"tekst": "Dat klopt niet."}, entry=note.entry, version=2
    )
    await refused(db, NotTheAuthor, add(db, owner, "notities", correction))
    reaction = sealed_entry(section, owner.id, owner.identity, {"tekst": "Dat klopt niet."})
    await add(db, owner, "notities", reaction)
    own = sealed_entry(
        section, coach.id, coach.identity, {"tekst": "Aangepast."}, entry=note.entry, version=2
    )
    await add(db, owner, "notities", own, by=coach)
    rows = await DossierService(db).latest_entries(section)
    firsts = {msgspec.json.decode(r.payload)["entry"]: r.first for r in rows}
    assert firsts[reaction.entry] is None
    assert msgspec.json.decode(firsts[note.entry or ""] or "")["author"] == str(coach.id)


@pytest.mark.parametrize(("minutes", "stored"), [(-10, False), (-4, True), (4, True), (10, False)])
async def test_an_entry_whose_signed_time_is_more_than_5_minutes_off_is_refused(
    db, minutes, stored
):
    """Issue 19: the author signs the entry's time; the server refuses a claimed time more
    than 5 minutes from its own clock, so readers can check grants against the signed time."""
    owner = await youth(db)
    signed = crypto.SignedSectionKey.from_json(owner.sections["plan"].signed_key)
    sealed = crypto.seal_entry(
        {"doel": "werk"},
        dossier=signed.dossier,
        section="plan",
        entry=str(uuid.uuid4()),
        version=1,
        author_id=str(owner.id),
        author=owner.identity,
        section_key=signed,
        at=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes),
    )
    if stored:
        await add(db, owner, "plan", sealed)
    else:
        await refused(db, ClockSkew, add(db, owner, "plan", sealed))
