"""The school's campaign pages in real Chromium against the real app (docs/campaigns.md,
"The school's pages"): a member of a school logs in and lands on Campagnes, makes a campaign
(the receiving organisation found by name, with its fingerprint), uploads a 650-line
Windows-1252 export with seven columns as it comes out of the school's system, maps
Roepnaam + Tussenvoegsel + Achternaam, sees the problems per line, imports the good lines,
prints the letters to PDF; a student at 390 px says yes, another no; the status and the CSV
show it; a reminder reissues only the open ones. No name, e-mail address or unmapped column
ever leaves the browser. axe runs on every school page.

The journey runs on both databases: on PostgreSQL (the production database) with the full
cohort of 650, on SQLite with a class of 40. The 650 lines weigh on the browser (reading,
sealing 1,300 values, 650 QR codes, a 654-page PDF), which is the same on either database;
running them twice would add about half a minute to CI and test nothing new, while a short
cohort still runs every step and every check on the other database (docs/campaigns.md). The
PostgreSQL app is the session's shared one (tests/conftest.py `postgresql_app`), made while
Playwright runs: its template is migrated in a worker thread (tests/support/databases.py).
The bad files are in test_school_bad_files.py; the shared steps in school_pages.py."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.browser.app_pages import (
    BIRTH,
    PASSPHRASE,
    SHOTS,
    AppPage,
    new_username,
    open_app_page,
)
from tests.browser.print_window import (
    closes_after_printing,
    open_print_window,
    printed_text,
    shared_images,
    sheets_in,
    window_pdf,
)
from tests.browser.school_pages import (
    GROUPS,
    ROWS,
    SURNAME,
    create_campaign,
    school_export,
    school_on,
    staff_logs_in,
    upload,
    wide_on,
)
from tests.e2e.campaign_support import pdf_pages

COHORTS = {"postgresql": ROWS, "sqlite": 40}


def import_the_export(app: AppPage, rows: int) -> None:
    page = app.page
    page.wait_for_selector("#bestand:visible")
    upload(app, "export.csv", school_export(rows))
    page.wait_for_selector("#koppelen:visible")
    chosen = page.eval_on_selector_all(
        "#kolom-naam input:checked", "els => els.map(e => e.labels[0].textContent)"
    )
    assert chosen == ["Roepnaam", "Tussenvoegsel", "Achternaam"]
    assert (
        page.eval_on_selector("#kolom-nummer", "s => s.selectedOptions[0].textContent")
        == "Studentnummer"
    )
    assert page.eval_on_selector("#kolom-groep", "s => s.selectedOptions[0].textContent") == "Klas"
    assert "E-mail, Geboortedatum" in page.inner_text("#weggelaten")
    first = page.inner_text("#voorbeeld tbody tr:first-child")
    assert f"Zoë0 van der {SURNAME}é0" in first
    problems = page.inner_text("#problemen")
    assert "staat ook op regel 7" in problems  # both line numbers: 100005 is on line 7
    assert re.search(r"Regel \d+: het nummer is leeg", problems)
    assert page.is_disabled("#inlezen")
    app.clean("school-koppelen")
    page.check("#alleen-goede")
    assert not page.is_disabled("#inlezen")
    page.click("#inlezen")
    page.wait_for_selector("#brieven-klaar:visible", timeout=60_000)
    assert f"{rows - 2} studenten ingelezen" in page.inner_text("#brieven-uitleg")


def nothing_readable_left(app: AppPage, rows: int) -> None:
    sent = b"\n".join(app.sent.bodies)
    assert b"Studentnummer;" not in sent  # the export itself never went out
    for needle in ("Zoë", SURNAME, "@school.nl", "17-05-2007", "Verpleegkunde", "HYPERLINK"):
        assert needle.encode() not in sent, needle
    upload_body = next(b for b in app.sent.bodies if b.startswith(b"referentie;naam;groep"))
    assert upload_body.count(b"\n") == rows - 1  # header + the good lines, three columns each
    assert all(line.count(b";") == 2 for line in upload_body.splitlines())


def blocked_popup_prints_here(app: AppPage, letters: int) -> None:
    """A blocked pop-up (`window.open` opens nothing): the window never says it is ready,
    so the page says so in Dutch and offers to print in this tab instead."""
    page = app.page
    page.evaluate("() => { window.__open = window.open; window.open = () => null; }")
    page.evaluate("() => { window.print = () => {}; }")
    page.click("#afdrukken")
    page.wait_for_selector("#printvenster-fout:visible", timeout=60_000)
    assert "pop-ups" in page.inner_text("#printvenster-fout")
    app.clean("school-printvenster-geblokkeerd")
    page.click("#hier-afdrukken")
    assert page.eval_on_selector_all("#brieven [data-sheet]", "els => els.length") == letters
    page.wait_for_function("document.body.classList.contains('rz-printing')")  # images loaded
    page.evaluate("() => { window.open = window.__open; }")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.eval_on_selector_all("#brieven [data-sheet]", "els => els.length") == 0
    assert page.is_hidden("#printvenster-fout")


def print_to_pdf(app: AppPage, rows: int) -> list[str]:
    page = app.page
    buttons = page.eval_on_selector_all(
        "[data-print-group]", "els => els.map(e => [e.dataset.printGroup, e.textContent])"
    )
    assert [g for g, _ in buttons] == sorted(GROUPS)
    group = open_print_window(app, f"[data-print-group='{GROUPS[0]}']")  # one group: no cover
    one = sheets_in(group)
    assert f"Groep {GROUPS[0]} afdrukken ({one} brieven)" in dict(buttons)[GROUPS[0]]
    assert group.page.eval_on_selector_all("#brieven .rz-sheet-cover", "els => els.length") == 0
    assert group.page.inner_text("#brieven [data-sheet]:first-of-type").count(GROUPS[0]) == 1
    closes_after_printing(group)

    window = open_print_window(app, "#afdrukken")
    wp = window.page
    wp.set_viewport_size({"width": 1280, "height": 900})  # the school's screen, as the tab
    window.clean("school-printvenster")
    covers = wp.eval_on_selector_all("#brieven .rz-sheet-cover", "els => els.length")
    assert (sheets_in(window), covers) == (rows - 2, 4)
    first = printed_text(window, "#brieven [data-sheet]:first-of-type")
    for text in (
        "ROC Deventer",
        "Jobcoach Salland",
        "tot en met 16 januari 2027",
        "Mevrouw De Boer, 0570 123 456",
        "Niet delen",
    ):
        assert text in first, text
    hyperlink = wp.inner_text("#brieven [data-sheet='100999']")
    assert 'Voor: =HYPERLINK("http://x") Achterberg' in hyperlink  # printed as text
    assert wp.eval_on_selector_all("#brieven [data-sheet] svg path", "els => els.length") == (
        rows - 2
    )  # a QR code on every sheet
    assert shared_images(window) == 4  # the same text on every sheet: four images, all shared
    letters = wp.eval_on_selector_all(
        "#brieven [data-sheet]",
        """els => els.map(e => [e.querySelector('.rz-sheet-small').textContent.split(': ')[1],
                                e.querySelector('.rz-sheet-code').textContent])""",
    )
    shot = wp.locator("#brieven [data-sheet]").first
    wp.evaluate("document.getElementById('brieven').style.display = 'block'")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot.screenshot(path=str(SHOTS / "school-brief.png"))
    wp.evaluate("document.getElementById('brieven').style.display = ''")
    pdf = window_pdf(window)
    assert pdf_pages(pdf) == rows - 2 + 4
    (SHOTS / "school-brieven.pdf").write_bytes(pdf)
    closes_after_printing(window)  # printing ends with `afterprint`: the window closes
    app.check()
    return letters


@pytest.mark.timeout(600)
@pytest.mark.parametrize("database", list(COHORTS))
def test_a_school_runs_a_campaign_in_the_browser(
    browser: Browser, app_url: str, database: str, request: pytest.FixtureRequest
) -> None:
    if database == "postgresql":
        app_url = request.getfixturevalue("postgresql_app").url
    with school_on(app_url) as school, wide_on(browser, app_url) as app:
        school_journey(app, browser, app_url, school, COHORTS[database])


def school_journey(
    app: AppPage, browser: Browser, app_url: str, school: dict[str, Any], rows: int
) -> None:
    page = app.page
    staff_logs_in(app, school["username"])
    assert page.inner_text("h1") == "Campagnes"
    app.clean("school-campagnes")
    campaign_id = create_campaign(app, school["jobcoach"])
    page.wait_for_selector("#kop-inlezen:visible")
    app.clean("school-campagne-leeg")
    import_the_export(app, rows)
    app.clean("school-brieven")
    nothing_readable_left(app, rows)
    letters = print_to_pdf(app, rows)
    assert len({link for link, _ in letters}) == len({code for _, code in letters}) == rows - 2
    assert all(
        re.fullmatch(r"[ACDEFHJKMNPRTWXY3479]{4}(-[ACDEFHJKMNPRTWXY3479]{4}){2}", c)
        for _, c in letters
    )

    # Two students at 390 px: one scans the link and says yes, the other types the short
    # code and says no, each with a rugzak.
    tokens = [letters[0][0].split("/campagne/", 1)[1], letters[1][1]]
    for token, answer in zip(tokens, ("ja", "nee"), strict=True):
        student = open_app_page(browser, app_url)
        try:
            sign_up_and_answer(student, token, answer)
        finally:
            student.page.context.close()

    page.reload()
    page.click("#toon-studenten")
    page.wait_for_selector("#studenten-wrap:visible")
    assert page.inner_text("#tellingen [data-count=accepted]") == "1"
    assert page.inner_text("#tellingen [data-count=declined]") == "1"
    table = page.inner_text("#studenten")
    assert "Akkoord" in table
    assert "Geweigerd" in table
    # The page's own refresh (after the reload) fills the groups once it opened them.
    page.wait_for_selector("#per-groep [data-group]")
    assert "Verpleegkunde-4A" in page.inner_text("#per-groep")
    app.clean("school-stand")

    with page.expect_download() as got:
        page.click("#exporteer")
    raw = got.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    exported = list(csv.reader(io.StringIO(raw[3:].decode()), delimiter=";"))
    assert exported[0] == ["Studentnummer", "Naam", "Groep", "Stand"]
    states = [r[3] for r in exported[1:]]
    assert (states.count("Akkoord"), states.count("Geweigerd"), len(states)) == (1, 1, rows - 2)
    hyperlink = next(r for r in exported if r[0] == "100999")
    assert hyperlink[1].startswith("'=HYPERLINK(")

    answered = {r[0] for r in exported[1:] if r[3] in {"Akkoord", "Geweigerd"}}
    reminder_reissues_the_open_ones(app, rows, answered)
    nothing_readable_left(app, rows)
    assert campaign_id


def reminder_reissues_the_open_ones(app: AppPage, rows: int, answered: set[str]) -> None:
    page = app.page
    page.click("#herinnering")
    page.wait_for_selector("#brieven-klaar:visible")
    if rows < ROWS:  # once, on the short cohort: it prints in the campaign tab
        blocked_popup_prints_here(app, rows - 4)
    reminder = open_print_window(app, "#afdrukken")
    assert sheets_in(reminder) == rows - 4
    reissued = set(
        reminder.page.eval_on_selector_all(
            "#brieven [data-sheet]", "els => els.map(e => e.dataset.sheet)"
        )
    )
    closes_after_printing(reminder)
    assert not reissued & answered


def sign_up_and_answer(student: AppPage, token: str, answer: str) -> None:
    page = student.page
    student.goto("/aanmelden")
    page.fill("#gebruikersnaam", new_username())
    page.fill("#geboortedatum", BIRTH)
    page.fill("#wachtwoordzin", PASSPHRASE)
    page.fill("#wachtwoordzin2", PASSPHRASE)
    page.click("#maak")
    page.wait_for_selector("#stap-herstelcode:not([hidden])", timeout=30_000)
    code = page.text_content("#herstelcode") or ""
    page.click("#bewaard")
    group = int((page.text_content("#controle-vraag") or "").split()[2])
    page.fill("#controlecode", code.split("-")[group - 1])
    page.click("#verder")
    page.wait_for_url("**/rugzak", timeout=15_000)
    if "-" in token and len(token) == 14:  # the short code, typed as on the sheet
        student.goto("/campagne")
        page.fill("#code", token.lower().replace("-", " "))
        student.clean()
        page.click("#code-verder")
        page.wait_for_url(f"**/campagne/{token.replace('-', '')}")
    else:
        student.goto(f"/campagne/{token}")
    assert "Antwoorden kan tot en met\n16 januari 2027" in page.inner_text("main")  # as printed
    if answer == "ja":
        page.wait_for_selector("#ja-formulier:visible")
        page.click("#ja")
        page.wait_for_selector("#klaar-ja:visible", timeout=20_000)
    else:
        page.click("#nee")
        page.wait_for_selector("text=Je hebt nee gezegd")
