"""Wie keek in mijn rugzak?: the access log page. The browser fetches the same JSON as
`GET /api/v1/dossiers/{id}/log` from here (page cookie), checks the hash chain against the
newest checkpoint it knows (the server's and the one this device remembers), shows a clear
warning when the chain is broken, and posts a new checkpoint it signed (`js/app/accesslog.js`).
The server serves the chain; it is the owner's browser that decides whether to believe it."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import JSONBody, QueryParameter
from litestar.response import Template

from consent.log.schemas import CheckpointIn, CheckpointOut, LogPage
from consent.log.service import PAGE_LIMIT, LogService
from web.auth import requires_login
from web.deps import CallerDep, DbSession
from web.pages.sharing_api import JSON_ERRORS
from web.pages.view import Pages
from web.params import Seq

Limit = Annotated[int, QueryParameter(ge=1, le=PAGE_LIMIT)]


class LogPages(Controller):
    path = "/wie-keek"
    guards = [requires_login]
    include_in_schema = False

    @get("/")
    async def show(self, caller: CallerDep, db_session: DbSession) -> Template:
        dossier = await Pages(db_session).own_dossier(caller.account_id)
        return Template(
            template_name="pages/wie-keek.html",
            context={"dossier": dossier, "signed_in": True, "scripts": ["js/app/accesslog.js"]},
        )


class LogData(Controller):
    path = "/wie-keek/data"
    guards = [requires_login]
    include_in_schema = False
    exception_handlers = JSON_ERRORS

    @get("/")
    async def events(
        self, caller: CallerDep, db_session: DbSession, after: Seq = 0, limit: Limit = PAGE_LIMIT
    ) -> LogPage:
        dossier = await Pages(db_session).own_dossier(caller.account_id)
        return await LogService(db_session).page(caller.account_id, dossier.id, after, limit)

    @post("/checkpoints", status_code=201)
    async def checkpoint(
        self, data: JSONBody[CheckpointIn], caller: CallerDep, db_session: DbSession
    ) -> CheckpointOut:
        dossier = await Pages(db_session).own_dossier(caller.account_id)
        return await LogService(db_session).store_checkpoint(caller.account_id, dossier.id, data)
