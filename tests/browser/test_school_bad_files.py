"""Files the school's campaign page refuses, or reads with care, in real Chromium against the
real app (docs/campaigns.md, "The school's pages"): UTF-16, an .xlsx, an empty file, only
separators, NUL bytes (one clear Dutch message each), then a tab-separated file with a
10,000-character field and a formula as a name (read, each problem named at its line, the
formula kept as text). The bad files never reach the server, so they run once, on SQLite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.browser.app_pages import AppPage
from tests.browser.school_pages import school_on, staff_logs_in, upload, wide_on


@pytest.fixture(scope="module")
def school(app_url: str) -> Iterator[dict[str, Any]]:
    with school_on(app_url) as made:
        yield made


@pytest.fixture
def wide(browser: Browser, app_url: str) -> Iterator[AppPage]:
    with wide_on(browser, app_url) as app:
        yield app


XLSX = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40
LONG = "x" * 10_000
BAD_FILES = {
    "utf-16 with BOM": ("lijst.csv", "Studentnummer;Naam\r\n1;Sam\r\n".encode("utf-16"), None),
    "xlsx": ("lijst.xlsx", XLSX, "Dit is een Excel-bestand (.xlsx)"),
    "empty": ("lijst.csv", b"", "Het bestand is leeg."),
    "only separators": ("lijst.csv", b";;;;\r\n\r\n;;;\r\n", "Het bestand is leeg."),
    "nul bytes": (
        "lijst.csv",
        b"Studentnummer;Naam\n1;Sa\x00m\n",
        "Dit bestand kunnen we niet lezen.",
    ),
}


@pytest.fixture(scope="module")
def running(app_url: str, school: dict[str, Any]) -> str:
    made = school["staff"].create_campaign(
        school["org"],
        school["jobcoach"],
        title="Bestanden proberen",
        purpose="Warme overdracht.",
        closes_on=dt.date(2027, 1, 16),
    )
    return str(made["id"])


def test_bad_files_get_one_clear_message(
    wide: AppPage, school: dict[str, Any], running: str
) -> None:
    app, page = wide, wide.page
    staff_logs_in(app, school["username"])
    app.goto(f"/pro/campagnes/{running}")
    page.wait_for_selector("#bestand:visible")
    for case, (name, data, message) in BAD_FILES.items():
        upload(app, name, data)
        if message is None:  # UTF-16 is decoded, not refused
            page.wait_for_selector("#koppelen:visible")
            assert "Sam" in page.inner_text("#voorbeeld"), case
            continue
        page.wait_for_selector("#bestand-fout:visible")
        assert page.inner_text("#bestand-fout").startswith(message), case
        assert page.is_hidden("#koppelen"), case
    app.clean("school-bestand-fout")

    # Tab-separated, a 10,000-character field and a formula as a name: read, each problem
    # named at its line, the formula kept as text.
    text = f'Nummer\tNaam\tMentor\r\n1\t{LONG}\tX\r\n2\t=HYPERLINK("x")\tY\r\n{LONG}\tSam\tZ\r\n'
    upload(app, "lijst.txt", text.encode())
    page.wait_for_selector("#koppelen:visible")
    assert (
        page.eval_on_selector("#kolom-nummer", "s => s.selectedOptions[0].textContent") == "Nummer"
    )
    problems = page.inner_text("#problemen")
    assert "Regel 2: de naam is te lang (10000 tekens, hoogstens 200)." in problems
    assert "Regel 4: het nummer is te lang (10000 tekens, hoogstens 64)." in problems
    assert '=HYPERLINK("x")' in page.inner_text("#voorbeeld")
    assert "Mentor" in page.inner_text("#weggelaten")
    app.clean()
    assert not app.sent.bodies or all(b"HYPERLINK" not in b for b in app.sent.bodies)
