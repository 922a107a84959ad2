"""Mijn jongeren as a compact table, in real Chromium: 80 youths connected to one coach
(Python clients), with varied facts (a fixed contact person, a grant ending within 30 days,
something new, a plan with an action due soon, a nazorg proposal). The names are opened in the
browser; the table sorts per column, filters and searches; "Toon open acties" fills the
actions column. At 1280 px the 80 rows fit on about two screens; at 390 px nothing scrolls
sideways. axe-core finds nothing in either."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser.app_pages import AppPage, log_in, open_app_page
from tests.browser.coach_world import connected_youth, new_coach

YOUTHS = 80
ROWS = "#jongeren tbody tr"
SHOWN = "#jongeren tbody tr:not([hidden])"


def due(days: int) -> str:
    today = dt.datetime.now(dt.UTC).astimezone().date()
    return (today + dt.timedelta(days=days)).isoformat()


@pytest.fixture(scope="module")
def world(app_url: str) -> Iterator[dict[str, object]]:
    """Youth n is "Jongere nn". Every 10th has the coach as contact person; every 8th shares
    `werk` for 10 days only; youth 3 shares a plan with an action due in 2 days; youth 5 has
    a nazorg proposal; youth 79 wrote last (after everyone else)."""
    coach, username = new_coach(app_url, "Jongerenloket Noord")
    coach_id = coach.unlocked().account_id
    clients = []
    for n in range(YOUTHS):
        youth, connection = connected_youth(app_url, coach, f"Jongere {n:02d}", "Bellen")
        if n % 10 == 0:
            youth.set_contact_person(connection)
        youth.write("werk", {"nu": f"stuk {n}"})
        youth.share(["werk"], coach_id, purpose="Begeleiding", days=10 if n % 8 == 0 else 200)
        clients.append(youth)
    plan = {"doel": "Werk", "actie": "UWV bellen", "wie": "ik", "wanneer": due(2), "klaar": False}
    clients[3].write("plan", plan)
    clients[3].share(["plan"], coach_id, purpose="Begeleiding")
    coach.request_access(
        clients[5].unlocked().dossier_id, ["contact", "plan"], purpose="Nazorg", aftercare=True
    )
    clients[79].write("werk", {"nu": "het laatste nieuws"})
    yield {"username": username}
    for client in [coach, *clients]:
        client.close()


@pytest.fixture(scope="module")
def app(browser: Browser, app_url: str, world: dict[str, object]) -> Iterator[AppPage]:
    app = open_app_page(browser, app_url)
    page = app.page
    log_in(app, str(world["username"]), lands="/pro")
    yield app
    page.context.close()


def names(app: AppPage) -> list[str]:
    return app.page.locator(f"{SHOWN} [data-name]").all_text_contents()


def test_the_table_sorts_filters_and_searches(app: AppPage):
    page = app.page
    page.set_viewport_size({"width": 1280, "height": 800})
    app.goto("/pro")
    page.wait_for_selector("#jongeren[data-ready]")
    assert names(app) == [f"Jongere {n:02d}" for n in range(YOUTHS)]
    assert page.is_visible("#uitnodigen")
    # compact: 80 rows take about two screens of 800 px at 1280 px wide
    height = page.evaluate("document.querySelector('#jongeren').getBoundingClientRect().height")
    assert height < 2.5 * 800
    app.clean("pro-caseload-1280")

    row5 = page.locator(f"{ROWS}:has-text('Jongere 05')")
    assert "voorgesteld" in (row5.text_content() or "")
    row0 = page.locator(f"{ROWS}:has-text('Jongere 00')")
    assert "Jij" in (row0.text_content() or "")

    page.click("th[data-sort-key=activiteit] button")  # newest first
    assert page.get_attribute("th[data-sort-key=activiteit]", "aria-sort") == "descending"
    assert names(app)[0] == "Jongere 79"
    page.click("th[data-sort-key=naam] button")
    page.click("th[data-sort-key=naam] button")  # Z-A
    assert names(app)[0] == "Jongere 79"
    assert names(app)[-1] == "Jongere 00"

    page.select_option("#filter", "verloopt")
    assert names(app) == sorted((f"Jongere {n:02d}" for n in range(0, YOUTHS, 8)), reverse=True)
    page.select_option("#filter", "aanspreekpunt")
    assert len(names(app)) == YOUTHS // 10
    page.select_option("#filter", "nazorg")
    assert names(app) == ["Jongere 05"]
    page.select_option("#filter", "alle")
    page.fill("#zoek", "jongere 4")
    assert len(names(app)) == 10  # 40 … 49
    assert page.text_content("#zoek-aantal") == f"10 van {YOUTHS} jongeren"
    page.fill("#zoek", "")

    page.click("#toon-acties")
    page.wait_for_selector("#acties-lijst[data-ready=shown]")
    assert page.text_content(f"{ROWS}:has-text('Jongere 03') [data-actions]") == "1"
    assert page.text_content(f"{ROWS}:has-text('Jongere 04') [data-actions]") == "plan niet gedeeld"
    page.select_option("#filter", "acties")
    assert names(app) == ["Jongere 03"]
    page.select_option("#filter", "alle")


def test_usable_at_390_px(app: AppPage):
    page = app.page
    page.set_viewport_size({"width": 390, "height": 844})
    app.goto("/pro")
    page.wait_for_selector("#jongeren[data-ready]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("th[data-sort-key=stopt] button")
    assert names(app)[0] == "Jongere 00"  # the first to end (all on the same day: by name)
    app.clean("pro-caseload-390")
