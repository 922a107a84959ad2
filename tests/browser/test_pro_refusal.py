"""A refusal shown where the coach is working, in real Chromium: the coach has the youth's
page open and types a conversation note; meanwhile the youth stops sharing "Gesprekken en
notities". Saving is refused (403): the section's stale entries and form are removed at once
and the reason stands in their place, with focus on it. Nothing is stored."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from tests.browser.app_pages import log_in, open_app_page, wait_opened
from tests.browser.coach_world import coach_and_youth


@pytest.fixture(scope="module")
def world(app_url: str) -> Iterator[dict[str, object]]:
    with coach_and_youth(app_url) as world:
        coach, youth = world.coach, world.youth
        youth.write("notities", {"soort": "notitie", "tekst": "Eerste gesprek."})
        grants = youth.share(
            ["notities"], world.coach_id, permissions=("read", "append"), purpose="Hulp"
        )
        coach.connections()  # pins the youth's identity
        note = coach.write(
            "notities", {"soort": "notitie", "tekst": "Afspraak UWV"}, dossier_id=world.dossier
        )
        youth.write("notities", {"soort": "reactie", "op": note, "tekst": "Het was dinsdag"})
        yield {"username": world.username, "youth": youth, "grants": grants, "note": note}


def test_a_refusal_replaces_the_stale_section(browser: Browser, app_url: str, world):
    youth: RugzakClient = world["youth"]  # type: ignore[assignment]
    app = open_app_page(browser, app_url)
    page = app.page
    log_in(app, str(world["username"]), lands="/pro")
    app.goto(f"/pro/jongeren/{youth.unlocked().dossier_id}")
    wait_opened(app)
    assert "Eerste gesprek." in (page.text_content("#sectie-notities") or "")
    # notes and reactions as one timeline: the reaction sits under the note it answers
    reaction = page.locator(f"[data-reactions-for='{world['note']}'] [data-reaction]")
    page.wait_for_selector(f"[data-reactions-for='{world['note']}'] [data-reaction]")
    assert "Het was dinsdag" in (reaction.text_content() or "")
    assert page.locator("#sectie-notities ul.rz-cards > li").count() == 2
    app.clean("pro-notities-reacties")
    page.fill("#sectie-notities textarea", "Tweede gesprek")
    youth.revoke(world["grants"])  # type: ignore[arg-type]
    page.click("#sectie-notities form[data-seal] button[type=submit]")
    page.wait_for_selector("#sectie-notities [data-refused]")
    text = page.text_content("#sectie-notities") or ""
    assert "De jongere deelt dit onderdeel niet meer met jou" in text
    assert "Eerste gesprek." not in text
    assert page.locator("#sectie-notities form").count() == 0
    assert page.evaluate("document.activeElement.hasAttribute('data-refused')")
    assert [e for e in youth.entries("notities") if "Tweede" in str(e)] == []
    assert "geen toegang" not in (page.text_content("#meldingen") or "")  # not out of view
    app.clean("pro-weigering")
    page.context.close()
