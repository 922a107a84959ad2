"""What `rugzak worker` does first on each round, for tests whose app runs no worker: make the
notices of the entries written since (consent.notify.events.fan_out_entries)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.ext.asyncio import async_sessionmaker

from consent.notify.events import fan_out_entries
from dossier.db import make_engine


def make_notices(database_url: str) -> int:
    """Fan out every entry written since the last run; returns how many entries it took."""

    async def run() -> int:
        engine = make_engine(database_url)
        try:
            async with async_sessionmaker(engine, expire_on_commit=False)() as db:
                taken = 0
                while (batch := await fan_out_entries(db)) > 0:
                    taken += batch
                return taken
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as pool:  # its own thread: Playwright's sync API holds a loop
        return pool.submit(asyncio.run, run()).result()
