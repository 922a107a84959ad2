"""Entry notices made by the worker after the write (`fan_out_entries`), on both databases: the
write makes none, the fan-out makes each once (also with two workers on PostgreSQL), for whom
the section's rules name at that time."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from consent.notify.events import fan_out_entries
from dossier.db import make_engine
from dossier.notify.models import Notice
from dossier.sections.models import Entry
from tests.consent.caseload.world import expire, organisation, pro, share, write, youth
from tests.support.databases import Backend


@pytest.fixture
async def db(backend: Backend) -> AsyncIterator[AsyncSession]:
    """A database of its own, not the rolled-back template session: the fan-out commits (it
    owns its transaction), and on SQLite that commit would reach the shared template."""
    engine = make_engine(backend.fresh_url())
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            yield session
    finally:
        await engine.dispose()


async def entry_notices(db, account_id: uuid.UUID) -> list[tuple[str, str | None]]:
    rows = await db.execute(
        select(Entry.entry_id, Notice.section)
        .join(Entry, Entry.id == Notice.event_id)
        .where(Notice.account_id == account_id, Notice.kind == "entry")
    )
    return sorted((str(entry_id), section) for entry_id, section in rows.all())


async def test_the_write_makes_no_notice_and_the_fan_out_makes_each_once(db):
    coach, admin, member = await pro(db), await pro(db), await pro(db)
    who = await youth(db)
    await share(db, who, "notities", coach, permissions=("read", "append"))
    await share(db, who, "notities", await organisation(db, admin, member), permissions=("append",))
    note = await write(db, who, "notities", {"tekst": "van de coach"}, author=coach)
    own = await write(db, who, "notities", {"tekst": "van mij"})
    assert await entry_notices(db, who.id) == []
    assert await fan_out_entries(db) == 2
    assert await entry_notices(db, who.id) == [(note, "notities")]
    assert await entry_notices(db, coach.id) == [(own, "notities")]
    for append_only in (admin, member):  # may not read it, so not told of it
        assert await entry_notices(db, append_only.id) == []
    assert await fan_out_entries(db) == 0  # taken once
    assert await entry_notices(db, who.id) == [(note, "notities")]


async def test_readers_are_those_of_when_the_worker_runs(db):
    coach, other = await pro(db), await pro(db)
    who = await youth(db)
    ended = await share(db, who, "plan", coach)
    await share(db, who, "plan", other)
    await write(db, who, "plan", {"doel": "Werk"})
    await expire(db, ended)  # between the write and the worker
    assert await fan_out_entries(db) == 1
    assert await entry_notices(db, coach.id) == []
    assert len(await entry_notices(db, other.id)) == 1


async def test_it_takes_at_most_a_batch_and_the_rest_on_the_next_run(db):
    who, coach = await youth(db), await pro(db)
    await share(db, who, "notities", coach, permissions=("append",))
    for n in range(3):
        await write(db, who, "notities", {"tekst": f"{n}"}, author=coach)
    assert [await fan_out_entries(db, limit=2) for _ in range(3)] == [2, 1, 0]
    assert len(await entry_notices(db, who.id)) == 3


async def test_two_workers_on_postgresql_make_each_entrys_notices_once(postgresql_backend):
    engines = [make_engine(postgresql_backend.fresh_url())]
    engines.append(make_engine(engines[0].url))
    try:
        async with AsyncSession(engines[0], expire_on_commit=False) as db:
            who, coach = await youth(db), await pro(db)
            await share(db, who, "notities", coach, permissions=("append",))
            for n in range(30):
                await write(db, who, "notities", {"tekst": f"{n}"}, author=coach)
            await db.commit()

        async def worker(engine: AsyncEngine) -> int:
            taken = 0
            async with AsyncSession(engine, expire_on_commit=False) as db:
                while (batch := await fan_out_entries(db, limit=5)) > 0:
                    taken += batch
            return taken

        counts = await asyncio.gather(*(worker(engine) for engine in engines))
        assert sum(counts) == 30
        assert min(counts) > 0  # both really took entries
        async with AsyncSession(engines[0]) as db:
            assert len(await entry_notices(db, who.id)) == 30  # the unique key allows no double
    finally:
        for engine in engines:
            await engine.dispose()
