"""Wie keek in mijn rugzak?: the access log page. The browser fetches
`GET /api/v1/dossiers/{id}/log` (page cookie and CSRF header), checks the hash chain against the
newest checkpoint it knows (the server's and the one this device remembers), shows a clear
warning when the chain is broken, and posts a new checkpoint it signed to the same API
(`js/app/accesslog.js`).
The server serves the chain; it is the owner's browser that decides whether to believe it."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter
from litestar.response import Template

from consent.log.service import PAGE_LIMIT
from web.auth import requires_login
from web.deps import CallerDep, Dossiers

Limit = Annotated[int, QueryParameter(ge=1, le=PAGE_LIMIT)]


class LogPages(Controller):
    path = "/wie-keek"
    guards = [requires_login]
    include_in_schema = False

    @get("/")
    async def show(self, caller: CallerDep, dossiers: Dossiers) -> Template:
        dossier = await dossiers.own_dossier(caller.account_id)
        return Template(
            template_name="pages/wie-keek.html",
            context={"dossier": dossier, "signed_in": True, "scripts": ["js/app/accesslog.js"]},
        )
