"""Wie keek in mijn rugzak?, grouped per visit, in real Chromium: a coach reads four shared
sections in one go (four `section:read` events), another coach reads one. The youth's page
says "Fatima Demir bekeek 4 delen" once, lists the parts under it, and filters per person;
the chain the page checked still holds every event. axe finds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from tests.browser.app_pages import PASSPHRASE, log_in, new_username, open_app_page

SECTIONS = ["verhaal", "werk", "wonen", "plan"]


def professional(url: str, name: str) -> RugzakClient:
    pro = RugzakClient(url)
    pro.sign_up(new_username(), PASSPHRASE, birth_date=None, kind="professional")
    pro.set_profile(name, "Jongerenloket Zwolle", "jobcoach", "06 98765432")
    return pro


@pytest.fixture(scope="module")
def world(app_url: str) -> Iterator[dict[str, object]]:
    fatima, joris = professional(app_url, "Fatima Demir"), professional(app_url, "Joris Bakker")
    youth = RugzakClient(app_url)
    username = new_username()
    youth.sign_up(username, PASSPHRASE, birth_date=dt.date(2004, 5, 17))
    dossier = youth.unlocked().dossier_id
    for pro, name in ((fatima, "Fatima Demir"), (joris, "Joris Bakker")):
        connection = youth.accept_invite(pro.create_invite().token, "Noor", "WhatsApp")
        pro.send_card(connection, name, "Jongerenloket Zwolle", "jobcoach", "06 98765432")
    for key in SECTIONS:
        youth.write(key, {"tekst": f"over {key}"})
    youth.share(SECTIONS, fatima.unlocked().account_id, purpose="Begeleiding")
    youth.share(["werk"], joris.unlocked().account_id, purpose="Werk")
    for key in SECTIONS:
        fatima.entries(key, dossier)
    joris.entries("werk", dossier)
    yield {"youth": youth, "username": username, "fatima": fatima}
    for client in (fatima, joris, youth):
        client.close()


def test_a_visit_is_one_line_and_the_chain_keeps_every_event(browser: Browser, app_url: str, world):
    youth: RugzakClient = world["youth"]  # type: ignore[assignment]
    fatima: RugzakClient = world["fatima"]  # type: ignore[assignment]
    app = open_app_page(browser, app_url)
    page = app.page
    log_in(app, str(world["username"]))
    app.goto("/wie-keek")
    page.wait_for_selector("#log-lijst li")
    visits = page.locator("#log-lijst > li[data-visit]")
    assert visits.count() == 1
    line = visits.first.text_content() or ""
    assert line.startswith("Fatima Demir bekeek 4 delen op ")
    assert "Plan en afspraken" in line
    text = page.text_content("#log-lijst") or ""
    assert "Joris Bakker las Werk" in text
    reads = [e for e in youth.access_log() if e.actor == fatima.unlocked().account_id]
    assert sorted(e.section for e in reads if e.action == "section:read") == sorted(SECTIONS)
    page.select_option("#log-persoon", label="Joris Bakker")
    shown = page.locator("#log-lijst > li:not([hidden])").all_text_contents()
    assert shown
    assert all(t.startswith("Joris Bakker") for t in shown)
    page.select_option("#log-persoon", label="Iedereen")
    app.clean("wie-keek-bezoeken")
    page.context.close()
