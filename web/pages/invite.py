"""The invite page `/uitnodiging/{token}`: who invites, with the professional's key
fingerprint to compare in person, and "Verbinden". The browser recomputes the fingerprint from
the keys (a server-sent number is only shown when it matches), pins the professional's key,
and seals the youth's profile card to it (`js/app/invite.js`), then accepts through
`POST /api/v1/connections` like the Python client. Reading the invite is public (the link is the
credential); accepting needs a login."""

from __future__ import annotations

import json
from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template

from consent.connections.service import ConnectionService
from dossier.crypto import VERSION, b64e
from web.auth import public, viewer_of
from web.deps import DbSession
from web.dutch import moment


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
                    {"v": VERSION, "box_pk": b64e(pro.box_pk), "sign_pk": b64e(pro.sign_pk)}
                ),
                "fingerprint": found.fingerprint,
                "org_name": found.org_name,
                "card": None if found.invite.card is None else b64e(found.invite.card),
                "used": found.invite.used_at is not None,
                "purpose": found.invite.purpose,
                "expires": moment(found.invite.expires_at),
                "signed_in": viewer is not None,
                "is_youth": viewer is not None and viewer.kind == "youth",
                "scripts": ["js/app/invite.js"],
            },
        )
