"""Profile before invite, in real Chromium. A new coach cannot make an invite (the server
refuses, the page says why at the button); she makes her profile card (sealed in her browser),
then an invite that carries it. The youth's invite page shows who invites (the card, opened
with the link's token and checked against the coach's signature) and both key codes; after
connecting, the coach's next visit to Mijn jongeren sends her card to the youth, and Delen
shows her name instead of "Professional 71C1B6DC". axe-core finds nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from dossier.client import RugzakClient
from tests.browser.app_pages import PASSPHRASE, AppPage, new_username, open_app_page

CARD = {
    "name": "Fatima Demir",
    "organisation": "Jongerenloket Zwolle",
    "role": "jobcoach",
    "phone": "06 98765432",
}


@pytest.fixture(scope="module")
def people(app_url: str) -> Iterator[dict[str, object]]:
    coach, youth = RugzakClient(app_url), RugzakClient(app_url)
    names = {"coach_name": new_username(), "youth_name": new_username()}
    coach.sign_up(names["coach_name"], PASSPHRASE, birth_date=None, kind="professional")
    youth.sign_up(names["youth_name"], PASSPHRASE, birth_date=dt.date(2004, 5, 17))
    yield {"coach": coach, "youth": youth, **names}
    coach.close()
    youth.close()


def logged_in(browser: Browser, url: str, username: str, landing: str) -> AppPage:
    app = open_app_page(browser, url)
    app.goto("/inloggen")
    app.page.fill("#gebruikersnaam", username)
    app.page.fill("#wachtwoordzin", PASSPHRASE)
    app.page.click("#inloggen")
    app.page.wait_for_url(f"**{landing}", timeout=30_000)
    return app


def test_profile_before_invite_and_names_not_numbers(  # noqa: PLR0915  (one journey, in order)
    browser: Browser, app_url: str, people
):
    coach: RugzakClient = people["coach"]  # type: ignore[assignment]
    youth: RugzakClient = people["youth"]  # type: ignore[assignment]
    pro = logged_in(browser, app_url, str(people["coach_name"]), "/pro")
    page = pro.page
    page.click("#uitnodigen")  # the button at the top of Mijn jongeren
    page.wait_for_url("**/pro/uitnodigen")
    assert page.is_visible("#geen-profiel")
    page.click("#maak-uitnodiging")
    page.wait_for_selector("#fout:not([hidden])")
    assert (page.text_content("#fout") or "").startswith("Maak eerst je profielkaart")
    assert page.is_hidden("#gemaakt")
    # the refused request is the one console line Chromium writes for it; nothing else
    assert [p for p in pro.problems.items if "409" not in p] == []
    pro.problems.items.clear()
    pro.clean("pro-uitnodigen-zonder-profiel")

    page.click("text=Profielkaart maken")
    page.wait_for_selector("#profiel:not([hidden])")
    page.click("#bewaar-profiel")  # nothing empty is saved
    assert page.text_content("#profiel-name-fout") == "Vul je naam in."
    assert coach.profile() is None
    for field, value in CARD.items():
        page.fill(f"#profiel-{field}", value)
    pro.clean("pro-profiel")
    page.click("#bewaar-profiel")
    page.wait_for_url(re.compile(r"^https?://[^/]+/pro/uitnodigen$"))
    assert coach.profile() == CARD
    assert not pro.sent.contains(CARD["phone"].encode())  # sealed in the browser

    page.click("#maak-uitnodiging")
    page.wait_for_selector("#gemaakt:not([hidden])")
    assert page.text_content("#mijn-sleutelcode") == coach.my_fingerprint()
    assert qr_beside(page, "#mijn-sleutelcode") == coach.my_fingerprint()
    [path] = re.findall(r"/uitnodiging/[A-Za-z0-9_-]+", page.input_value("#whatsapp"))
    pro.clean("pro-uitnodiging-gemaakt")

    kid = logged_in(browser, app_url, str(people["youth_name"]), "/rugzak")
    kid.goto(path)
    kid.page.wait_for_function(
        "() => document.getElementById('wie-naam').textContent === 'Fatima Demir'"
    )
    assert kid.page.text_content("#wie-organisatie") == "Jongerenloket Zwolle"
    assert kid.page.text_content("#sleutelcode") == coach.my_fingerprint()
    assert kid.page.text_content("#mijn-sleutelcode") == youth.my_fingerprint()
    assert qr_beside(kid.page, "#sleutelcode") == coach.my_fingerprint()
    assert qr_beside(kid.page, "#mijn-sleutelcode") == youth.my_fingerprint()
    kid.clean("uitnodiging-met-profiel")
    kid.goto("/meenemen")  # Mijn gegevens: her own code, the same digits
    kid.page.wait_for_selector("#mijn-sleutelcode:not([hidden])")
    assert kid.page.text_content("#mijn-sleutelcode") == youth.my_fingerprint()
    assert qr_beside(kid.page, "#mijn-sleutelcode") == youth.my_fingerprint()
    kid.shot("mijn-gegevens-sleutelcode-qr")
    kid.goto(path)
    kid.page.wait_for_selector("#verbindformulier:not([hidden])")
    kid.page.fill("#naam", "Noor")
    kid.page.click("#verbind")
    kid.page.wait_for_url("**/delen?melding=verbonden")

    # The coach's next visit sends her card to the youth; Delen then shows her name.
    pro.goto("/pro")
    page.wait_for_selector("#jongeren[data-ready]")
    page.wait_for_function("() => !document.querySelector('[data-card-missing]')")
    [connection] = youth.connections()
    assert connection.card == CARD
    kid.goto("/delen")
    kid.page.wait_for_function(
        "() => [...document.querySelectorAll('[data-name]')]"
        ".some(e => e.textContent === 'Fatima Demir')"
    )
    assert "Professional " not in (kid.page.text_content("main") or "")
    kid.clean("delen-met-naam")
    pro.page.context.close()
    kid.page.context.close()


def qr_beside(page: Page, code: str) -> str | None:
    """The text the QR code right after a key code encodes (key-qr.js), once it is drawn."""
    figure = page.locator(f"{code} + figure[data-key-qr]")
    figure.locator("svg[role=img]").wait_for()
    return figure.get_attribute("data-key-qr")
