"""The access log ("Wie keek in mijn rugzak?"): read by the owner only, checkpoints signed by
the owner's client, and the export event. The server serves the chain; the owner's client
decides whether to believe it."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter

from consent.log.schemas import CheckpointIn, CheckpointOut, LogEventOut, LogPage
from consent.log.service import PAGE_LIMIT, LogService
from web.auth import CALLER_SECURITY, requires_login
from web.deps import CallerDep, DbSession
from web.params import Seq

Log = NamedDependency[LogService]
Limit = Annotated[int, QueryParameter(ge=1, le=PAGE_LIMIT)]


async def provide_log(db_session: DbSession) -> LogService:
    return LogService(db_session)


class LogController(Controller):
    path = "/api/v1/dossiers/{dossier_id:uuid}/log"
    tags = ["log"]
    guards = [requires_login]
    security = CALLER_SECURITY
    dependencies = {"log": Provide(provide_log)}

    @get("/")
    async def show(
        self,
        dossier_id: FromPath[uuid.UUID],
        caller: CallerDep,
        log: Log,
        after: Seq = 0,
        limit: Limit = PAGE_LIMIT,
    ) -> LogPage:
        return await log.page(caller.account_id, dossier_id, after, limit)

    @post("/checkpoints", status_code=201)
    async def checkpoint(
        self,
        dossier_id: FromPath[uuid.UUID],
        data: JSONBody[CheckpointIn],
        caller: CallerDep,
        log: Log,
    ) -> CheckpointOut:
        return await log.store_checkpoint(caller.account_id, dossier_id, data)

    @post("/export", status_code=201)
    async def export(
        self, dossier_id: FromPath[uuid.UUID], caller: CallerDep, log: Log
    ) -> LogEventOut:
        return await log.export(caller.account_id, dossier_id)
