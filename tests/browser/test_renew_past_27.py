"""Sharing near the 27th birthday (DESIGN: grants run at most until 27 "unless renewed"): the
Delen page stops a later date with a Dutch message and sends nothing, until the youth ticks
that they want to share longer; then the grant runs past the birthday."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from tests.browser.app_pages import PASSPHRASE, AppPage, log_in, open_app_page
from tests.e2e.conftest import connect, new_username

TODAY = dt.datetime.now(dt.UTC).date()


@pytest.fixture
def pair(app_url: str) -> Iterator[tuple[RugzakClient, RugzakClient]]:
    youth, coach = RugzakClient(app_url), RugzakClient(app_url)
    born = TODAY.replace(year=TODAY.year - 27) + dt.timedelta(days=120)  # 27 in 120 days
    youth.sign_up(new_username(), PASSPHRASE, birth_date=born)
    coach.sign_up(new_username("coach"), PASSPHRASE, birth_date=None, kind="professional")
    coach.set_profile("Fatima Demir", "Jongerenloket Noord", "jobcoach", "06 98765432")
    connect(youth, coach)
    yield youth, coach
    youth.close()
    coach.close()


@pytest.fixture
def app(browser: Browser, app_url: str) -> Iterator[AppPage]:
    app = open_app_page(browser, app_url)
    yield app
    app.page.context.close()


def test_sharing_past_27_needs_the_youths_own_tick(app: AppPage, pair) -> None:
    youth, coach = pair
    coach_id = coach.unlocked().account_id
    log_in(app, youth.unlocked().username)
    app.goto("/delen")
    person = f"#persoon-{coach_id}"
    app.page.click(f"{person} summary")
    app.page.check(f"{person} input[data-section=notities][data-permission=read]")
    later = (TODAY + dt.timedelta(days=200)).isoformat()
    app.page.fill(f"{person} [data-expiry]", later)
    app.clean("delen-bijna-27")
    app.page.click(f"{person} form[data-share] button[type=submit]")
    error = app.page.locator(f"{person} [data-share-error]")
    assert "Delen kan tot je 27e verjaardag" in (error.text_content() or "")
    assert coach.my_grants() == []
    assert not app.sent.contains(b'"grants"')

    app.page.check(f"{person} [data-renew-27]")
    app.page.click(f"{person} form[data-share] button[type=submit]")
    app.page.wait_for_url("**/delen?melding=gedeeld", timeout=20_000)
    [grant] = coach.my_grants()
    assert grant["section"] == "notities"
    assert grant["expires_at"][:10] == later
    app.check()
