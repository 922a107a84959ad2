"""Acties die binnenkort moeten, in real Chromium: a youth (Python client) has three plan
actions (due in 3 days, due in 60 days, and one done) and shares the plan with the coach;
another youth does not share theirs. The coach opens Mijn jongeren, presses "Toon open acties"
and sees exactly the first action with the youth's name, opened in the browser; the youth's
log holds one read of the plan. An entry the server changed is refused like on the youth's
page; with the keys not in the tab nothing is fetched or logged. axe-core finds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from tests.browser.app_pages import AppPage, log_in, open_app_page
from tests.browser.coach_world import connected_youth, new_coach
from tests.conftest import make_settings
from tests.support.databases import Backend
from tests.support.server import live_server
from tests.support.sql import sql

NAME = "Noor Jansen"
SOON = "Afspraak maken bij het UWV"
LATER = "Rijbewijs halen"
DONE = "Bankrekening openen"
HIDDEN = "Huurtoeslag aanvragen"


@pytest.fixture(scope="module")
def db_url(sqlite_backend: Backend) -> str:
    return sqlite_backend.fresh_url()


@pytest.fixture(scope="module")
def app_url(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This module's own live app, so a test can play a malicious server on its database."""
    settings = make_settings(db_url, tmp_path_factory.mktemp("acties"))
    with live_server(settings) as url:
        yield url


def due(days: int) -> str:
    """A date `days` from today on this machine's calendar, as the browser counts."""
    today = dt.datetime.now(dt.UTC).astimezone().date()
    return (today + dt.timedelta(days=days)).isoformat()


def action(what: str, days: int, *, done: bool = False) -> dict[str, object]:
    return {
        "doel": "Zelfstandig wonen",
        "actie": what,
        "wie": "ik",
        "wanneer": due(days),
        "klaar": done,
    }


@pytest.fixture(scope="module")
def world(app_url: str) -> Iterator[dict[str, RugzakClient | str]]:
    coach, username = new_coach(app_url, "Jongerenloket Noord")
    youth, _ = connected_youth(app_url, coach, NAME)
    other, _ = connected_youth(app_url, coach, "Sem de Boer")
    entries = [
        youth.write("plan", body)
        for body in (action(SOON, 3), action(LATER, 60), action(DONE, 2, done=True))
    ]
    youth.share(["plan"], coach.unlocked().account_id, purpose="Begeleiding")
    other.write("plan", action(HIDDEN, 1))
    other.write("werk", {"nu": "Ik zoek werk"})
    other.share(["werk"], coach.unlocked().account_id, purpose="Begeleiding")
    yield {
        "coach": coach,
        "youth": youth,
        "other": other,
        "username": username,
        "entries": entries,
    }
    for client in (coach, youth, other):
        client.close()


@pytest.fixture(scope="module")
def app(browser: Browser, app_url: str) -> Iterator[AppPage]:
    page = open_app_page(browser, app_url)
    yield page
    page.page.context.close()


def plan_reads(youth: RugzakClient, coach: RugzakClient) -> int:
    me = coach.unlocked().account_id
    return sum(1 for e in youth.access_log() if e.actor == me and e.section == "plan")


def test_open_actions_due_soon(app: AppPage, world):
    page = app.page
    log_in(app, str(world["username"]), lands="/pro")
    page.wait_for_selector("#jongeren[data-ready]")
    assert plan_reads(world["youth"], world["coach"]) == 0  # the list itself reads no plan
    assert page.is_visible("#acties")
    page.click("#toon-acties")
    page.wait_for_selector("#acties-lijst[data-ready=shown]")
    items = page.locator("#acties-lijst [data-action]")
    assert items.count() == 1
    text = items.first.text_content() or ""
    assert NAME in text
    assert SOON in text
    assert "over 3 dagen" in text
    assert page.text_content("#acties-status") == "1 open actie."
    listed = page.text_content("#acties-lijst") or ""
    for hidden in (LATER, DONE, HIDDEN):
        assert hidden not in listed
    link = items.first.locator("a").get_attribute("href") or ""
    assert link == f"/pro/jongeren/{world['youth'].unlocked().dossier_id}#sectie-plan"
    assert plan_reads(world["youth"], world["coach"]) == 1
    assert plan_reads(world["other"], world["coach"]) == 0
    for secret in (NAME, SOON):
        assert not app.sent.contains(secret.encode())
    app.clean("pro-acties")


def test_an_entry_the_server_changed_is_refused(app: AppPage, world, db_url):
    """The server swaps the due action's ciphertext for another entry's: the author's signature
    no longer matches, so the browser refuses it, as the youth's page would."""
    soon, later, _ = world["entries"]
    sql(
        db_url,
        "UPDATE entry SET payload = json_set(payload, '$.ciphertext', "
        "(SELECT json_extract(payload, '$.ciphertext') FROM entry "
        "WHERE json_extract(payload, '$.entry') = :later)) "
        "WHERE json_extract(payload, '$.entry') = :soon",
        {"soon": soon, "later": later},
    )
    page = app.page
    app.goto("/pro")
    page.wait_for_selector("#jongeren[data-ready]")
    page.click("#toon-acties")
    page.wait_for_selector("#acties-lijst[data-ready=shown]", state="attached")
    assert page.locator("#acties-lijst [data-action]").count() == 0
    status = page.text_content("#acties-status") or ""
    assert "Geen open acties" in status
    assert "Het plan van 1 jongere kon niet veilig worden geopend." in status
    assert plan_reads(world["youth"], world["coach"]) == 2
    app.clean()


def test_without_keys_in_the_tab_nothing_is_read(app: AppPage, world):
    page = app.page
    page.evaluate("sessionStorage.clear()")
    app.goto("/pro")
    page.wait_for_selector("#slot:not([hidden])")
    page.click("#toon-acties")
    page.wait_for_selector("#acties-lijst[data-ready=locked]", state="attached")
    assert "Je sleutels zijn niet in dit tabblad" in (page.text_content("#acties-status") or "")
    assert page.locator("#acties-lijst [data-action]").count() == 0
    assert plan_reads(world["youth"], world["coach"]) == 2  # no more than before
    app.clean("pro-acties-op-slot")
