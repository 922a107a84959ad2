"""`rugzak blobs check` outside the app: the configured store and a database session."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import async_sessionmaker

from dossier.blobs.check import CheckReport, check_blobs
from dossier.db import make_engine
from web.app import blob_store
from web.settings import Settings


async def run_check(settings: Settings, *, remove: bool, min_age: int) -> CheckReport:
    engine = make_engine(settings.database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    store = blob_store(settings, sessions)
    try:
        async with sessions() as db:
            return await check_blobs(
                db, store, min_age=dt.timedelta(seconds=min_age), remove=remove
            )
    finally:
        await store.close()
        await engine.dispose()
