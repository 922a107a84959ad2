"""Organisation admin pages on top of `consent.parties` (docs/organisations.md): my
organisations, members and roles, invites for colleagues, how many grants the organisation
holds per section (counts, never content), and the single sign-on settings.

What needs the organisation key runs in the admin's browser (`js/app/pro-org.js`, calling
`/api/v1/organisations…` with the page cookie and the CSRF header): creating an organisation,
adding a colleague who accepted an invite, and rotating the key after a removal. Removing a
member takes effect at once (403 from the next request on) even without script; the page then
says the key must be renewed until an admin's browser or client has done it."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from consent.parties.invites import MemberInvites
from consent.parties.service import PartiesService
from dossier import crypto
from dossier.errors import InvalidInput
from dossier.sections.catalogue import SECTIONS
from web.auth import requires_login
from web.deps import CallerDep, DbSession, SettingsDep
from web.invites import qr_data_uri

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
ROLES = {"member": "lid", "admin": "beheerder"}
DONE = {  # ?klaar=… after an action in the admin's browser: (message, kind)
    "toegevoegd": ("Je collega is toegevoegd.", "ok"),
    "verwijderd": ("Het lid is verwijderd en de sleutel is vernieuwd.", "ok"),
    "vernieuwd": ("De sleutel van de organisatie is vernieuwd.", "ok"),
    "half": ("Het lid is verwijderd. De sleutel vernieuwen lukte nog niet.", "warning"),
}
KINDS = {
    "jobcoach": "Jobcoaching",
    "school": "School of ROC",
    "gemeente": "Gemeente",
    "zorg": "Zorg of hulpverlening",
}


def join_link(base_url: str, token: str) -> str:
    return f"{base_url}/pro/lid-worden/{token}"


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
            context={
                "orgs": orgs,
                "roles": ROLES,
                "kinds": KINDS,
                "signed_in": True,
                "pro": True,
                "scripts": ["js/app/pro-org.js"],
            },
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
        admin = membership.role == "admin"
        invites = (
            await MemberInvites(parties.db).open_invites(caller.account_id, org_id)
            if admin
            else None
        )
        return Template(
            template_name="pro/organisatie.html",
            context={
                "org": org,
                "me": membership,
                "admin": admin,
                "invites": invites,
                "identity_json": identity_json,
                "rotation_due": rotation_due,
                "members": members,
                "counts": [(SECTIONS.get(k, k), n) for k, n in counts],
                "roles": ROLES,
                "callback": settings.base_url + "/inloggen/sso/terug",
                "saved": request.query_params.get("oidc") == "1",
                "done": DONE.get(request.query_params.get("klaar", "")),
                "signed_in": True,
                "pro": True,
                "scripts": ["js/app/pro-org.js"],
            },
        )

    @post("/{org_id:uuid}/uitnodigingen")
    async def invite(
        self,
        org_id: FromPath[uuid.UUID],
        data: Form,
        caller: CallerDep,
        parties: Parties,
        settings: SettingsDep,
    ) -> Template:
        """The link is shown here once; the server keeps only its hash."""
        role = data.get("rol", "member")
        made = await MemberInvites(parties.db).create(caller.account_id, org_id, role)
        org = await parties.organisation(org_id)
        link = join_link(settings.base_url, made.token)
        return Template(
            template_name="pro/collega-uitnodigen.html",
            context={
                "org": org,
                "role": ROLES.get(role, role),
                "link": link,
                "qr": qr_data_uri(link),
                "expires": made.invite.expires_at.strftime("%d-%m-%Y"),
                "signed_in": True,
                "pro": True,
            },
        )

    @post("/{org_id:uuid}/uitnodigingen/{invite_id:uuid}/intrekken")
    async def withdraw(
        self,
        org_id: FromPath[uuid.UUID],
        invite_id: FromPath[uuid.UUID],
        caller: CallerDep,
        parties: Parties,
    ) -> Redirect:
        await MemberInvites(parties.db).withdraw(caller.account_id, org_id, invite_id)
        return Redirect(path=f"/pro/organisaties/{org_id}", status_code=303)

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


def identity_json(row: Any) -> str:
    """A public identity as the browser reads it from a data attribute."""
    identity = crypto.PublicIdentity(box_pk=row.box_pk, sign_pk=row.sign_pk)
    return msgspec.json.encode(identity.to_json()).decode()
