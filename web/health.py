"""Liveness and readiness: `/health` answers when the app runs and its database answers."""

from __future__ import annotations

import msgspec
from litestar import get
from sqlalchemy import text

from web.auth import public
from web.deps import DbSession


class Health(msgspec.Struct):
    status: str
    database: str


@get("/health", guards=[public], tags=["system"])
async def health(db_session: DbSession) -> Health:
    await db_session.execute(text("SELECT 1"))
    return Health(status="ok", database=db_session.bind.dialect.name)
