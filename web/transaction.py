"""The end of a request's transaction: COMMIT when the request succeeded and wrote
something, ROLLBACK otherwise (a read that wrote nothing sends no COMMIT; with no statement
at all, nothing). Replaces advanced-alchemy's `autocommit_include_redirects`, which commits
every successful request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from advanced_alchemy.extensions.litestar._utils import (
    delete_aa_scope_state,
    get_aa_scope_state,
)
from advanced_alchemy.extensions.litestar.plugins.init.config.common import (
    SESSION_TERMINUS_ASGI_EVENTS,
)
from litestar.constants import HTTP_RESPONSE_START
from litestar.types import Message, Scope
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

WROTE = "rugzak_wrote"
READS = ("SELECT", "PRAGMA", "WITH R")  # WITH RECURSIVE … SELECT; any other WITH may write


def _begun(conn: Connection) -> None:
    conn.info[WROTE] = False


def _sent(conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
    if not statement.lstrip()[:6].upper().startswith(READS):
        conn.info[WROTE] = True


def track_writes(engine: AsyncEngine) -> None:
    """Mark a connection's transaction once it sends anything but a read."""
    event.listen(engine.sync_engine, "begin", _begun)
    event.listen(engine.sync_engine, "before_cursor_execute", _sent)


async def wrote(session: AsyncSession) -> bool:
    if session.new or session.dirty or session.deleted:
        return True
    if not session.in_transaction():
        return False
    connection = await session.connection()
    return bool(connection.info.get(WROTE, True))


def transaction_ender(scope_key: str) -> Callable[[Message, Scope], Awaitable[None]]:
    """The before-send hook for the config whose request sessions live under `scope_key`
    (advanced-alchemy makes that key unique per config, so pass `session_scope_key`)."""

    async def end_transaction(message: Message, scope: Scope) -> None:
        session: AsyncSession | None = get_aa_scope_state(scope, scope_key)
        if session is None:
            return
        try:
            if (
                message["type"] == HTTP_RESPONSE_START
                and 200 <= message["status"] < 400
                and await wrote(session)
            ):
                await session.commit()
            # Otherwise `close()` below rolls back what is open (the response's start ends the
            # session): one ROLLBACK. A `rollback()` before it made the pool reset the
            # connection a second time, a thread hop per read on aiosqlite.
        finally:
            if message["type"] in SESSION_TERMINUS_ASGI_EVENTS:
                await session.close()
                delete_aa_scope_state(scope, scope_key)

    return end_transaction
