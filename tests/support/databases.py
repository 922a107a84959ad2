"""Migrated template databases, one per backend per test session, and fresh copies of them.

Service tests run inside a transaction on the template that is rolled back; tests that run
the whole app (which commits) get a fresh copy: a file copy for SQLite, `CREATE DATABASE …
TEMPLATE` for PostgreSQL.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from web.migrate import upgrade


@dataclass
class Backend:
    name: str
    template_url: str
    _workdir: Path | None = None
    _server: str | None = None
    _made: list[str] = field(default_factory=list)

    @classmethod
    def sqlite(cls, workdir: Path) -> Backend:
        path = workdir / "template.db"
        url = f"sqlite+aiosqlite:///{path}"
        _migrate(url)
        return cls("sqlite", url, _workdir=workdir)

    @classmethod
    def postgresql(cls, server: str) -> Backend:
        _admin(server, "CREATE DATABASE rugzak_template")
        url = f"{server}/rugzak_template"
        _migrate(url)
        return cls("postgresql", url, _server=server)

    def empty_url(self) -> str:
        """A new database without tables, for a test that runs the migrations itself."""
        name = "e_" + uuid.uuid4().hex[:12]
        if self.name == "sqlite":
            assert self._workdir is not None
            return f"sqlite+aiosqlite:///{self._workdir / f'{name}.db'}"
        assert self._server is not None
        _admin(self._server, f"CREATE DATABASE {name}")
        self._made.append(name)
        return f"{self._server}/{name}"

    def fresh_url(self) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        if self.name == "sqlite":
            assert self._workdir is not None
            target = self._workdir / f"{name}.db"
            shutil.copyfile(self._workdir / "template.db", target)
            return f"sqlite+aiosqlite:///{target}"
        assert self._server is not None
        _admin(self._server, f"CREATE DATABASE {name} TEMPLATE rugzak_template")
        self._made.append(name)
        return f"{self._server}/{name}"


def _migrate(url: str) -> None:
    """Alembic's env.py runs `asyncio.run`, which refuses a thread whose loop is running (as
    Playwright's sync API makes it): migrate from a worker thread, so a template, and a live
    app on it, can be made also while a browser test runs (tests/browser)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(upgrade, url).result()


def _admin(server: str, statement: str) -> None:
    """Run one admin statement from a worker thread, so it works inside or outside a loop."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _admin_async(server, statement)).result()


async def _admin_async(server: str, statement: str) -> None:
    dsn = server.replace("postgresql+asyncpg://", "postgresql://") + "/postgres"
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()
