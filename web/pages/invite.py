"""The invite page `/uitnodiging/{token}`: who invites, with the professional's key
fingerprint to compare in person, and "Verbinden". The browser recomputes the fingerprint from
the keys (a server-sent number is only shown when it matches), pins the professional's key,
and seals the youth's profile card to it (`js/app/invite.js`). Reading the invite is public
(the link is the credential); accepting needs a login."""

from __future__ import annotations

import json
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.response import Template

from consent.connections import schemas as s
from consent.connections.service import ConnectionService, decode_card
from dossier.crypto import b64e
from web.auth import public, requires_login, viewer_of
from web.deps import CallerDep, DbSession
from web.pages.sharing_api import JSON_ERRORS


class InvitePages(Controller):
    path = "/uitnodiging"
    include_in_schema = False

    @get("/{token:str}", guards=[public])
    async def show(
        self, request: Request[Any, Any, Any], token: FromPath[str], db_session: DbSession
    ) -> Template:
        viewer = viewer_of(request)
        found = await ConnectionService(db_session).invite_info(
            token, None if viewer is None else viewer.account_id
        )
        pro = found.professional
        return Template(
            template_name="pages/uitnodiging.html",
            context={
                "token": token,
                "professional_id": str(pro.id),
                "identity": json.dumps(
                    {"v": 1, "box_pk": b64e(pro.box_pk), "sign_pk": b64e(pro.sign_pk)}
                ),
                "fingerprint": found.fingerprint,
                "org_name": found.org_name,
                "used": found.invite.used_at is not None,
                "expires": found.invite.expires_at.strftime("%d-%m-%Y"),
                "signed_in": viewer is not None,
                "is_youth": viewer is not None and viewer.kind == "youth",
                "scripts": ["js/app/invite.js"],
            },
        )

    @post("/{token:str}", guards=[requires_login], exception_handlers=JSON_ERRORS)
    async def accept(
        self,
        token: FromPath[str],
        data: JSONBody[s.CardIn],
        caller: CallerDep,
        db_session: DbSession,
    ) -> dict[str, str]:
        """The youth's card was signed and sealed to the professional's key in the browser."""
        view = await ConnectionService(db_session).accept(
            caller.account_id, caller.kind, token, decode_card(data.card)
        )
        return {"id": str(view.connection.id), "other_id": str(view.other.id)}
