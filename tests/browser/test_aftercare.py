"""Nazorg in the youth's browser: putting a professional "op de achtergrond" from Delen, and
saying yes to a professional's nazorg proposal. Both end everything else that person may do
and give the sections they read new keys (real Chromium, real crypto)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier import crypto
from dossier.client import RugzakClient
from tests.browser.app_pages import PASSPHRASE, AppPage, log_in, open_app_page
from tests.browser.test_pro_access import pages_of
from tests.e2e.conftest import connect, introduce, signed_up
from tests.e2e.test_grants import denied, read_raw

SECTIONS = ("contact", "plan", "geld")


@pytest.fixture
def trajectory(app_url: str) -> Iterator[tuple[RugzakClient, RugzakClient]]:
    """A youth who shares contact, plan and geld with a connected coach."""
    youth = signed_up(app_url, passphrase=PASSPHRASE)  # the one log_in types
    coach = signed_up(app_url, "professional")
    connect(youth, coach)
    introduce(youth, coach)
    for key in SECTIONS:
        youth.write(key, {"tekst": f"Over {key}."})
    youth.share(SECTIONS, coach.unlocked().account_id, purpose="Traject")
    yield youth, coach
    youth.close()
    coach.close()


def assert_in_the_background(youth: RugzakClient, coach: RugzakClient) -> None:
    dossier = youth.unlocked().dossier_id
    assert sorted(g["section"] for g in coach.my_grants()) == ["contact", "plan"]
    assert coach.entries("plan", dossier)[0].body == {"tekst": "Over plan."}
    denied(read_raw(coach, youth, "geld"), "revoked")
    assert youth.section("geld").key_version == 2  # rotated: nothing new opens for them


def test_the_youth_puts_the_coach_in_the_background(
    browser: Browser, app_url: str, trajectory
) -> None:
    youth, coach = trajectory
    app: AppPage = open_app_page(browser, app_url)
    log_in(app, youth.unlocked().username)
    app.goto("/delen")
    person = f"#persoon-{coach.unlocked().account_id}"
    app.page.click(f"{person} summary:has-text('Op de achtergrond zetten')")
    app.clean("delen-achtergrond")
    app.page.click(f"{person} [data-step-down]")
    app.page.wait_for_url("**/delen?melding=achtergrond", timeout=30_000)
    assert "staat nu op de achtergrond" in (app.page.text_content("main") or "")
    shown = app.page.locator(f"{person} [data-grant]").all_text_contents()
    assert len(shown) == 2
    assert all("Nazorg: op de achtergrond" in text for text in shown)
    app.clean()
    assert_in_the_background(youth, coach)
    app.page.context.close()


def test_yes_to_a_nazorg_proposal_steps_down(browser: Browser, app_url: str, trajectory) -> None:
    youth, coach = trajectory
    dossier = youth.unlocked().dossier_id
    with pages_of(app_url, coach) as http:
        proposed = http.post(
            f"/pro/jongeren/{dossier}/nazorg", data={"_csrf_token": http.cookies["csrftoken"]}
        )
        assert proposed.status_code == 303, proposed.text
    [request] = youth.requests()
    assert request["kind"] == "aftercare"

    app: AppPage = open_app_page(browser, app_url)
    log_in(app, youth.unlocked().username)
    app.goto("/delen")
    card = app.page.locator(f"[data-request*='{request['id']}']")
    assert "stelt nazorg voor" in (card.text_content() or "")
    app.clean("delen-nazorg-voorstel")
    card.locator("[data-answer-with=yes]").click()
    app.page.wait_for_url("**/delen?melding=achtergrond", timeout=30_000)
    app.clean()
    app.page.context.close()

    assert_in_the_background(youth, coach)
    [answered] = youth.requests()
    owner = youth.unlocked().identity.public.sign_pk
    fields = crypto.verify_statement(answered["receipts"][0], owner)
    assert (fields["answer"], fields["step_down"]) == ("yes", True)
