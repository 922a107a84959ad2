"""The school's pages in a test (tests/browser/test_school_campaign.py and
test_school_bad_files.py, bench/campaign_bench.py): a school export as it comes out of the
school's system, a school with a member and a receiving organisation on an app, a wide page,
logging in as staff, making a campaign through its form, choosing a file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Browser

from dossier.client import RugzakClient
from tests.browser.app_pages import AppPage, new_username, open_app_page

STAFF_PASS = "staf-wachtwoordzin-lang-genoeg"
GROUPS = ("Verpleegkunde-4A", "Verpleegkunde-4B", "Logistiek-3C", "Techniek-4D")
SURNAME = "Achterberg"
ROWS = 650


def school_export(rows: int = ROWS) -> bytes:
    """Seven columns (and Excel's trailing empty ones), `;`, CRLF, Windows-1252, a blank line,
    `rows` lines of which two are wrong (a number twice and an empty number) and one has a
    formula as its name."""
    head = "Studentnummer;Roepnaam;Tussenvoegsel;Achternaam;Klas;E-mail;Geboortedatum;;;"
    lines = [head]
    for i in range(rows - 3):
        middle = "van der" if i % 3 == 0 else ""
        lines.append(
            f"{100000 + i};Zoë{i};{middle};{SURNAME}é{i};{GROUPS[i % 4]};"
            f"leerling{i}@school.nl;17-05-2007;;;"
        )
    lines.insert(12, "")
    lines.append(f"100005;Dubbel;;{SURNAME};{GROUPS[0]};dubbel@school.nl;17-05-2007;;;")
    lines.append(f";Leeg;;{SURNAME};{GROUPS[0]};leeg@school.nl;17-05-2007;;;")
    lines.append(
        f'100999;"=HYPERLINK(""http://x"")";;{SURNAME};{GROUPS[1]};h@school.nl;17-05-2007;;;'
    )
    return ("\r\n".join(lines) + "\r\n;;;;;;;;;\r\n\r\n").encode("cp1252")


@contextmanager
def school_on(app_url: str) -> Iterator[dict[str, Any]]:
    """A school with one member and a job coach organisation to receive, on this app."""
    with RugzakClient(app_url) as staff, RugzakClient(app_url) as coach:
        username = new_username()
        staff.sign_up(username, STAFF_PASS, birth_date=None, kind="professional")
        coach.sign_up(new_username(), STAFF_PASS, birth_date=None, kind="professional")
        org = staff.create_organisation("ROC Deventer", "school")
        jobcoach = coach.create_organisation("Jobcoach Salland", "jobcoach")
        yield {"staff": staff, "username": username, "org": org, "jobcoach": jobcoach}


@contextmanager
def wide_on(browser: Browser, app_url: str) -> Iterator[AppPage]:
    app = open_app_page(browser, app_url)
    app.page.set_viewport_size({"width": 1280, "height": 900})
    try:
        yield app
    finally:
        app.page.context.close()


def staff_logs_in(app: AppPage, username: str) -> None:
    app.goto("/inloggen")
    app.page.fill("#gebruikersnaam", username)
    app.page.fill("#wachtwoordzin", STAFF_PASS)
    app.page.click("#inloggen")
    app.page.wait_for_url("**/pro/campagnes", timeout=30_000)


def create_campaign(app: AppPage, jobcoach: str) -> str:
    page = app.page
    page.click("text=Nieuwe campagne")
    page.wait_for_selector("#nieuwe-campagne:visible")
    app.clean("school-nieuw")
    page.click("#maak-campagne")  # nothing chosen yet: the first problem gets the focus
    assert page.is_visible("#ontvanger-fout")
    assert page.evaluate("document.activeElement.id") == "ontvanger-zoek"
    page.fill("#ontvanger-zoek", "salland")
    page.wait_for_selector(f"input[name=ontvanger][value='{jobcoach}']")
    label = page.inner_text("#ontvanger-lijst")
    assert "Jobcoach Salland \N{EN DASH} vingerafdruk " in label
    page.check(f"input[name=ontvanger][value='{jobcoach}']")
    page.fill("#contact", "Mevrouw De Boer, 0570 123 456")
    page.fill("#sluit", "2027-01-16")
    app.clean()
    page.click("#maak-campagne")
    page.wait_for_url(re.compile(r".*/pro/campagnes/[0-9a-f-]{36}$"))
    return page.url.rsplit("/", 1)[1]


def upload(app: AppPage, name: str, data: bytes, mime: str = "text/csv") -> None:
    app.page.set_input_files("#bestand", files=[{"name": name, "mimeType": mime, "buffer": data}])
