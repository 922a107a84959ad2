"""A cohort of 650: import the student list, make every link and QR code, print the whole
cohort as one PDF, first in the school's browser (the school's pages: read the export, seal
names and groups, upload; letters with QR codes; the print run to PDF in Chromium, per group
and whole, each in the print window with the peak memory of its own renderer process and of the
campaign tab's), then with the Python client
and WeasyPrint. Reports seconds and peak memory, and the import as a ratio to a bare bulk
insert of the same rows into the same table (target <= 3x), on SQLite and PostgreSQL.

The baseline ("bare") is what the server stores for the same students, made before the clock
starts: per row an id, the reference, a name and a group each sealed to the school's key (as
long as the browser's), a token hash and a code hash; one INSERT of all rows. It is shown
twice: rolled back (the insert alone) and committed (what an import must also do: the
browser's import ends with the request's commit). The service import is measured against it
in the same process (parse and check every line, make and hash 650 tokens and codes, one
INSERT), the browser import end to end (click to response) with its parts from the page's
Performance marks ("rz-seal": sealing 1,300 values, "rz-upload": request, server, commit).
docs/performance.md, "School campaigns", explains the figures."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import logging
import os
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from _support import app_on, backends, best_of, report
from _upload_split import RESOURCE, server_parts
from _upload_split import report as upload_split
from sqlalchemy import insert

from consent.campaigns.models import Campaign, CampaignEntry
from consent.campaigns.printing import CampaignText, Sheet, cohort_pdf, qr_png_data_uri
from consent.campaigns.service import CampaignService, new_code, new_token, shown_code
from consent.parties.models import Organisation
from dossier import crypto
from dossier.client import RugzakClient
from dossier.client.campaigns import CampaignsClient
from dossier.db import make_engine
from tests.support.databases import Backend
from tests.support.postgres import throwaway_cluster

COHORT = 650
ROUNDS = 9
BASE = "https://rugzak.example.nl"
SCHOOL_PK = crypto.Identity.generate().public.box_pk
GROUPS = ("Verpleegkunde-4A", "Verpleegkunde-4B", "Logistiek-3C", "Techniek-4D")


def _name(i: int) -> str:
    """As long as the browser journey's names (tests/browser/test_school_campaign.py)."""
    return f"Zoë{i} {'van der ' if i % 3 == 0 else ''}Achterbergé{i}"


def _sealed(text: str) -> str:
    """One value as the browser seals it now: a batch value (docs/crypto.md, "Batch-sealed
    values"), 25 bytes longer than a classic sealed box."""
    return crypto.b64e(crypto.seal_values(SCHOOL_PK, [text.encode()])[0])


ROSTER = b"referentie,naam,groep\n" + b"".join(
    f"S{i:05d},{_sealed(_name(i))},{_sealed(GROUPS[i % 4])}\n".encode() for i in range(COHORT)
)
TEXT = CampaignText(
    school="ROC Zwolle",
    receiver="Jobcoach Zwolle",
    title="Diploma 2026: mag de jobcoach je bellen?",
    purpose="Warme overdracht: een jobcoach neemt contact met je op na je diploma.",
    sections=["contact"],
    period_days=365,
    closes_at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
    school_text="Gefeliciteerd met je diploma!",
)


class Client(RugzakClient, CampaignsClient):
    pass


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
    await CampaignService(session).import_roster(campaign, ROSTER, only_valid=False)


def bare_rows(campaign_id: uuid.UUID) -> list[dict[str, object]]:
    """What the server stores for the cohort, each value made as the import makes it."""
    return [
        {
            "id": uuid.uuid4(),
            "campaign_id": campaign_id,
            "reference": f"S{i:05d}",
            "sealed_name": crypto.seal_values(SCHOOL_PK, [_name(i).encode()])[0],
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


def bare_median(url: str, *, commit: bool = False) -> float:
    """The same rows, made before the clock starts, in one INSERT."""
    prepared = [bare_rows(uuid.UUID(int=0)) for _ in range(ROUNDS)]

    async def bare(session, campaign_id: uuid.UUID) -> None:
        rows = prepared.pop()
        for row in rows:
            row["campaign_id"] = campaign_id
        await session.execute(insert(CampaignEntry), rows)

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


def http_import(backend_name: str) -> float:
    with app_on(backend_name) as url, Client(url) as staff, Client(url) as coach:
        staff.sign_up(
            f"bench{uuid.uuid4().hex[:8]}", "paarse-fiets-42", birth_date=None, kind="professional"
        )
        coach.sign_up(
            f"bench{uuid.uuid4().hex[:8]}", "paarse-fiets-42", birth_date=None, kind="professional"
        )
        school = staff.create_organisation("ROC", "school")
        receiver = coach.create_organisation("Jobcoach", "jobcoach")
        # The client seals each name and group here (PyNaCl) before the upload.
        plain = "referentie,naam,groep\n" + "".join(
            f"S{i:05d},{_name(i)},{GROUPS[i % 4]}\n" for i in range(COHORT)
        )

        def one() -> None:
            campaign = staff.create_campaign(
                school, receiver, title="bench", purpose="bench", closes_on=dt.date(2099, 1, 1)
            )
            staff.import_students(campaign["id"], plain.encode())

        return best_of(one, rounds=3)


def measured(fn: Callable[[], object]) -> tuple[object, float, float]:
    """Result, seconds (without tracing), peak traced Python memory in MiB (a second run)."""
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 2**20


def _process_tree() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    return children


def chromium_rss_mib() -> tuple[float, float]:
    """Resident memory of the Chromium processes below this one (from /proc): the sum over
    all of them (browser, zygotes, GPU, network, renderers) and the largest renderer (the
    process of a tab: `--type=renderer`; the browser process itself, about 210 MiB here, is
    not a tab's memory and is counted in the sum only)."""
    total, renderers = _chromium_rss()
    return total / 1024, max(renderers.values(), default=0) / 1024


def _chromium_rss() -> tuple[int, dict[int, int]]:
    """KiB: the sum over Chromium's processes, and each renderer's by pid."""
    children = _process_tree()
    todo, total, renderers = [os.getpid()], 0, {}
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if "chrom" not in status.split("\n", 1)[0].lower():
            continue
        rss = next(
            (int(line.split()[1]) for line in status.splitlines() if line[:6] == "VmRSS:"), 0
        )
        total += rss
        if b"--type=renderer" in command:
            renderers[pid] = rss
    return total, renderers


def renderer_peaks_while(fn: Callable[[], object]) -> tuple[object, float, dict[int, float]]:
    """Result, seconds, and each renderer's peak RSS (MiB, by pid) sampled every 20 ms while
    `fn` runs (a window `fn` opens shows up as a pid that was not there before)."""
    peaks: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        while True:
            for pid, rss in _chromium_rss()[1].items():
                peaks[pid] = max(peaks.get(pid, 0.0), rss / 1024)
            if done.wait(0.02):
                return

    thread = threading.Thread(target=sample)
    thread.start()
    start = time.perf_counter()
    try:
        result = fn()
    finally:
        seconds = time.perf_counter() - start
        done.set()
        thread.join()
    return result, seconds, peaks


def _print_run(app, button: str) -> tuple[int, float, float, float, float]:
    """Press a print button: the sheets are made in the print window, a page of its own with
    a renderer process of its own (`noopener`), which then prints them with page.pdf (the
    dialog itself cannot be driven). Pages, seconds from the click to the PDF, the campaign
    tab's renderer RSS before and its peak, and the print window's renderer peak (MiB)."""
    from tests.browser.print_window import open_print_window, window_pdf  # noqa: PLC0415
    from tests.e2e.campaign_support import pdf_pages  # noqa: PLC0415

    before = _chromium_rss()[1]
    tab = max(before.values()) / 1024

    def run() -> bytes:
        window = open_print_window(app, button)
        pdf = window_pdf(window)
        window.page.close()
        return pdf

    pdf, seconds, peaks = renderer_peaks_while(run)
    assert isinstance(pdf, bytes)
    tab_pid = max(before, key=before.__getitem__)
    window_peak = max((p for pid, p in peaks.items() if pid not in before), default=0.0)
    return pdf_pages(pdf), seconds, tab, peaks.get(tab_pid, 0.0), window_peak


def browser_run() -> None:
    """The school's pages in Chromium on SQLite: upload the 650-line export (sealing in the
    browser + upload + the server's import) against a bare bulk insert of the same rows in
    the same run, then the print runs: each group on its own (as the page offers), then the
    whole cohort at once."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    from tests.browser.app_pages import open_app_page  # noqa: PLC0415
    from tests.browser.conftest import CHROMIUM  # noqa: PLC0415
    from tests.browser.test_school_campaign import (  # noqa: PLC0415
        STAFF_PASS,
        school_export,
    )

    with app_on("sqlite") as url, Client(url) as staff, Client(url) as coach:
        username = f"bench{uuid.uuid4().hex[:8]}"
        staff.sign_up(username, STAFF_PASS, birth_date=None, kind="professional")
        coach.sign_up(f"c{username}", STAFF_PASS, birth_date=None, kind="professional")
        school = staff.create_organisation("ROC", "school")
        receiver = coach.create_organisation("Jobcoach", "jobcoach")
        campaign = staff.create_campaign(
            school, receiver, title="bench", purpose="bench", closes_on=dt.date(2099, 1, 1)
        )
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
            )
            app = open_app_page(browser, url)
            page = app.page
            page.context.remove_listener("request", app.sent.record)  # the tests look
            app.goto("/inloggen")
            page.fill("#gebruikersnaam", username)
            page.fill("#wachtwoordzin", STAFF_PASS)
            page.click("#inloggen")
            page.wait_for_url("**/pro/campagnes", timeout=60_000)
            app.goto(f"/pro/campagnes/{campaign['id']}")
            page.wait_for_selector("#bestand:visible")
            page.set_input_files(
                "#bestand",
                files=[{"name": "e.csv", "mimeType": "text/csv", "buffer": school_export()}],
            )
            page.wait_for_selector("#koppelen:visible")
            page.check("#alleen-goede")
            start = time.perf_counter()
            with (
                server_parts() as server,
                page.expect_response(lambda r: r.url.endswith("/students") and r.ok),
            ):
                page.click("#inlezen")
            uploaded = time.perf_counter() - start
            page.wait_for_selector("#brieven-klaar:visible", timeout=120_000)
            letters = time.perf_counter() - start - uploaded
            parts = page.evaluate(
                "Object.fromEntries(performance.getEntriesByType('measure')"
                ".map(m => [m.name, m.duration / 1000]))"
            )
            network = page.evaluate(RESOURCE)
            groups = page.eval_on_selector_all(
                "[data-print-group]", "els => els.map(e => e.dataset.printGroup)"
            )
            per_group = [_print_run(app, f"[data-print-group='{g}']") for g in groups]
            whole = _print_run(app, "#afdrukken")
            browser.close()
        with tempfile.TemporaryDirectory() as tmp:
            bare_url = Backend.sqlite(Path(tmp)).fresh_url()
            bare = bare_median(bare_url)
            bare_commit = bare_median(bare_url, commit=True)
    imported = COHORT - 2
    report(
        [
            (f"browser import of {imported} (seal+upload) [sqlite]", uploaded, bare, "<= 3x"),
            ("  against the bare insert committed", uploaded, bare_commit, "<= 3x"),
            ("  of which sealing 1,296 values", parts["rz-seal"], bare_commit, ""),
            ("  of which upload + server + commit", parts["rz-upload"], bare_commit, ""),
        ]
    )
    upload_split(network, server, parts["rz-upload"])
    print(f"after the import, letters ready and names opened in {letters:.2f} s")
    for name, (pages, seconds, before, peak, window) in [
        *((f"group {g}", run) for g, run in zip(groups, per_group, strict=True)),
        ("whole cohort", whole),
    ]:
        print(
            f"browser print run to PDF, {name}: {pages} pages in {seconds:.1f} s "
            f"(target <= 15 s for the cohort); tab's renderer {before:.0f} MiB before, "
            f"peak {peak:.0f} MiB; print window's renderer peak {window:.0f} MiB "
            "(target <= 300 MiB)"
        )


def main(parts: list[str]) -> None:
    """`parts`: any of browser, import, client (all three when empty)."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not parts or "browser" in parts:
        browser_run()
    if not parts or "import" in parts:
        rows = []
        for name in backends():
            rows += import_rows(name)
        report(rows)
    if not parts or "client" in parts:
        client_run()


def client_run() -> None:
    """The Python client: the full HTTP import, and the print run with WeasyPrint."""
    for name in backends():
        print(
            f"full HTTP import of {COHORT} (client + API + DB) [{name}]: {http_import(name):.3f} s"
        )
    links = [(f"S{i:05d}", f"{BASE}/campagne/{new_token()[0]}") for i in range(COHORT)]
    _, qr_seconds, qr_peak = measured(lambda: [qr_png_data_uri(link) for _, link in links])
    sheets = [
        Sheet(ref, link, _name(i), shown_code(new_code()[0]), GROUPS[i % 4])
        for i, (ref, link) in enumerate(links)
    ]
    result, pdf_seconds, pdf_peak = measured(lambda: cohort_pdf(TEXT, sheets))
    pdf, pages = result  # type: ignore[misc]
    print(f"{COHORT} links + QR codes: {qr_seconds:.2f} s, peak {qr_peak:.1f} MiB (tracemalloc)")
    print(
        f"whole-cohort PDF: {pages} pages, {len(pdf) / 2**20:.1f} MiB, {pdf_seconds:.1f} s, "
        f"peak {pdf_peak:.0f} MiB (tracemalloc, Python objects); "
        f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
