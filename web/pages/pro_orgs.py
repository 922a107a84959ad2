"""Organisation admin pages on top of `consent.parties` (docs/organisations.md): my
organisations, members and roles, how many grants the organisation holds per section (counts,
never content), and the single sign-on settings. Removing a member takes effect at once (403
from the next request on); the organisation key is then rotated by an admin's client
(`PartiesClient.rotate_org_key`, docs/professionals.md) and the page says so until it has run.
Creating an organisation and adding members seal the organisation key, so they run in an
admin's client (the Python client or CLI for now)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from consent.parties.service import PartiesService
from dossier.errors import InvalidInput
from dossier.store.catalogue import SECTIONS
from web.auth import requires_login
from web.deps import CallerDep, DbSession, SettingsDep

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
ROLES = {"member": "lid", "admin": "beheerder"}


async def provide_parties(db_session: DbSession) -> PartiesService:
    return PartiesService(db_session)


Parties = NamedDependency[PartiesService]


class OrgPages(Controller):
    path = "/pro/organisaties"
    guards = [requires_login]
    include_in_schema = False
    dependencies = {"parties": Provide(provide_parties)}

    @get("/")
    async def mine(self, caller: CallerDep, parties: Parties) -> Template:
        orgs = await parties.mine(caller.account_id)
        return Template(
            template_name="pro/organisaties.html",
            context={"orgs": orgs, "roles": ROLES, "signed_in": True, "pro": True},
        )

    @get("/{org_id:uuid}")
    async def show(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[uuid.UUID],
        caller: CallerDep,
        parties: Parties,
        settings: SettingsDep,
    ) -> Template:
        members = await parties.members(caller.account_id, org_id)
        counts = await parties.grants_summary(caller.account_id, org_id)
        mine = {o.id: (o, m, due) for o, m, due in await parties.mine(caller.account_id)}
        org, membership, rotation_due = mine[org_id]
        return Template(
            template_name="pro/organisatie.html",
            context={
                "org": org,
                "me": membership,
                "admin": membership.role == "admin",
                "rotation_due": rotation_due,
                "members": members,
                "counts": [(SECTIONS.get(k, k), n) for k, n in counts],
                "roles": ROLES,
                "callback": settings.base_url + "/inloggen/sso/terug",
                "saved": request.query_params.get("oidc") == "1",
                "signed_in": True,
                "pro": True,
            },
        )

    @post("/{org_id:uuid}/leden/{account_id:uuid}/rol")
    async def set_role(
        self,
        org_id: FromPath[uuid.UUID],
        account_id: FromPath[uuid.UUID],
        data: Form,
        caller: CallerDep,
        parties: Parties,
    ) -> Redirect:
        role = data.get("rol", "")
        if role not in ROLES:
            raise InvalidInput("unknown role")
        await parties.set_role(caller.account_id, org_id, account_id, role)
        return Redirect(path=f"/pro/organisaties/{org_id}", status_code=303)

    @post("/{org_id:uuid}/leden/{account_id:uuid}/verwijderen")
    async def remove(
        self,
        org_id: FromPath[uuid.UUID],
        account_id: FromPath[uuid.UUID],
        caller: CallerDep,
        parties: Parties,
    ) -> Redirect:
        await parties.remove_member(caller.account_id, org_id, account_id)
        return Redirect(path=f"/pro/organisaties/{org_id}", status_code=303)
