"""The parties API: organisations, their members and their key rotation.

Every route needs a login; the service checks membership (and the admin role for member
management and rotation). Everything secret in a body is sealed by a client."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from consent.parties import schemas as s
from consent.parties.lookups import Member
from consent.parties.models import Membership, Organisation
from consent.parties.service import PartiesService, RotationFacts
from dossier import crypto
from dossier.accounts.models import Account
from web.auth import CALLER_SECURITY, requires_login
from web.deps import CallerDep, DbSession

Parties = NamedDependency[PartiesService]


async def provide_parties(db_session: DbSession) -> PartiesService:
    return PartiesService(db_session)


def identity_of(row: Organisation | Account) -> dict[str, object]:
    return crypto.PublicIdentity(box_pk=row.box_pk, sign_pk=row.sign_pk).to_json()


def org_out(org: Organisation) -> s.OrganisationOut:
    return s.OrganisationOut(
        id=str(org.id),
        name=org.name,
        kind=org.kind,
        key_version=org.key_version,
        identity=identity_of(org),
    )


def person_out(account: Account) -> s.Person:
    return s.Person(
        account_id=str(account.id), username=account.username, identity=identity_of(account)
    )


def member_out(member: Member) -> s.MemberOut:
    m, a = member.membership, member.account
    return s.MemberOut(
        account_id=str(a.id),
        username=a.username,
        role=m.role,
        state=m.state,
        key_version=m.key_version,
        identity=identity_of(a),
    )


def key_out(org: Organisation, membership: Membership) -> s.OrgKeyOut:
    return s.OrgKeyOut(
        org=str(org.id),
        key_version=membership.key_version,
        identity=identity_of(org),
        sealed_org_key=crypto.b64e(membership.sealed_org_key),
    )


def rotation_out(facts: RotationFacts) -> s.RotationState:
    return s.RotationState(
        org=str(facts.org.id),
        key_version=facts.org.key_version,
        rotation_due=facts.rotation_due,
        members=[
            s.Attested(
                account_id=str(m.account.id),
                username=m.account.username,
                identity=identity_of(m.account),
                attestation=m.membership.attestation,
            )
            for m in facts.members
        ],
        grants=[
            s.GrantEnvelope(grant_id=str(g.id), envelope=crypto.b64e(g.envelope))
            for g in facts.grants
            if g.envelope is not None
        ],
    )


class PartiesController(Controller):
    path = "/api/v1"
    tags = ["parties"]
    guards = [requires_login]
    security = CALLER_SECURITY
    dependencies = {"parties": Provide(provide_parties)}

    @post("/organisations", status_code=201)
    async def create(
        self, data: JSONBody[s.NewOrganisation], caller: CallerDep, parties: Parties
    ) -> s.OrganisationOut:
        return org_out(await parties.create(caller.account_id, data))

    @get("/organisations")
    async def mine(self, caller: CallerDep, parties: Parties) -> list[s.MyOrganisation]:
        return [
            s.MyOrganisation(
                id=str(org.id),
                name=org.name,
                kind=org.kind,
                key_version=org.key_version,
                role=membership.role,
                rotation_due=due,
            )
            for org, membership, due in await parties.mine(caller.account_id)
        ]

    @get("/organisations/{org_id:uuid}")
    async def show(self, org_id: FromPath[uuid.UUID], parties: Parties) -> s.OrganisationOut:
        """Public to anyone signed in: a youth seals grants to this identity."""
        return org_out(await parties.organisation(org_id))

    @get("/organisations/{org_id:uuid}/key")
    async def key(
        self, org_id: FromPath[uuid.UUID], caller: CallerDep, parties: Parties
    ) -> s.OrgKeyOut:
        return key_out(*await parties.key(caller.account_id, org_id))

    @get("/organisations/{org_id:uuid}/members")
    async def members(
        self, org_id: FromPath[uuid.UUID], caller: CallerDep, parties: Parties
    ) -> list[s.MemberOut]:
        return [member_out(m) for m in await parties.members(caller.account_id, org_id)]

    @get("/organisations/{org_id:uuid}/candidates/{who:str}")
    async def candidate(
        self, org_id: FromPath[uuid.UUID], who: FromPath[str], caller: CallerDep, parties: Parties
    ) -> s.Person:
        return person_out(await parties.candidate(caller.account_id, org_id, who))

    @post("/organisations/{org_id:uuid}/members", status_code=201)
    async def add_member(
        self,
        org_id: FromPath[uuid.UUID],
        data: JSONBody[s.NewMember],
        caller: CallerDep,
        parties: Parties,
    ) -> s.MemberOut:
        return member_out(await parties.add_member(caller.account_id, org_id, data))

    @put("/organisations/{org_id:uuid}/members/{account_id:uuid}/role")
    async def set_role(
        self,
        org_id: FromPath[uuid.UUID],
        account_id: FromPath[uuid.UUID],
        data: JSONBody[s.RoleChange],
        caller: CallerDep,
        parties: Parties,
    ) -> s.MemberOut:
        member = await parties.set_role(caller.account_id, org_id, account_id, data.role)
        return member_out(member)

    @delete("/organisations/{org_id:uuid}/members/{account_id:uuid}")
    async def remove_member(
        self,
        org_id: FromPath[uuid.UUID],
        account_id: FromPath[uuid.UUID],
        caller: CallerDep,
        parties: Parties,
    ) -> None:
        """Refused at once from here on; the admin's client then rotates the org key."""
        await parties.remove_member(caller.account_id, org_id, account_id)

    @get("/organisations/{org_id:uuid}/rotation")
    async def rotation_state(
        self, org_id: FromPath[uuid.UUID], caller: CallerDep, parties: Parties
    ) -> s.RotationState:
        return rotation_out(await parties.rotation_state(caller.account_id, org_id))

    @post("/organisations/{org_id:uuid}/rotation", status_code=HTTP_200_OK)
    async def rotate(
        self,
        org_id: FromPath[uuid.UUID],
        data: JSONBody[s.Rotation],
        caller: CallerDep,
        parties: Parties,
    ) -> s.OrganisationOut:
        return org_out(await parties.rotate(caller.account_id, org_id, data))

    @get("/organisations/{org_id:uuid}/grants")
    async def grants(
        self, org_id: FromPath[uuid.UUID], caller: CallerDep, parties: Parties
    ) -> list[s.SectionGrants]:
        rows = await parties.grants_summary(caller.account_id, org_id)
        return [s.SectionGrants(section=section, grants=n) for section, n in rows]
