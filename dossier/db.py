"""Database plumbing shared by every package: the declarative base and the engine factory.

SQLite runs in WAL mode with foreign keys on; PostgreSQL is used as is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import msgspec
from advanced_alchemy.base import orm_registry
from sqlalchemy import BINARY, Executable, TypeDecorator, event
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.engine import CursorResult, Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import DeclarativeBase

metadata = orm_registry.metadata

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./var/rugzak.db"


def utcnow() -> dt.datetime:
    """Now, in UTC: every table's default time and every service's clock unless one is given."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Base for every Rugzak table; shares advanced-alchemy's registry and naming convention."""

    registry = orm_registry
    metadata = orm_registry.metadata


async def changed_rows(
    db: AsyncSession, statement: Executable, params: dict[str, Any] | None = None
) -> int:
    """Run an INSERT, UPDATE or DELETE and return how many rows it changed.
    `AsyncSession.execute` is typed as the general `Result`, which has no `rowcount`; for DML
    it is a `CursorResult`."""
    result = await db.execute(statement, params)
    assert isinstance(result, CursorResult)
    return result.rowcount


class UuidText(TypeDecorator[str]):
    """A stored GUID (advanced-alchemy's type) read straight as its canonical text, for hot read
    models that put ids into pages: no `uuid.UUID` made and formatted per value. Use it as
    `type_coerce(column, UuidText())` in a select; it is for reading only."""

    impl = BINARY(16)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(PG_UUID(as_uuid=False))
        return dialect.type_descriptor(BINARY(16))

    def process_result_value(self, value: Any, _dialect: Dialect) -> str | None:
        if value is None or isinstance(value, str):
            return value
        h = value.hex()  # 16 bytes as SQLite stores them
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL never corrupts the database; a power cut may lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _json_dumps(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def make_engine(url: str, *, pool_size: int | None = None, **kwargs: Any) -> AsyncEngine:
    """An async engine for `url`; SQLite connections get WAL, foreign keys and a busy timeout.
    `pool_size`: connections kept open on PostgreSQL (SQLAlchemy's default is 5)."""
    if pool_size is not None and url.startswith("postgresql"):
        kwargs.setdefault("pool_size", pool_size)
    kwargs.setdefault("json_serializer", _json_dumps)
    kwargs.setdefault("json_deserializer", msgspec.json.decode)
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, so callers can create its folder first."""
    marker = ":///"
    if not url.startswith("sqlite") or marker not in url:
        return None
    path = url.split(marker, 1)[1].split("?", 1)[0]
    return None if path in {"", ":memory:"} else Path(path)
