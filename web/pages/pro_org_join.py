"""`/pro/lid-worden/{token}`: a colleague opens the invite link of an organisation. Reading it
is public (the link is the credential: it shows only the organisation and the role); accepting
needs a professional's login. Accepting makes a join request, not a member: an admin's browser
seals the organisation key to this account after both compared its fingerprint
(docs/organisations.md, "Inviting colleagues")."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from consent.connections.service import fingerprint_of
from consent.parties.invites import MemberInvites
from web.auth import public, requires_login, viewer_of
from web.deps import Accounts, CallerDep, DbSession
from web.pages.pro_orgs import KINDS, ROLES


class JoinPages(Controller):
    path = "/pro/lid-worden"
    include_in_schema = False

    @get("/{token:str}", guards=[public])
    async def show(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[str],
        db_session: DbSession,
        accounts: Accounts,
    ) -> Template:
        viewer = viewer_of(request)
        facts = await MemberInvites(db_session).facts(
            token, None if viewer is None else viewer.account_id
        )
        mine = None
        if facts.mine and viewer is not None:
            mine = fingerprint_of(await accounts.get(viewer.account_id))
        return Template(
            template_name="pro/lid-worden.html",
            context={
                "token": token,
                "org": facts.org,
                "kind": KINDS.get(facts.org.kind, facts.org.kind),
                "role": ROLES.get(facts.invite.role, facts.invite.role),
                "expires": facts.invite.expires_at.strftime("%d-%m-%Y"),
                "my_fingerprint": mine,
                "signed_in": viewer is not None,
                "is_professional": viewer is not None and viewer.kind == "professional",
                "pro": viewer is not None and viewer.kind == "professional",
            },
        )

    @post("/{token:str}", guards=[requires_login])
    async def accept(
        self, token: FromPath[str], caller: CallerDep, db_session: DbSession
    ) -> Redirect:
        await MemberInvites(db_session).accept(caller.account_id, token)
        return Redirect(path=f"/pro/lid-worden/{token}", status_code=303)
