"""Life areas as a chart on the coach's page for one youth, in real Chromium: the youth scored
"Werk" twice with a target, the coach once; the chart (drawn in the browser from the opened
measurements) has the youth's line, the professional's line and the target, and a text summary
with every score. axe finds nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser.app_pages import log_in, open_app_page, wait_opened
from tests.browser.coach_world import CoachAndYouth, coach_and_youth


def meting(datum: str, score: int, door: str, doel: int | None = None) -> dict[str, object]:
    body: dict[str, object] = {"soort": "meting", "datum": datum, "score": score, "door": door}
    if doel is not None:
        body["doel"] = doel
    return body


@pytest.fixture(scope="module")
def world(app_url: str) -> Iterator[CoachAndYouth]:
    with coach_and_youth(app_url) as world:
        coach, youth = world.coach, world.youth
        youth.write("werk", meting("2026-09-01", 2, "jongere", doel=4))
        youth.write("werk", meting("2026-11-01", 3, "jongere", doel=4))
        youth.share(["werk"], world.coach_id, permissions=("read", "append"), purpose="Werk")
        coach.connections()  # pins the youth's identity on the coach's side
        coach.write("werk", meting("2026-10-01", 2, "professional"), dossier_id=world.dossier)
        yield world


def test_a_chart_per_life_area(browser: Browser, app_url: str, world: CoachAndYouth):
    app = open_app_page(browser, app_url)
    page = app.page
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(app, world.username, lands="/pro")
    app.goto(f"/pro/jongeren/{world.dossier}")
    wait_opened(app)
    page.wait_for_selector("#sectie-werk [data-chart]:not([hidden]) svg")
    chart = "#sectie-werk [data-chart] svg"
    assert page.locator(f"{chart} polyline[data-series=jongere]").count() == 1
    assert page.locator(f"{chart} polyline[data-series=professional]").count() == 1
    assert page.get_attribute(f"{chart} line[data-goal]", "data-goal") == "4"
    summary = page.text_content(f"{chart} desc") or ""
    assert "Cijfers van de jongere: 2 op 2026-09-01, 3 op 2026-11-01." in summary
    assert "Cijfers van een professional: 2 op 2026-10-01." in summary
    assert "Het doel is 4." in summary
    app.clean("pro-leefgebied-grafiek")
    page.context.close()
