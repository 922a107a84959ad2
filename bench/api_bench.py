"""Entry write and read through the full stack (HTTP + session auth + access check + access
log + DB + server-side signature check) against a bare Litestar route doing the same database
work, measured in the same run on SQLite and PostgreSQL.

The baseline (bench/_bare.py), as issue 20 defines it: a bare route that does the same INSERT
of the entry row (write) or the same SELECT of the section's newest entry versions returned
as JSON (read), into the same database through the same engine settings (driver, pool,
pragmas), in one transaction with COMMIT for the write; no auth, no policy, no crypto, no
log. The targets (write <= 3x, read <= 2x) are against it. A route with no database at all
is printed on its own labelled line, the framework's floor, so nothing is hidden.

The variants take turns round by round (ours, the baseline, the floor; reversed every
other round; a read round is 5 requests of one variant, the first a warm-up) and each
reports its median, so a change in the machine's load between rounds hits all of them
alike (the shared 2-core machine moved single-variant medians 2x between runs). The heap
is frozen once the data is set up, as `rugzak serve` freezes a worker's after start-up.
Client-side sealing is done before the clock starts: this measures the server. The app and
the baselines run in this process (uvicorn threads on the asyncio loop), as the client."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from _bare import bare_app, bare_server
from _support import app_and_settings_on, backends, interleaved, report

from dossier import crypto
from dossier.client import RugzakClient
from tests.support.roundtrips import counting

N = 200
TRIPS: dict[str, tuple[int, int]] = {}
BARE_SECTION = "school"  # the bare routes' entries go here; the app's go to "verhaal"


def sealed_entries(client: RugzakClient, count: int, section: str) -> list[dict[str, Any]]:
    view = client.section(section)
    me = client.unlocked()
    return [
        crypto.seal_entry(
            {"tekst": f"notitie {i} " + "x" * 400},
            dossier=view.dossier,
            section=section,
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


Row = tuple[str, float, float, str]


def timed_writes(
    posts: dict[str, tuple[Callable[[dict[str, Any]], object], list[Any]]],
) -> dict[str, float]:
    """The median time per write of each variant: `posts` maps a name to its POST and its
    batches of sealed entries (one batch per round; the variants take turns per round)."""

    def writer(post: Callable[[dict[str, Any]], object], batches: list[Any]) -> Callable[[], None]:
        rounds = iter(batches)

        def write() -> None:
            for entry in next(rounds):
                post(entry)

        return write

    rounds = min(len(batches) for _, batches in posts.values())
    fns = {name: writer(post, batches) for name, (post, batches) in posts.items()}
    return {name: t / N for name, t in interleaved(fns, rounds).items()}


def measure(backend: str) -> tuple[list[Row], list[Row]]:
    """(rows against the database baseline, rows against the no-database floor)."""
    with app_and_settings_on(backend) as (url, settings), RugzakClient(url) as youth:
        youth.sign_up(f"bench-{backend}", "bench passphrase 123", birth_date=dt.date(2000, 1, 1))
        dossier_id = youth.unlocked().dossier_id
        path = f"{url}/api/v1/dossiers/{dossier_id}/sections/verhaal/entries"
        headers = {"authorization": f"Bearer {youth.api.token}"}
        bare = bare_app(
            settings.database_url, settings.db_pool_size, uuid.UUID(dossier_id), BARE_SECTION
        )
        with bare_server(bare) as bare_url, httpx.Client(headers=headers) as http:
            ours = [sealed_entries(youth, N, "verhaal") for _ in range(3)]
            theirs = [sealed_entries(youth, N, BARE_SECTION) for _ in range(4)]
            db_path, nodb_path = f"{bare_url}/bare/db/entries", f"{bare_url}/bare/nodb/entries"

            def post(where: str) -> Callable[[dict[str, Any]], object]:
                return lambda entry: http.post(where, json=entry).raise_for_status()

            extra = sealed_entries(youth, 1, "verhaal")[0]
            http.get(path).raise_for_status()
            TRIPS[backend] = (
                round_trips(settings.database_url, lambda: http.post(path, json=extra)),
                round_trips(settings.database_url, lambda: http.get(path)),
            )
            post(db_path)(theirs[3][0])  # the bare section holds as many entries as ours
            # As `rugzak serve` runs a worker (web.app.serving_app): the heap as it stands
            # after the set-up is frozen, so no full collection walks it while we time.
            gc.collect()
            gc.freeze()
            writes = timed_writes(
                {
                    "ours": (post(path), ours),
                    "base": (post(db_path), theirs[:3]),
                    "floor": (post(nodb_path), [list(b) for b in theirs[:3]]),
                }
            )
            ours_w, base_w, floor_w = writes["ours"], writes["base"], writes["floor"]

            def get(where: str) -> Callable[[], object]:
                return lambda: http.get(where).raise_for_status()

            reads = interleaved(
                {"ours": get(path), "base": get(db_path), "floor": get(nodb_path)},
                rounds=10,
                block=5,
            )
            ours_r, base_r, floor_r = reads["ours"], reads["base"], reads["floor"]
    read = f"read section ({N * 3 + 1} entries)"
    return (
        [
            (f"{backend}: write one entry", ours_w, base_w, "<= 3x"),
            (f"{backend}: {read}", ours_r, base_r, "<= 2x"),
        ],
        [
            (f"{backend}: write, vs no-db route", ours_w, floor_w, "(floor)"),
            (f"{backend}: read, vs no-db route", ours_r, floor_r, "(floor)"),
        ],
    )


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    rows: list[Row] = []
    floors: list[Row] = []
    for backend in backends():
        against_db, against_floor = measure(backend)
        rows += against_db
        floors += against_floor
    print("baseline: a bare route doing the same INSERT / SELECT on the same database")
    report(rows)
    print("extra: against a bare route with no database at all (the framework's floor)")
    report(floors)
    for backend, (write, read) in TRIPS.items():
        print(f"{backend}: round trips per write: {write}")
        print(f"{backend}: round trips per read: {read}")


if __name__ == "__main__":
    main()
