"""Direct database access for tests that play a malicious or curious server."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from dossier.db import make_engine


async def _run(url: str, statement: str, params: dict[str, Any] | None) -> list[Any]:
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(text(statement), params or {})
            return list(result.all()) if result.returns_rows else []
    finally:
        await engine.dispose()


def sql(url: str, statement: str, params: dict[str, Any] | None = None) -> list[Any]:
    """Run one statement in its own transaction and return its rows."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _run(url, statement, params)).result()


async def _add(url: str, rows: list[Any]) -> None:
    engine = make_engine(url)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            session.add_all(rows)
    finally:
        await engine.dispose()


def add_rows(url: str, *rows: Any) -> None:
    """Insert ORM rows in one transaction, straight into the database (no service checks)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _add(url, list(rows))).result()


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
