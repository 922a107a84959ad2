"""Life areas as a chart on the coach's page for one youth, in real Chromium: the youth scored
"Werk" twice with a target, the coach once; the chart (drawn in the browser from the opened
measurements) has the youth's line, the professional's line and the target, and a text summary
with every score. axe finds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from tests.browser.app_pages import PASSPHRASE, new_username, open_app_page, wait_opened


def meting(datum: str, score: int, door: str, doel: int | None = None) -> dict[str, object]:
    body: dict[str, object] = {"soort": "meting", "datum": datum, "score": score, "door": door}
    if doel is not None:
        body["doel"] = doel
    return body


@pytest.fixture(scope="module")
def world(app_url: str) -> Iterator[dict[str, object]]:
    coach, youth = RugzakClient(app_url), RugzakClient(app_url)
    username = new_username()
    coach.sign_up(username, PASSPHRASE, birth_date=None, kind="professional")
    coach.set_profile("Fatima Demir", "Jongerenloket Zwolle", "jobcoach", "06 98765432")
    youth.sign_up(new_username(), PASSPHRASE, birth_date=dt.date(2004, 5, 17))
    youth.accept_invite(coach.create_invite().token, "Noor", "WhatsApp")
    youth.write("werk", meting("2026-09-01", 2, "jongere", doel=4))
    youth.write("werk", meting("2026-11-01", 3, "jongere", doel=4))
    youth.share(
        ["werk"], coach.unlocked().account_id, permissions=("read", "append"), purpose="Werk"
    )
    dossier = youth.unlocked().dossier_id
    coach.connections()  # pins the youth's identity on the coach's side
    coach.write("werk", meting("2026-10-01", 2, "professional"), dossier_id=dossier)
    yield {"username": username, "dossier": dossier}
    coach.close()
    youth.close()


def test_a_chart_per_life_area(browser: Browser, app_url: str, world):
    app = open_app_page(browser, app_url)
    page = app.page
    page.set_viewport_size({"width": 1280, "height": 900})
    app.goto("/inloggen")
    page.fill("#gebruikersnaam", str(world["username"]))
    page.fill("#wachtwoordzin", PASSPHRASE)
    page.click("#inloggen")
    page.wait_for_url("**/pro", timeout=30_000)
    app.goto(f"/pro/jongeren/{world['dossier']}")
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
