"""Direct database access for tests that play a malicious or curious server."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from dossier.db import make_engine

T = TypeVar("T")


def on_db(url: str, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Run `work(connection)` in one transaction on the database at `url`, from sync code."""

    async def go() -> T:
        engine = make_engine(url)
        try:
            async with engine.begin() as connection:
                return await work(connection)
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


def sql(url: str, statement: str, params: dict[str, Any] | None = None) -> list[Any]:
    """Run one statement in its own transaction and return its rows."""

    async def run(connection: AsyncConnection) -> list[Any]:
        result = await connection.execute(text(statement), params or {})
        return list(result.all()) if result.returns_rows else []

    return on_db(url, run)


def add_rows(url: str, *rows: Any) -> None:
    """Insert ORM rows in one transaction, straight into the database (no service checks)."""

    async def add(connection: AsyncConnection) -> None:
        async with AsyncSession(bind=connection, expire_on_commit=False) as session:
            session.add_all(rows)
            await session.flush()

    on_db(url, add)


def row_counts(url: str) -> dict[str, int]:
    tables = [
        "account",
        "login_session",
        "dossier",
        "section",
        "entry",
        "blob",
        "blob_chunk",
    ]
    return {t: sql(url, f"SELECT count(*) FROM {t}")[0][0] for t in tables}


def plant_entry(url: str, sealed: Any, author_id: str, like: str | None = None) -> None:
    """The server stores an entry version directly, past its own checks: a copy of the row of
    version 1 of entry `like` (by default the sealed entry's own) with this payload."""
    as_id: Callable[[uuid.UUID], Any] = str if url.startswith("postgresql") else lambda u: u.bytes
    sql(
        url,
        "INSERT INTO entry (id, dossier_id, section_id, entry_id, version, author_id,"
        " key_version, payload, size, created_at) SELECT :id, dossier_id, section_id, :e,"
        " :v, :a, key_version, :p, size, created_at FROM entry"
        " WHERE entry_id = :like AND version = 1",
        {
            "id": as_id(uuid.uuid4()),
            "e": as_id(uuid.UUID(sealed.entry)),
            "v": sealed.version,
            "a": as_id(uuid.UUID(author_id)),
            "p": json.dumps(sealed.to_json()),
            "like": as_id(uuid.UUID(like or sealed.entry)),
        },
    )
