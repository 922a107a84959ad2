"""Membership attestations and org key successions on the server side: defence in depth
behind the clients' own checks (docs/organisations.md, "A member the server slips in")."""

import uuid

import pytest
from sqlalchemy import select

from consent.parties import schemas as s
from consent.parties.models import OrgKeyVersion
from consent.parties.service import PartiesService
from dossier import crypto
from dossier.errors import InvalidInput
from tests.consent.test_parties_service import attest, new_org, person, rotation, sealed_for


async def test_memberships_need_an_attestation_signed_with_the_org_key(db):
    """Defence in depth: the clients check attestations before sealing a rotated key; the
    server refuses to store one that does not verify, and nothing changes."""
    admin, member, other = await person(db), await person(db), await person(db)
    org_key = crypto.Identity.generate()
    org_id = uuid.uuid4()
    data = s.NewOrganisation(
        id=str(org_id),
        name="Wijkteam",
        kind="gemeente",
        identity=org_key.public.to_json(),
        sealed_org_key=sealed_for(admin, org_key),
        attestation=attest(crypto.Identity.generate(), org_id, admin, 1),  # not the org key
    )
    with pytest.raises(InvalidInput):
        await PartiesService(db).create(admin.id, data)
    org_id, org_key = await new_org(db, admin)
    service = PartiesService(db)
    for wrong in (attest(org_key, org_id, other, 1), attest(org_key, org_id, member, 2)):
        with pytest.raises(InvalidInput):
            await service.add_member(
                admin.id,
                org_id,
                s.NewMember(
                    account_id=str(member.id),
                    key_version=1,
                    sealed_org_key=sealed_for(member, org_key),
                    attestation=wrong,
                ),
            )
    assert [m.account.id for m in await service.members(admin.id, org_id)] == [admin.id]
    upload = rotation(1, crypto.Identity.generate(), [admin], [], org_key, org_id)
    upload.members[0].attestation = attest(org_key, org_id, admin, 2)  # signed by the old key
    with pytest.raises(InvalidInput):
        await service.rotate(admin.id, org_id, upload)


async def test_a_rotation_needs_the_old_key_to_name_the_new_one(db):
    admin = await person(db)
    org_id, old = await new_org(db, admin)
    new = crypto.Identity.generate()
    upload = rotation(1, new, [admin], [], old, org_id)
    upload.succession = crypto.sign_succession(new, str(org_id), new.public, 2)  # self-signed
    with pytest.raises(InvalidInput):
        await PartiesService(db).rotate(admin.id, org_id, upload)


async def test_a_good_rotation_stores_the_succession(db):
    admin = await person(db)
    org_id, old = await new_org(db, admin)
    new = crypto.Identity.generate()
    await PartiesService(db).rotate(admin.id, org_id, rotation(1, new, [admin], [], old, org_id))
    [(succession,)] = (
        await db.execute(
            select(OrgKeyVersion.succession).where(
                OrgKeyVersion.org_id == org_id, OrgKeyVersion.version == 2
            )
        )
    ).all()
    crypto.verify_succession(succession, old.public.sign_pk, str(org_id), new.public, 2)
