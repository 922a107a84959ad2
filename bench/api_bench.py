"""Entry write and read through the full stack (HTTP + session auth + access check + DB +
server-side signature check) against the same request shape on a bare Litestar route that
does no auth, no database and no crypto, measured in the same run on SQLite and PostgreSQL.

Client-side sealing is done before the clock starts: this measures the server."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import uvicorn
from _support import app_and_settings_on, backends, best_of, report
from litestar import Litestar, get, post
from litestar.params import JSONBody

from dossier import crypto
from dossier.client import RugzakClient
from tests.support.postgres import free_port
from tests.support.roundtrips import counting

N = 200
TRIPS: dict[str, tuple[int, int]] = {}
STORE: list[dict[str, Any]] = []


@post("/bare/entries", status_code=201)
async def bare_write(data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
    STORE.append(data)
    return {"entry": data, "created_at": dt.datetime.now(dt.UTC).isoformat()}


@get("/bare/entries")
async def bare_read() -> dict[str, Any]:
    return {"section": "verhaal", "key_version": 1, "entries": [{"entry": e} for e in STORE]}


def bare_server() -> tuple[str, uvicorn.Server, threading.Thread]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(Litestar([bare_write, bare_read]), port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{port}", server, thread


def sealed_entries(client: RugzakClient, count: int) -> list[dict[str, Any]]:
    view = client.section("verhaal")
    me = client.unlocked()
    return [
        crypto.seal_entry(
            {"tekst": f"notitie {i} " + "x" * 400},
            dossier=view.dossier,
            section="verhaal",
            entry=str(uuid.uuid4()),
            version=1,
            author_id=me.account_id,
            author=me.identity,
            section_key=view.signed_key,
        ).to_json()
        for i in range(count)
    ]


def round_trips(database_url: str, call: Callable[[], object]) -> int:
    """Database round trips of one warm request (tests/support/roundtrips.py)."""
    with counting(database_url) as trips:
        call()
    return trips.count


def measure(backend: str, bare_url: str) -> list[tuple[str, float, float, str]]:
    with app_and_settings_on(backend) as (url, settings), RugzakClient(url) as youth:
        youth.sign_up(f"bench-{backend}", "bench passphrase 123", birth_date=dt.date(2000, 1, 1))
        path = f"{url}/api/v1/dossiers/{youth.unlocked().dossier_id}/sections/verhaal/entries"
        headers = {"authorization": f"Bearer {youth.api.token}"}
        with httpx.Client(headers=headers) as http, httpx.Client() as bare:
            batches = [sealed_entries(youth, N) for _ in range(3)]
            rounds = iter(batches)
            bare_rounds = iter(batches)

            def write_ours() -> None:
                for entry in next(rounds):
                    http.post(path, json=entry).raise_for_status()

            def write_bare() -> None:
                for entry in next(bare_rounds):
                    bare.post(f"{bare_url}/bare/entries", json=entry).raise_for_status()

            extra = sealed_entries(youth, 1)[0]
            http.get(path).raise_for_status()
            TRIPS[backend] = (
                round_trips(settings.database_url, lambda: http.post(path, json=extra)),
                round_trips(settings.database_url, lambda: http.get(path)),
            )
            ours_w = best_of(write_ours, rounds=3) / N
            base_w = best_of(write_bare, rounds=3) / N
            ours_r = best_of(lambda: http.get(path).raise_for_status(), rounds=20)
            base_r = best_of(
                lambda: bare.get(f"{bare_url}/bare/entries").raise_for_status(), rounds=20
            )
    return [
        (f"{backend}: write one entry", ours_w, base_w, "<= 3x"),
        (f"{backend}: read section ({N * 3} entries)", ours_r, base_r, "<= 2x"),
    ]


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    bare_url, server, thread = bare_server()
    rows = []
    try:
        for backend in backends():
            STORE.clear()
            rows += measure(backend, bare_url)
    finally:
        server.should_exit = True
        thread.join()
    report(rows)
    for backend, (write, read) in TRIPS.items():
        print(f"{backend}: round trips per write: {write}")
        print(f"{backend}: round trips per read: {read}")


if __name__ == "__main__":
    main()
