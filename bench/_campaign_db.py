"""The server's import against a bare bulk insert of the same rows (bench/campaign_bench.py):
each measured in its own transaction, rolled back or committed, median of ROUNDS, on SQLite and
PostgreSQL. docs/performance.md, "School campaigns", explains the baseline."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from _campaign_data import COHORT, GROUPS, ROSTER, ROUNDS, SCHOOL_PK, name_of
from sqlalchemy import insert

from consent.campaigns.models import Campaign, CampaignEntry
from consent.campaigns.service import CampaignService, new_code, new_token
from consent.parties.models import Organisation
from dossier import crypto
from dossier.db import make_engine
from tests.support.databases import Backend
from tests.support.postgres import throwaway_cluster


async def _campaign(connection) -> uuid.UUID:
    orgs = []
    for kind in ("school", "jobcoach"):
        org_id = uuid.uuid4()
        await connection.execute(
            insert(Organisation).values(
                id=org_id, name=kind, kind=kind, key_version=1, box_pk=b"p" * 32, sign_pk=b"s" * 32
            )
        )
        orgs.append(org_id)
    campaign_id = uuid.uuid4()
    await connection.execute(
        insert(Campaign).values(
            id=campaign_id,
            school_id=orgs[0],
            receiver_id=orgs[1],
            title="bench",
            sections=["contact"],
            purpose="bench",
            period_days=365,
            closes_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=30),
            school_text="",
            created_by="bench",
        )
    )
    return campaign_id


async def _timed(
    url: str, work: Callable[[object, uuid.UUID], Awaitable[None]], *, commit: bool = False
) -> float:
    """One round in its own transaction: the clock covers `work` (and the commit, when
    `commit`; otherwise the transaction is rolled back after the clock stops)."""
    from sqlalchemy.ext.asyncio import AsyncSession  # noqa: PLC0415

    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            transaction = await connection.begin()
            session = AsyncSession(bind=connection, join_transaction_mode="create_savepoint")
            campaign_id = await _campaign(connection)
            gc.collect()
            start = time.perf_counter()
            await work(session, campaign_id)
            await session.flush()
            if commit:
                await session.commit()
                await transaction.commit()
            elapsed = time.perf_counter() - start
            await session.close()
            if transaction.is_active:
                await transaction.rollback()
    finally:
        await engine.dispose()
    return elapsed


async def ours(session, campaign_id: uuid.UUID) -> None:
    campaign = await session.get(Campaign, campaign_id)
    await CampaignService(session).import_roster(campaign.id, ROSTER, only_valid=False)


def bare_rows(campaign_id: uuid.UUID) -> list[dict[str, object]]:
    """What the server stores for the cohort, each value made as the import makes it."""
    return [
        {
            "id": uuid.uuid4(),
            "campaign_id": campaign_id,
            "reference": f"S{i:05d}",
            "sealed_name": crypto.seal_values(SCHOOL_PK, [name_of(i).encode()])[0],
            "sealed_group": crypto.seal_values(SCHOOL_PK, [GROUPS[i % 4].encode()])[0],
            "token_hash": new_token()[1],
            "code_hash": new_code()[1],
            "state": "not_opened",
        }
        for i in range(COHORT)
    ]


def median_of(
    url: str, work: Callable[[object, uuid.UUID], Awaitable[None]], *, commit: bool = False
) -> float:
    times = sorted(asyncio.run(_timed(url, work, commit=commit)) for _ in range(ROUNDS))
    return times[len(times) // 2]


def bare_median(url: str, *, commit: bool = False, core: bool = False) -> float:
    """The same rows, made before the clock starts, in one INSERT: the ORM's bulk INSERT
    (the baseline since session 3), or with `core` the Core INSERT of the table the import
    itself uses since session 6 (a stricter floor, shown beside it)."""
    prepared = [bare_rows(uuid.UUID(int=0)) for _ in range(ROUNDS)]
    statement = insert(CampaignEntry.__table__) if core else insert(CampaignEntry)

    async def bare(session, campaign_id: uuid.UUID) -> None:
        rows = prepared.pop()
        for row in rows:
            row["campaign_id"] = campaign_id
        await session.execute(statement, rows)

    return median_of(url, bare, commit=commit)


def import_rows(backend_name: str) -> list[tuple[str, float, float, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        if backend_name == "sqlite":
            url = Backend.sqlite(Path(tmp)).fresh_url()
            return _rows(backend_name, url)
        with throwaway_cluster() as server:
            return _rows(backend_name, Backend.postgresql(server).fresh_url())


def _rows(name: str, url: str) -> list[tuple[str, float, float, str]]:
    median_of(url, ours)  # warm up
    base = bare_median(url)
    service = median_of(url, ours)
    base_commit = bare_median(url, commit=True)
    service_commit = median_of(url, ours, commit=True)
    return [
        (f"service import {COHORT} rows [{name}]", service, base, "<= 3x"),
        (f"  the same, committed [{name}]", service_commit, base_commit, "<= 3x"),
    ]
