"""Mijn jongeren for a coach with 80 connected youths (each shared one section, some with new
entries since the coach's last visit): the server time and bytes of the caseload page, as a
ratio to a static page of the same size served by the same app (same middleware: session
auth, CSRF, security headers; no database, no template), target <= 3x; and the browser time to
open 80 profile cards and render the rows in headless Chromium (ms per row).

Client-side set-up (sign-ups, invites, cards, grants) runs before any clock starts."""

from __future__ import annotations

import asyncio
import logging
import re
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import uvicorn
from _support import backends
from litestar import MediaType, get
from sqlalchemy import text

from dossier.client import RugzakClient
from dossier.db import make_engine
from tests.browser.app_pages import open_app_page
from tests.conftest import make_settings
from tests.oidc.support import page_session
from tests.support.databases import Backend
from tests.support.postgres import free_port, throwaway_cluster
from web.app import create_app

YOUTHS = 80
ROUNDS = 60
PASSPHRASE = "bench-fiets-onder-de-brug-42"  # noqa: S105  (a throwaway bench account)
SECTIONS = ("plan", "werk", "wonen", "notities")
STATIC: dict[str, bytes] = {"page": b""}


@get("/__bench__/static", media_type=MediaType.HTML, include_in_schema=False)
async def static_page() -> bytes:
    return STATIC["page"]


def serve(db_url: str, work: Path) -> tuple[str, uvicorn.Server, threading.Thread]:
    app = create_app(make_settings(db_url, work))
    app.register(static_page)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{port}", server, thread


def populate(url: str) -> tuple[RugzakClient, str]:
    coach = RugzakClient(url)
    username = "benchcoach"
    coach.sign_up(username, PASSPHRASE, birth_date=None, kind="professional")
    coach.set_profile("Fatima Demir", "Jongerenloket Noord", "jobcoach", "06 98765432")
    coach_id = coach.unlocked().account_id
    import datetime as dt  # noqa: PLC0415

    for n in range(YOUTHS):
        with RugzakClient(url) as youth:
            youth.sign_up(f"benchjongere{n}", PASSPHRASE, birth_date=dt.date(2004, 5, 17))
            invite = coach.create_invite()
            connection = youth.accept_invite(invite.token, f"Jongere {n:02d}", "WhatsApp")
            if n % 9 == 0:
                youth.set_contact_person(connection)
            section = SECTIONS[n % len(SECTIONS)]
            youth.write(section, {"tekst": f"stuk {n}"})
            youth.share([section], coach_id, purpose="Begeleiding")
    return coach, username


def settle(db_url: str) -> None:
    """On PostgreSQL, ANALYZE the freshly filled tables, as autovacuum does within a minute on a
    live database: without statistics the planner takes the 80 youths for 2 and joins the
    grants by a nested loop over every pair (docs/performance.md, "Session 6")."""
    if not db_url.startswith("postgresql"):
        return

    async def analyze() -> None:
        engine = make_engine(db_url)
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("ANALYZE"))
        await engine.dispose()

    asyncio.run(analyze())


def server_side(url: str, coach: RugzakClient) -> tuple[float, float, int]:
    with httpx.Client(base_url=url, timeout=30) as http:
        page_session(http, url, coach.api.token or "")
        page = http.get("/pro")
        assert page.status_code == 200
        assert page.text.count("data-youth-row") == YOUTHS
        STATIC["page"] = page.content
        assert len(http.get("/__bench__/static").content) == len(page.content)
        for _ in range(5):
            http.get("/pro")
            http.get("/__bench__/static")
        ours, base = paired(lambda: http.get("/pro"), lambda: http.get("/__bench__/static"), ROUNDS)
    return ours, base, len(page.content)


def paired(
    ours: Callable[[], object], base: Callable[[], object], rounds: int
) -> tuple[float, float]:
    """Medians of `rounds` timings of each, taken in turns, so that a busy machine (the build
    machine is shared) slows both sides alike instead of whichever ran second."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for fn, into in ((ours, times[0]), (base, times[1])):
            start = time.perf_counter()
            fn()
            into.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def browser_side(url: str, username: str) -> list[float]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    from tests.browser.conftest import CHROMIUM  # noqa: PLC0415

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-gpu",
            ],
        )
        app = open_app_page(browser, url)
        page = app.page
        app.goto("/inloggen")
        page.fill("#gebruikersnaam", username)
        page.fill("#wachtwoordzin", PASSPHRASE)
        page.click("#inloggen")
        page.wait_for_url(re.compile(r".*/(sessies|rugzak|pro)$"), timeout=30_000)
        times = []
        for _ in range(7):
            app.goto("/pro")
            page.wait_for_selector("#jongeren[data-ready]", timeout=30_000)
            assert page.locator("#jongeren [data-name]").first.text_content() == "Jongere 00"
            times.append(float(page.get_attribute("#jongeren", "data-render-ms") or "nan"))
        browser.close()
    return times[2:]


def measure(backend_name: str, work: Path) -> None:
    """Populate a fresh database of this backend, then time the server and the browser."""
    if backend_name == "sqlite":
        run(backend_name, Backend.sqlite(work).fresh_url(), work)
        return
    with throwaway_cluster() as cluster:
        run(backend_name, Backend.postgresql(cluster).fresh_url(), work)


def run(backend_name: str, db_url: str, work: Path) -> None:
    url, server, thread = serve(db_url, work)
    try:
        coach, username = populate(url)
        settle(db_url)
        ours, base, size = server_side(url, coach)
        render = browser_side(url, username)
        coach.close()
    finally:
        server.should_exit = True
        thread.join(timeout=20)
    ratio = ours / base
    print(f"caseload page, {YOUTHS} youths, {backend_name}: {size / 1024:.1f} kB")
    print(f"{'measure':44} {'ours':>10} {'baseline':>10} {'ratio':>7}  target")
    print(
        f"{'GET /pro (server, median)':44} {ours * 1e3:9.2f}ms {base * 1e3:9.2f}ms "
        f"{ratio:6.2f}x  <= 3x {'OK' if ratio <= 3 else 'MISSED'}"
    )
    median = statistics.median(render)
    print(
        f"browser: open {YOUTHS} cards + render rows: {median:.1f} ms "
        f"({median / YOUTHS:.2f} ms per row, median of {len(render)})"
    )


def main() -> None:
    """SQLite, and PostgreSQL when its binaries are on this machine."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per set-up request
    for backend_name in backends():
        with tempfile.TemporaryDirectory() as tmp:
            measure(backend_name, Path(tmp))


if __name__ == "__main__":
    main()
