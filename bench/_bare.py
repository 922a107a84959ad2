"""api_bench's baselines: bare Litestar routes with no auth, no policy, no crypto and no
access log.

- `/bare/db/entries` (the baseline issue 20 names): POST does the same INSERT of the entry
  row into the same database through the same engine settings (`make_engine` with the app's
  URL and pool size: the same driver, pragmas and JSON codec), one transaction, COMMIT; GET
  does the same SELECT of a section's newest entry versions (the newest-version subquery the
  app uses) and returns them as the app's `EntryList` (payload passed through as raw JSON).
  The section's id is read at start-up, so nothing is looked up per request.
- `/bare/nodb/entries`: the same request shapes with no database at all (a list in memory),
  the framework's floor; api_bench prints it as an extra, labelled line.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import msgspec
import uvicorn
from litestar import Litestar, get, post
from litestar.params import JSONBody
from sqlalchemy import Table, bindparam, func, insert, select

from dossier.db import make_engine
from dossier.sections.models import Entry, Section
from dossier.sections.schemas import EntryList, EntryOut
from tests.support.postgres import free_port

ENTRY = cast(Table, Entry.__table__)
SECTION = cast(Table, Section.__table__)


def bare_app(database_url: str, pool_size: int, dossier_id: uuid.UUID, section: str) -> Litestar:
    """The baseline routes on the database at `database_url`; every bare entry goes to the
    section `section` of `dossier_id` (another section than the app's, so both reads see the
    same number of entries; its id is read once at start-up)."""
    engine = make_engine(database_url, pool_size=pool_size)
    store: list[dict[str, Any]] = []
    target: dict[str, uuid.UUID] = {}

    async def find_section() -> None:
        async with engine.connect() as conn:
            target["section_id"] = (
                await conn.execute(
                    select(SECTION.c.id).where(
                        SECTION.c.dossier_id == dossier_id, SECTION.c.key == section
                    )
                )
            ).scalar_one()

    section_id = bindparam("section_id", type_=ENTRY.c.section_id.type)
    newest = (
        select(ENTRY.c.entry_id, func.max(ENTRY.c.version).label("version"))
        .where(ENTRY.c.section_id == section_id)
        .group_by(ENTRY.c.entry_id)
        .subquery()
    )
    latest = (
        select(ENTRY.c.payload, ENTRY.c.created_at, ENTRY.c.blob_id)
        .join(
            newest,
            (newest.c.entry_id == ENTRY.c.entry_id) & (newest.c.version == ENTRY.c.version),
        )
        .order_by(ENTRY.c.created_at, ENTRY.c.id)
    )

    @post("/bare/db/entries", status_code=201)
    async def db_write(data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
        payload = msgspec.json.encode(data).decode()
        row = {
            "id": uuid.uuid4(),
            "dossier_id": dossier_id,
            "section_id": target["section_id"],
            "entry_id": uuid.UUID(data["entry"]),
            "version": data["version"],
            "author_id": uuid.UUID(data["author"]),
            "key_version": data["key_version"],
            "payload": payload,
            "blob_id": None,
            "size": len(payload),
            "created_at": dt.datetime.now(dt.UTC),
        }
        async with engine.begin() as conn:
            await conn.execute(insert(ENTRY), row)
        return {"entry": msgspec.Raw(payload.encode()), "created_at": row["created_at"]}

    @get("/bare/db/entries")
    async def db_read() -> EntryList:
        async with engine.connect() as conn:
            rows = (await conn.execute(latest, target)).all()
        return EntryList(
            section="bare",
            key_version=1,
            entries=[
                EntryOut(msgspec.Raw(payload.encode()), at, blob is not None)
                for payload, at, blob in rows
            ],
        )

    @post("/bare/nodb/entries", status_code=201)
    async def nodb_write(data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
        store.append(data)
        return {"entry": data, "created_at": dt.datetime.now(dt.UTC).isoformat()}

    @get("/bare/nodb/entries")
    async def nodb_read() -> dict[str, Any]:
        return {"section": "verhaal", "key_version": 1, "entries": [{"entry": e} for e in store]}

    return Litestar(
        [db_write, db_read, nodb_write, nodb_read],
        on_startup=[find_section],
        on_shutdown=[engine.dispose],
    )


@contextmanager
def bare_server(app: Litestar) -> Iterator[str]:
    """Serve `app` in a thread as tests/support/server.py serves the real app (same event
    loop and HTTP parser), so both share this process the same way."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", loop="asyncio"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()
