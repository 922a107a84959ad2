"""Shared fixtures: real databases (SQLite and a throwaway PostgreSQL cluster), migrated once
per session; service tests roll back; one live app over HTTP per backend per worker, shared by
the app tests, each on fresh accounts (docs/testing.md)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from py_vapid import Vapid02
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from dossier.db import make_engine
from tests.support.databases import Backend
from tests.support.postgres import pg_bin, throwaway_cluster
from tests.support.server import live_server
from web.settings import Settings

BACKENDS = ["sqlite", "postgresql"]
# leaks: fails the run when a thread, child process or cluster outlives the session;
# running: names the test each worker is in, for .ci/run's overall timeout; backstop: ends a
# test that swallowed its timeout; order: heaviest files first (docs/testing.md).
pytest_plugins = [
    "tests.support.leaks",
    "tests.support.running",
    "tests.support.backstop",
    "tests.support.order",
]


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
    try:
        async with engine.connect() as connection:
            left = await connection.scalar(text("SELECT count(*) FROM account"))
    finally:
        await engine.dispose()
    if left:
        # A COMMIT inside the test reached the template every later copy is made from (on
        # SQLite the savepoint does not hold one back): give such a test its own database.
        pytest.fail(f"the test committed {left} account(s) into the shared template database")


@pytest.fixture(scope="session")
def vapid_pem() -> str:
    """A VAPID private key (PEM) for an app that offers Web Push (tests/e2e/test_push.py, the
    push button in Chromium)."""
    key = Vapid02()
    key.generate_keys()
    return str(key.private_pem().decode())


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


@dataclass(frozen=True)
class App:
    settings: Settings
    url: str


def _shared_app(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    settings = make_settings(backend.fresh_url(), tmp_path_factory.mktemp(f"app-{backend.name}"))
    with live_server(settings) as url:
        yield App(settings, url)


@pytest.fixture(scope="session")
def sqlite_app(sqlite_backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    yield from _shared_app(sqlite_backend, tmp_path_factory)


@pytest.fixture(scope="session")
def postgresql_app(
    postgresql_backend: Backend, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[App]:
    yield from _shared_app(postgresql_backend, tmp_path_factory)


@pytest.fixture
def live_app(backend: Backend, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[App]:
    """The worker's live app on this backend, shared by every test in the session: tests keep
    to themselves by signing up fresh accounts and compare row counts before and after. A test
    that looks at the whole database (`SELECT count(*) FROM log_event`) is marked
    `own_database` and gets an app on a fresh copy of its own."""
    if request.node.get_closest_marker("own_database"):
        settings = make_settings(backend.fresh_url(), tmp_path)
        with live_server(settings) as url:
            yield App(settings, url)
        return
    yield request.getfixturevalue(f"{backend.name}_app")


@pytest.fixture
def settings(live_app: App) -> Settings:
    return live_app.settings


@pytest.fixture
def server(live_app: App) -> str:
    return live_app.url
