"""A refusal shown where the coach is working, in real Chromium: the coach has the youth's
page open and types a conversation note; meanwhile the youth stops sharing "Gesprekken en
notities". Saving is refused (403): the section's stale entries and form are removed at once
and the reason stands in their place, with focus on it. Nothing is stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from tests.browser.app_pages import PASSPHRASE, new_username, open_app_page, wait_opened


@pytest.fixture(scope="module")
def world(app_url: str) -> Iterator[dict[str, object]]:
    coach, youth = RugzakClient(app_url), RugzakClient(app_url)
    username = new_username()
    coach.sign_up(username, PASSPHRASE, birth_date=None, kind="professional")
    coach.set_profile("Fatima Demir", "Jongerenloket Zwolle", "jobcoach", "06 98765432")
    youth.sign_up(new_username(), PASSPHRASE, birth_date=dt.date(2004, 5, 17))
    youth.accept_invite(coach.create_invite().token, "Noor", "WhatsApp")
    youth.write("notities", {"soort": "notitie", "tekst": "Eerste gesprek."})
    grants = youth.share(
        ["notities"], coach.unlocked().account_id, permissions=("read", "append"), purpose="Hulp"
    )
    coach.connections()  # pins the youth's identity
    dossier = youth.unlocked().dossier_id
    note = coach.write(
        "notities", {"soort": "notitie", "tekst": "Afspraak UWV"}, dossier_id=dossier
    )
    youth.write("notities", {"soort": "reactie", "op": note, "tekst": "Het was dinsdag"})
    yield {"username": username, "youth": youth, "grants": grants, "note": note}
    coach.close()
    youth.close()


def test_a_refusal_replaces_the_stale_section(browser: Browser, app_url: str, world):
    youth: RugzakClient = world["youth"]  # type: ignore[assignment]
    app = open_app_page(browser, app_url)
    page = app.page
    app.goto("/inloggen")
    page.fill("#gebruikersnaam", str(world["username"]))
    page.fill("#wachtwoordzin", PASSPHRASE)
    page.click("#inloggen")
    page.wait_for_url("**/pro", timeout=30_000)
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
