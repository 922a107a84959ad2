"""Shared fixtures: real databases (SQLite and a throwaway PostgreSQL cluster), migrated once
per session; service tests roll back, app tests get a fresh copy; a live server over HTTP."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from dossier.db import make_engine
from tests.support.databases import Backend
from tests.support.postgres import pg_bin, throwaway_cluster
from tests.support.server import live_server
from web.settings import Settings

BACKENDS = ["sqlite", "postgresql"]
# leaks: fails the run when a thread, child process or cluster outlives the session;
# running: names the test each worker is in, for .ci/run's overall timeout (docs/testing.md).
pytest_plugins = ["tests.support.leaks", "tests.support.running"]


@pytest.fixture(scope="session")
def sqlite_backend(tmp_path_factory: pytest.TempPathFactory) -> Backend:
    return Backend.sqlite(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def postgresql_backend() -> Iterator[Backend]:
    if pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must test PostgreSQL: install Debian's postgresql package")
        pytest.skip("PostgreSQL binaries are not installed on this machine")
    with throwaway_cluster() as server:
        yield Backend.postgresql(server)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    return request.getfixturevalue(f"{request.param}_backend")


@pytest.fixture
async def db(backend: Backend) -> AsyncIterator[AsyncSession]:
    """A session on the migrated template inside a transaction that is rolled back."""
    engine = make_engine(backend.template_url)
    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()
    await engine.dispose()


def make_settings(database_url: str, tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "secret_key": "test-secret",
        "cookie_secure": False,
        "blob_dir": str(tmp_path / "blobs"),
        "login_rate_per_minute": 1000,
        "address_rate_per_minute": 10000,
        "oidc_loopback_http": True,  # the test identity provider runs on loopback
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(backend: Backend, tmp_path: Path) -> Settings:
    return make_settings(backend.fresh_url(), tmp_path)


@pytest.fixture
def server(settings: Settings) -> Iterator[str]:
    with live_server(settings) as url:
        yield url
