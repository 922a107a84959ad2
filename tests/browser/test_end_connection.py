"""Ending a connection from Delen: one tap revokes everything shared with that person, ends the
connection and gives the sections they could read new keys (real Chromium, real crypto)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from dossier.client.api import ApiError
from tests.browser.app_pages import PASSPHRASE, AppPage, log_in, open_app_page
from tests.e2e.conftest import connect, introduce, signed_up


@pytest.fixture
def pair(app_url: str) -> Iterator[tuple[RugzakClient, RugzakClient]]:
    youth = signed_up(app_url, passphrase=PASSPHRASE)  # the one log_in types
    coach = signed_up(app_url, "professional")
    yield youth, coach
    youth.close()
    coach.close()


def test_one_tap_ends_the_connection_and_everything_shared(
    browser: Browser, app_url: str, pair
) -> None:
    youth, coach = pair
    connect(youth, coach)
    introduce(youth, coach)
    youth.write("verhaal", {"tekst": "Mijn verhaal."})
    youth.share(["verhaal", "contact"], coach.unlocked().account_id, purpose="Begeleiding")
    dossier = youth.unlocked().dossier_id
    assert coach.entries("verhaal", dossier)[0].body == {"tekst": "Mijn verhaal."}

    app: AppPage = open_app_page(browser, app_url)
    log_in(app, youth.unlocked().username)
    app.goto("/delen")
    person = f"#persoon-{coach.unlocked().account_id}"
    app.page.click(f"{person} summary:has-text('Verbinding verbreken')")
    app.clean("delen-verbreken")
    app.page.click(f"{person} [data-end-connection]")
    app.page.wait_for_url("**/delen?melding=verbroken", timeout=30_000)
    assert "De verbinding is verbroken." in (app.page.text_content("main") or "")
    assert app.page.locator(person).count() == 0
    app.clean()

    assert coach.my_grants() == []
    with pytest.raises(ApiError) as refused:
        coach.entries("verhaal", dossier)
    assert refused.value.status == 403
    assert youth.section("verhaal").key_version == 2  # rotated: nothing new opens for them
    for side in (youth, coach):
        [ended] = side.connections(include_ended=True)
        assert ended.ended_at is not None
    app.page.context.close()
