"""JSON routes of the organisation pages, for the admin's browser only: authenticated by the
HttpOnly page cookie, unsafe methods by the CSRF header (docs/web-app.md, "one transport per
phase"). Same shapes and the same `PartiesService` calls as `/api/v1/organisations`; refusals
are problem+json with a Dutch title. Everything secret in a body was sealed in the browser:
the new organisation's key, a colleague's copy of it, a rotation."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, get, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from consent.parties import schemas as s
from web.api.parties import (
    Parties,
    key_out,
    member_out,
    org_out,
    provide_parties,
    rotation_out,
)
from web.auth import requires_login
from web.deps import CallerDep
from web.pages.json_errors import JSON_ERRORS


class OrgData(Controller):
    path = "/pro/organisaties/data"
    guards = [requires_login]
    include_in_schema = False
    exception_handlers = JSON_ERRORS
    dependencies = {"parties": Provide(provide_parties)}

    @post("/", status_code=201)
    async def create(
        self, data: JSONBody[s.NewOrganisation], caller: CallerDep, parties: Parties
    ) -> s.OrganisationOut:
        return org_out(await parties.create(caller.account_id, data))

    @get("/{org_id:uuid}/sleutel")
    async def key(
        self, org_id: FromPath[uuid.UUID], caller: CallerDep, parties: Parties
    ) -> s.OrgKeyOut:
        return key_out(*await parties.key(caller.account_id, org_id))

    @post("/{org_id:uuid}/leden", status_code=201)
    async def add_member(
        self,
        org_id: FromPath[uuid.UUID],
        data: JSONBody[s.NewMember],
        caller: CallerDep,
        parties: Parties,
    ) -> s.MemberOut:
        return member_out(await parties.add_member(caller.account_id, org_id, data))

    @delete("/{org_id:uuid}/leden/{account_id:uuid}")
    async def remove_member(
        self,
        org_id: FromPath[uuid.UUID],
        account_id: FromPath[uuid.UUID],
        caller: CallerDep,
        parties: Parties,
    ) -> None:
        await parties.remove_member(caller.account_id, org_id, account_id)

    @get("/{org_id:uuid}/rotatie")
    async def rotation_state(
        self, org_id: FromPath[uuid.UUID], caller: CallerDep, parties: Parties
    ) -> s.RotationState:
        return rotation_out(await parties.rotation_state(caller.account_id, org_id))

    @post("/{org_id:uuid}/rotatie", status_code=HTTP_200_OK)
    async def rotate(
        self,
        org_id: FromPath[uuid.UUID],
        data: JSONBody[s.Rotation],
        caller: CallerDep,
        parties: Parties,
    ) -> s.OrganisationOut:
        return org_out(await parties.rotate(caller.account_id, org_id, data))
