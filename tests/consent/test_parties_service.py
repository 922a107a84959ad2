"""PartiesService against a real database (SQLite and PostgreSQL), inside a rolled-back
transaction: creating organisations, members and roles, and what a rotation must cover."""

import datetime as dt
import uuid

import pytest
from nacl.public import PrivateKey
from sqlalchemy import select

from consent.authorisation import AccessService
from consent.grants.models import Grant
from consent.parties import schemas as s
from consent.parties.errors import LastAdmin, RotationIncomplete
from consent.parties.models import Membership, OrgKeyVersion
from consent.parties.service import PartiesService
from dossier import crypto
from dossier.accounts.models import Account
from dossier.errors import Conflict, Forbidden, InvalidInput, NotFound, VersionConflict
from dossier.sections.models import Dossier, Section
from tests.support.factories import add_account

NOW = dt.datetime.now(dt.UTC)


class Person:
    def __init__(self, account: Account, identity: crypto.Identity) -> None:
        self.account, self.identity, self.id = account, identity, account.id

    def opens(self, sealed: bytes) -> crypto.Identity:
        return crypto.Identity.from_secret(crypto.open_sealed(self.identity.box, sealed))


async def person(db, kind="professional") -> Person:
    identity = crypto.Identity.generate()
    return Person(await add_account(db, identity, kind), identity)


def sealed_for(member: Person, org_key: crypto.Identity) -> str:
    return crypto.b64e(crypto.seal_to(member.identity.public.box_pk, org_key.secret()))


def attest(org_key: crypto.Identity, org_id, member: Person, version: int) -> dict:
    return crypto.sign_membership(
        org_key, str(org_id), str(member.id), member.identity.public, version
    )


async def new_org(db, admin: Person) -> tuple[uuid.UUID, crypto.Identity]:
    org_key = crypto.Identity.generate()
    org_id = uuid.uuid4()
    data = s.NewOrganisation(
        id=str(org_id),
        name="Gemeente Deventer, team jongeren",
        kind="gemeente",
        identity=org_key.public.to_json(),
        sealed_org_key=sealed_for(admin, org_key),
        attestation=attest(org_key, org_id, admin, 1),
    )
    org = await PartiesService(db).create(admin.id, data)
    return org.id, org_key


async def add(db, admin: Person, org_id, member: Person, org_key, version=1, role="member"):
    data = s.NewMember(
        account_id=str(member.id),
        key_version=version,
        sealed_org_key=sealed_for(member, org_key),
        attestation=attest(org_key, org_id, member, version),
        role=role,
    )
    return await PartiesService(db).add_member(admin.id, org_id, data)


async def section_of(db, key: str) -> Section:
    """A section in a fresh youth's dossier (one dossier per youth)."""
    owner = await person(db, kind="youth")
    dossier = Dossier(id=uuid.uuid4(), owner_id=owner.id)
    db.add(dossier)
    await db.flush()
    section = Section(
        dossier_id=dossier.id, key=key, key_version=1, signed_key={}, owner_sealed_sk=b"x"
    )
    db.add(section)
    await db.flush()
    return section


async def grant(db, section: Section, grantee_kind, grantee_id, box_pk, **fields) -> Grant:
    """A read grant whose envelope is a fresh section private key sealed to `box_pk`."""
    values = {
        "can_read": True,
        "can_append": False,
        "issued_at": NOW - dt.timedelta(days=1),
        "expires_at": NOW + dt.timedelta(days=300),
        "envelope": crypto.seal_to(box_pk, bytes(PrivateKey.generate())),
    } | fields
    row = Grant(
        id=uuid.uuid4(),
        dossier_id=section.dossier_id,
        section_id=section.id,
        section=section.key,
        grantee_kind=grantee_kind,
        grantee_id=grantee_id,
        purpose="warme overdracht",
        receipt={},
        envelope_key_version=1,
        **values,
    )
    db.add(row)
    await db.flush()
    return row


def rotation(old_version, new_key, members, grants, old_key, org_id) -> s.Rotation:
    return s.Rotation(
        old_key_version=old_version,
        identity=new_key.public.to_json(),
        succession=crypto.sign_succession(old_key, str(org_id), new_key.public, old_version + 1),
        members=[
            s.SealedFor(
                account_id=str(m.id),
                sealed_org_key=sealed_for(m, new_key),
                attestation=attest(new_key, org_id, m, old_version + 1),
            )
            for m in members
        ],
        grants=[
            s.GrantEnvelope(
                grant_id=str(g.id),
                envelope=crypto.b64e(
                    crypto.seal_to(
                        new_key.public.box_pk, crypto.open_sealed(old_key.box, g.envelope)
                    )
                ),
            )
            for g in grants
        ],
    )


# -- creating and members -----------------------------------------------------------------


async def test_create_stores_public_keys_and_the_creator_as_admin(db):
    admin = await person(db)
    org_id, org_key = await new_org(db, admin)
    service = PartiesService(db)
    org, membership = await service.key(admin.id, org_id)
    assert (org.box_pk, org.sign_pk) == (org_key.public.box_pk, org_key.public.sign_pk)
    assert (membership.role, membership.state, membership.key_version) == ("admin", "active", 1)
    assert admin.opens(membership.sealed_org_key).secret() == org_key.secret()
    versions = await db.scalars(select(OrgKeyVersion.version).where(OrgKeyVersion.org_id == org_id))
    assert list(versions) == [1]
    assert [(o.id, m.role, due) for o, m, due in await service.mine(admin.id)] == [
        (org_id, "admin", False)
    ]


async def test_only_a_professional_creates_and_ids_are_unique(db):
    youth = await person(db, kind="youth")
    with pytest.raises(Forbidden):
        await new_org(db, youth)
    admin = await person(db)
    org_id, org_key = await new_org(db, admin)
    again = s.NewOrganisation(
        id=str(org_id),
        name="Dubbel",
        kind="school",
        identity=org_key.public.to_json(),
        sealed_org_key=sealed_for(admin, org_key),
        attestation=attest(org_key, org_id, admin, 1),
    )
    with pytest.raises(Conflict):
        await PartiesService(db).create(admin.id, again)


async def test_add_member_checks_admin_version_and_kind(db):
    admin, member, other = await person(db), await person(db), await person(db)
    org_id, org_key = await new_org(db, admin)
    with pytest.raises(VersionConflict):
        await add(db, admin, org_id, member, org_key, version=2)
    added = await add(db, admin, org_id, member, org_key)
    assert member.opens(added.membership.sealed_org_key).secret() == org_key.secret()
    with pytest.raises(Conflict):
        await add(db, admin, org_id, member, org_key)
    with pytest.raises(Forbidden):
        await add(db, member, org_id, other, org_key)
    with pytest.raises(NotFound):
        await add(db, admin, org_id, await person(db, kind="youth"), org_key)
    with pytest.raises(Forbidden):  # an unknown organisation looks like one you do not manage
        await add(db, admin, uuid.uuid4(), other, org_key)


async def test_roles_and_the_last_admin(db):
    admin, member = await person(db), await person(db)
    org_id, org_key = await new_org(db, admin)
    await add(db, admin, org_id, member, org_key)
    service = PartiesService(db)
    with pytest.raises(LastAdmin):
        await service.set_role(admin.id, org_id, admin.id, "member")
    with pytest.raises(LastAdmin):
        await service.remove_member(admin.id, org_id, admin.id)
    with pytest.raises(Forbidden):
        await service.set_role(member.id, org_id, member.id, "admin")
    await service.set_role(admin.id, org_id, member.id, "admin")
    await service.remove_member(member.id, org_id, admin.id)
    with pytest.raises(Forbidden):
        await service.members(admin.id, org_id)
    with pytest.raises(NotFound):
        await service.remove_member(member.id, org_id, admin.id)


async def test_removal_ends_access_at_once_and_makes_rotation_due(db):
    admin, member = await person(db), await person(db)
    org_id, org_key = await new_org(db, admin)
    await add(db, admin, org_id, member, org_key)
    access = AccessService(db)
    assert org_id in (await access.actor(member.id)).organisations
    service = PartiesService(db)
    await service.remove_member(admin.id, org_id, member.id)
    assert org_id not in (await access.actor(member.id)).organisations
    assert (await service.rotation_state(admin.id, org_id)).rotation_due
    with pytest.raises(Forbidden):
        await service.key(member.id, org_id)
    everyone = {m.account.id: m.membership.state for m in await service.members(admin.id, org_id)}
    assert everyone == {admin.id: "active", member.id: "removed"}


async def test_grants_summary_counts_valid_grants_of_this_organisation(db):
    admin = await person(db)
    org_id, org_key = await new_org(db, admin)
    box = org_key.public.box_pk
    for key in ("werk", "werk", "contact"):
        await grant(db, await section_of(db, key), "organisation", org_id, box)
    await grant(db, await section_of(db, "werk"), "organisation", org_id, box, revoked_at=NOW)
    await grant(db, await section_of(db, "werk"), "organisation", org_id, box, expires_at=NOW)
    await grant(db, await section_of(db, "werk"), "organisation", uuid.uuid4(), box)
    await grant(db, await section_of(db, "werk"), "person", admin.id, box)
    assert await PartiesService(db).grants_summary(admin.id, org_id) == [
        ("contact", 1),
        ("werk", 2),
    ]


# -- rotation -----------------------------------------------------------------------------


async def test_rotation_replaces_every_sealed_key_and_envelope(db):
    admin, stayer, leaver = await person(db), await person(db), await person(db)
    org_id, old = await new_org(db, admin)
    for m in (stayer, leaver):
        await add(db, admin, org_id, m, old)
    section = await section_of(db, "verhaal")
    ours = [
        await grant(db, section, "organisation", org_id, old.public.box_pk),
        await grant(db, section, "organisation", org_id, old.public.box_pk, revoked_at=NOW),
    ]
    append_only = await grant(
        db, section, "organisation", org_id, old.public.box_pk, can_read=False, envelope=None
    )
    theirs = await grant(db, section, "person", stayer.id, stayer.identity.public.box_pk)
    theirs_before = theirs.envelope
    service = PartiesService(db)
    await service.remove_member(admin.id, org_id, leaver.id)
    state = await service.rotation_state(admin.id, org_id)
    assert {g.id for g in state.grants} == {g.id for g in ours}
    assert {m.account.id for m in state.members} == {admin.id, stayer.id}

    new = crypto.Identity.generate()
    org = await service.rotate(
        admin.id, org_id, rotation(1, new, [admin, stayer], ours, old, org_id)
    )
    assert (org.key_version, org.box_pk, org.sign_pk) == (2, new.public.box_pk, new.public.sign_pk)
    for m in (admin, stayer):
        _, membership = await service.key(m.id, org_id)
        assert membership.key_version == 2
        assert m.opens(membership.sealed_org_key).secret() == new.secret()
    for g in ours:
        await db.refresh(g)
        secret = crypto.open_sealed(new.box, g.envelope)
        assert len(secret) == 32
        with pytest.raises(crypto.TamperedError):
            crypto.open_sealed(old.box, g.envelope)
    assert append_only.envelope is None
    assert theirs.envelope == theirs_before
    removed = await db.scalar(select(Membership).where(Membership.account_id == leaver.id))
    assert (removed.state, removed.key_version, removed.sealed_org_key) == ("removed", 1, b"")
    assert not (await service.rotation_state(admin.id, org_id)).rotation_due
    versions = await db.scalars(select(OrgKeyVersion.version).where(OrgKeyVersion.org_id == org_id))
    assert sorted(versions) == [1, 2]


@pytest.mark.parametrize("case", ["no-member", "extra-member", "no-grant", "extra-grant"])
async def test_rotation_must_cover_exactly_members_and_grants(db, case):
    admin, member, stranger = await person(db), await person(db), await person(db)
    org_id, old = await new_org(db, admin)
    await add(db, admin, org_id, member, old)
    section = await section_of(db, "plan")
    ours = await grant(db, section, "organisation", org_id, old.public.box_pk)
    other = await grant(db, section, "organisation", uuid.uuid4(), old.public.box_pk)
    members, grants = {
        "no-member": ([admin], [ours]),
        "extra-member": ([admin, member, stranger], [ours]),
        "no-grant": ([admin, member], []),
        "extra-grant": ([admin, member], [ours, other]),
    }[case]
    with pytest.raises(RotationIncomplete):
        await PartiesService(db).rotate(
            admin.id, org_id, rotation(1, crypto.Identity.generate(), members, grants, old, org_id)
        )


async def test_rotation_refuses_stale_duplicate_reused_and_non_admin(db):
    admin, member = await person(db), await person(db)
    org_id, old = await new_org(db, admin)
    await add(db, admin, org_id, member, old)
    service = PartiesService(db)
    new = crypto.Identity.generate()
    with pytest.raises(VersionConflict):
        await service.rotate(admin.id, org_id, rotation(2, new, [admin, member], [], old, org_id))
    with pytest.raises(Forbidden):
        await service.rotate(member.id, org_id, rotation(1, new, [admin, member], [], old, org_id))
    with pytest.raises(InvalidInput):
        await service.rotate(
            admin.id, org_id, rotation(1, new, [admin, admin, member], [], old, org_id)
        )
    with pytest.raises(InvalidInput):
        await service.rotate(admin.id, org_id, rotation(1, old, [admin, member], [], old, org_id))
    assert (await service.organisation(org_id)).key_version == 1


async def test_a_rewrapped_envelope_keeps_its_length(db):
    admin = await person(db)
    org_id, old = await new_org(db, admin)
    section = await section_of(db, "geld")
    ours = await grant(db, section, "organisation", org_id, old.public.box_pk)
    upload = rotation(1, crypto.Identity.generate(), [admin], [ours], old, org_id)
    upload.grants[0].envelope = crypto.b64e(b"\0" * 100)
    with pytest.raises(InvalidInput):
        await PartiesService(db).rotate(admin.id, org_id, upload)
