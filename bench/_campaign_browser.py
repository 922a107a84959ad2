"""The school's pages in Chromium (bench/campaign_bench.py `browser`): the import of the
650-line export (sealing in the browser, upload, the server's import) against a bare insert of
the same rows, then the print runs in the print window, per group and for the whole cohort,
with the peak memory of each renderer. The app runs in a process of its own
(bench/_campaign_server.py); the bare insert is measured on its database file after it stops."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
import uuid
from pathlib import Path

from _campaign_data import COHORT, GROUPS, Client, name_of
from _campaign_db import bare_median
from _campaign_server import import_parts, served
from _chromium_memory import chromium_rss, renderer_peaks_while
from _support import report
from _upload_split import RESOURCE
from _upload_split import report as upload_split

from tests.conftest import make_settings
from tests.support.databases import Backend

# The import's clock in the page: from the click event's own time stamp (when the input came
# in) to the answer parsed (the end of "rz-upload"). Playwright's click() first checks that the
# button is visible, stable over two animation frames and hit, and its response event reaches
# Python later still: 35-60 ms here that are not the school's (docs/performance.md).
CLICK_MARK = """() => document.addEventListener('click', (e) => {
  if (e.target.id === 'inlezen') performance.mark('rz-click', { startTime: e.timeStamp });
}, { capture: true, once: true })"""
CLICKS = """() => {
  const t = (n) => performance.getEntriesByName(n)[0].startTime;
  const up = performance.getEntriesByName('rz-upload')[0];
  return { toImport: (t('rz-import') - t('rz-click')) / 1000,
           toAnswer: (up.startTime + up.duration - t('rz-click')) / 1000 };
}"""


def _print_run(app, button: str) -> tuple[int, float, float, float, float]:
    """Press a print button: the sheets are made in the print window, a page of its own with
    a renderer process of its own (`noopener`), which then prints them with page.pdf (the
    dialog itself cannot be driven). Pages, seconds from the click to the PDF, the campaign
    tab's renderer RSS before and its peak, and the print window's renderer peak (MiB)."""
    from tests.browser.print_window import open_print_window, window_pdf  # noqa: PLC0415
    from tests.e2e.campaign_support import pdf_pages  # noqa: PLC0415

    before = chromium_rss()[1]
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


def _import(app, username: str, password: str, campaign_id: str) -> dict:
    """Log in, choose the export, map it, and press "Importeren": the page's clock and parts
    ("rz-click" to the answer, "rz-seal", "rz-upload"), the upload's Resource Timing, and
    Playwright's own seconds from click() to the response (the server's parts are in its
    own process's record)."""
    from tests.browser.school_pages import school_export  # noqa: PLC0415

    page = app.page
    page.context.remove_listener("request", app.sent.record)  # the tests look
    app.goto("/inloggen")
    page.fill("#gebruikersnaam", username)
    page.fill("#wachtwoordzin", password)
    page.click("#inloggen")
    page.wait_for_url("**/pro/campagnes", timeout=60_000)
    app.goto(f"/pro/campagnes/{campaign_id}")
    page.wait_for_selector("#bestand:visible")
    page.set_input_files(
        "#bestand",
        files=[{"name": "e.csv", "mimeType": "text/csv", "buffer": school_export()}],
    )
    page.wait_for_selector("#koppelen:visible")
    page.check("#alleen-goede")
    # The tests' axe route makes Playwright pause every request of the context in its
    # driver (20-25 ms for the upload's body here); a school's browser has no such step.
    page.context.unroute_all()
    page.evaluate(CLICK_MARK)
    start = time.perf_counter()
    with page.expect_response(lambda r: r.url.endswith("/students") and r.ok):
        page.click("#inlezen")
    uploaded = time.perf_counter() - start
    page.wait_for_selector("#brieven-klaar:visible", timeout=120_000)
    return {
        "uploaded": uploaded,
        "letters": time.perf_counter() - start - uploaded,
        "parts": page.evaluate(
            "Object.fromEntries(performance.getEntriesByType('measure')"
            ".map(m => [m.name, m.duration / 1000]))"
        ),
        "network": page.evaluate(RESOURCE),
        "clicks": page.evaluate(CLICKS),
    }


def _report_import(
    run: dict, bare: float, bare_commit: float, bare_fresh: float, bare_core: float
) -> None:
    """The import against the bare insert on the app's database file (rolled back and
    committed, and committed as the Core INSERT the import uses), and against the bare
    insert committed on a fresh file."""
    parts, clicks, answer = run["parts"], run["clicks"], run["clicks"]["toAnswer"]
    imported = COHORT - 2
    report(
        [
            (f"browser import of {imported}, click to answer [sqlite]", answer, bare, "<= 3x"),
            ("  against the bare insert committed", answer, bare_commit, "<= 3x"),
            ("  against it committed on a fresh file", answer, bare_fresh, ""),
            ("  against a bare Core INSERT committed", answer, bare_core, ""),
            ("  of which click to sealing", clicks["toImport"], bare_commit, ""),
            ("  of which sealing 1,296 values", parts["rz-seal"], bare_commit, ""),
            ("  of which upload + server + commit", parts["rz-upload"], bare_commit, ""),
            ("  as Playwright sees it (click() to response)", run["uploaded"], bare_commit, ""),
        ]
    )
    upload_split(run["network"], run["server"], parts["rz-upload"])
    print(f"after the import, letters ready and names opened in {run['letters']:.2f} s")


def browser_run(*, warm: bool = False) -> None:
    """The school's pages in Chromium on SQLite: upload the 650-line export (sealing in the
    browser + upload + the server's import) against a bare bulk insert of the same rows in
    the same run, then the print runs: each group on its own (as the page offers), then the
    whole cohort at once. The app runs in its own process, as `rugzak serve` does in a
    deployment; the bare insert is measured on the same database file once it has stopped.
    `warm`: the Python client first imports the same cohort into another campaign, so the
    server's import path is no longer cold (a long-running server's state)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = make_settings(Backend.sqlite(work).fresh_url(), work)
        with served(settings, work / "parts.json") as url:
            run, groups, per_group, whole = _in_chromium(url, warm=warm)
        # The same database file, the app stopped (its process wrote the server's parts).
        run["server"] = import_parts(work / "parts.json")
        bare = bare_median(settings.database_url)
        bare_commit = bare_median(settings.database_url, commit=True)
        bare_core = bare_median(settings.database_url, commit=True, core=True)
        # And on a fresh file, the baseline of the runs before the app had its own process.
        (work / "fresh").mkdir()
        fresh = Backend.sqlite(work / "fresh").fresh_url()
        bare_fresh = bare_median(fresh, commit=True)
    _report_import(run, bare, bare_commit, bare_fresh, bare_core)
    for name, (pages, seconds, before, peak, window) in [
        *((f"group {g}", one) for g, one in zip(groups, per_group, strict=True)),
        ("whole cohort", whole),
    ]:
        print(
            f"browser print run to PDF, {name}: {pages} pages in {seconds:.1f} s "
            f"(target <= 15 s for the cohort); tab's renderer {before:.0f} MiB before, "
            f"peak {peak:.0f} MiB; print window's renderer peak {window:.0f} MiB "
            "(target <= 300 MiB)"
        )


def _in_chromium(url: str, *, warm: bool) -> tuple[dict, list[str], list[tuple], tuple]:
    """A school and a campaign through the Python client (with `warm`, a first import into
    another campaign), then in Chromium the import and the print runs (per group, then the
    whole cohort)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    from tests.browser.app_pages import open_app_page  # noqa: PLC0415
    from tests.browser.conftest import CHROMIUM  # noqa: PLC0415
    from tests.browser.school_pages import STAFF_PASS  # noqa: PLC0415

    with Client(url) as staff, Client(url) as coach:
        username = f"bench{uuid.uuid4().hex[:8]}"
        staff.sign_up(username, STAFF_PASS, birth_date=None, kind="professional")
        coach.sign_up(f"c{username}", STAFF_PASS, birth_date=None, kind="professional")
        school = staff.create_organisation("ROC", "school")
        receiver = coach.create_organisation("Jobcoach", "jobcoach")
        campaign = staff.create_campaign(
            school, receiver, title="bench", purpose="bench", closes_on=dt.date(2099, 1, 1)
        )
        if warm:
            other = staff.create_campaign(
                school, receiver, title="warm-up", purpose="bench", closes_on=dt.date(2099, 1, 1)
            )
            plain = "referentie,naam,groep\n" + "".join(
                f"S{i:05d},{name_of(i)},{GROUPS[i % 4]}\n" for i in range(COHORT)
            )
            staff.import_students(other["id"], plain.encode())
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
            )
            app = open_app_page(browser, url)
            run = _import(app, username, STAFF_PASS, campaign["id"])
            groups = app.page.eval_on_selector_all(
                "[data-print-group]", "els => els.map(e => e.dataset.printGroup)"
            )
            per_group = [_print_run(app, f"[data-print-group='{g}']") for g in groups]
            whole = _print_run(app, "#afdrukken")
            browser.close()
    return run, groups, per_group, whole
