"""Wachtwoordzin wijzigen in real Chromium against the real app: a youth changes the passphrase
on the page (reached from "Ingelogd op"), another login session ends, the old passphrase is
refused at login, the new one opens the dossier and a story written before reads back, and the
recovery code still works. A professional changes theirs the same way. No request the browser
sent carried either passphrase."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from dossier.client.api import ApiError
from tests.browser.app_pages import (
    PASSPHRASE,
    AppPage,
    log_in,
    new_username,
    open_app_page,
    sign_up,
    wait_opened,
)
from tests.browser.test_youth_journey import write_story

NEW = "een-nieuwe-zin-voor-mijn-rugzak-7"
STORY = "Mijn verhaal van voor de nieuwe wachtwoordzin. Voorwachtwoord-3391"


@pytest.fixture
def app(browser: Browser, app_url: str) -> Iterator[AppPage]:
    page = open_app_page(browser, app_url)
    yield page
    page.page.context.close()


def change(app: AppPage, current: str, new: str, again: str | None = None) -> None:
    app.page.fill("#huidige", current)
    app.page.fill("#nieuwe", new)
    app.page.fill("#nieuwe2", new if again is None else again)
    app.page.click("#wijzig")


def wait_refused(app: AppPage, text: str) -> None:
    app.page.wait_for_function(
        "(t) => (document.getElementById('fout').textContent || '').includes(t)",
        arg=text,
        timeout=30_000,
    )


def refused_on_purpose(app: AppPage) -> None:
    """The browser logs a refused request (401) as a console error; only those may be there."""
    problems = app.problems.take()
    assert problems, "expected the refused request in the console"
    assert all("401" in p for p in problems), problems


def sent_change(app: AppPage) -> dict[str, object]:
    [body] = [b for b in app.sent.bodies if b"new_bundle" in b]
    return json.loads(body)


def test_youth_changes_passphrase_on_the_page(  # noqa: PLR0915  (one journey, in order)
    app: AppPage, app_url: str
) -> None:
    page = app.page
    username = new_username()
    code = sign_up(app, username)
    wait_opened(app)
    app.goto("/rugzak/verhaal")
    write_story(app, STORY)
    wait_opened(app)

    other = RugzakClient(app_url)  # a second device, logged in before the change
    other.login(username, PASSPHRASE)
    assert len(other.sessions()) == 2

    app.goto("/sessies")
    page.click("a[href='/wachtwoordzin']")
    page.wait_for_url("**/wachtwoordzin")
    page.wait_for_selector("#wachtwoordzinformulier:not([hidden])")
    assert page.locator("h1").text_content() == "Wachtwoordzin wijzigen"
    assert "herstelcode blijft hetzelfde" in (page.text_content("main") or "")

    # Checked in the browser before anything is derived or sent.
    change(app, PASSPHRASE, "te-kort")
    wait_refused(app, "minstens 12 tekens")
    change(app, PASSPHRASE, NEW, NEW + "x")
    wait_refused(app, "De twee wachtwoordzinnen zijn niet hetzelfde.")
    assert page.get_attribute("#nieuwe2", "aria-invalid") == "true"
    assert not [b for b in app.sent.bodies if b"new_bundle" in b]

    # A wrong current passphrase: the server refuses, the page says so and stays.
    change(app, "dit-is-niet-mijn-wachtwoordzin", NEW)
    wait_refused(app, "Je huidige wachtwoordzin klopt niet.")
    assert page.url.endswith("/wachtwoordzin")
    assert page.evaluate("document.activeElement.id") == "huidige"
    refused_on_purpose(app)
    app.sent.bodies.clear()
    app.clean()

    change(app, PASSPHRASE, NEW)
    page.wait_for_selector("#klaar:not([hidden])", timeout=60_000)
    assert "Je wachtwoordzin is gewijzigd." in (page.text_content("#klaar") or "")
    assert page.evaluate("document.activeElement.id") == "klaar"
    body = sent_change(app)
    assert set(body) == {"auth_key", "new_kdf", "new_auth_key", "new_bundle"}
    app.check()

    # This tab stays signed in and unlocked; the other device's session is gone.
    app.goto("/rugzak/verhaal")
    wait_opened(app)
    assert page.text_content(".rz-story [data-plain=tekst]") == STORY
    with pytest.raises(ApiError) as ended:
        other.sessions()
    assert ended.value.status == 401
    other.close()

    app.goto("/meer")  # a youth logs out on Meer
    page.click("button[data-rugzak-logout]")
    page.wait_for_url("**/uitgelogd")

    # The old passphrase no longer opens the rugzak; the new one does.
    app.goto("/inloggen")
    page.fill("#gebruikersnaam", username)
    page.fill("#wachtwoordzin", PASSPHRASE)
    page.click("#inloggen")
    wait_refused(app, "klopt niet")
    assert page.url.endswith("/inloggen")
    refused_on_purpose(app)
    log_in(app, username, NEW)
    app.goto("/rugzak/verhaal")
    wait_opened(app)
    assert page.text_content(".rz-story [data-plain=tekst]") == STORY
    app.check()

    for secret in (PASSPHRASE, NEW):
        assert not app.sent.contains(secret.encode()), secret

    # The recovery bundle was not touched: the same recovery code still restores the account.
    with RugzakClient(app_url) as again:
        again.recover(username, code, "weer-een-andere-wachtwoordzin-9")
        assert again.unlocked().username == username


def test_professional_changes_passphrase(app: AppPage, app_url: str) -> None:
    page = app.page
    username = new_username().replace("jongere", "coach")
    with RugzakClient(app_url) as coach:
        coach.sign_up(username, PASSPHRASE, birth_date=None, kind="professional")
        identity = coach.unlocked().identity.public
    log_in(app, username, lands="/pro")
    app.goto("/wachtwoordzin")
    page.wait_for_selector("#wachtwoordzinformulier:not([hidden])")
    assert page.get_attribute("a.rz-logo", "href") == "/pro"  # the professional's menu
    change(app, PASSPHRASE, NEW)
    page.wait_for_selector("#klaar:not([hidden])", timeout=60_000)
    app.check()
    assert not app.sent.contains(PASSPHRASE.encode())
    assert not app.sent.contains(NEW.encode())

    with RugzakClient(app_url) as coach:
        with pytest.raises(ApiError):
            coach.login(username, PASSPHRASE)
        coach.login(username, NEW)  # opens the new bundle: the same identity
        assert coach.unlocked().identity.public == identity


def test_locked_tab_is_sent_to_log_in(app: AppPage, app_url: str) -> None:
    """Signed in by cookie, but the keys are not in this tab: nothing to seal, so no form."""
    page = app.page
    sign_up(app, new_username())
    page.evaluate("sessionStorage.clear()")
    app.goto("/wachtwoordzin")
    page.wait_for_selector("#slot:not([hidden])")
    assert page.is_hidden("#wachtwoordzinformulier")
    assert page.get_attribute("#slot a", "href") == "/inloggen"
    app.clean()


def test_delete_page_explains_a_wrong_passphrase(app: AppPage) -> None:
    """Both pages share pageJson: a wrong passphrase is said on the page, not a trip to login."""
    page = app.page
    sign_up(app, new_username())
    app.goto("/verwijderen")
    page.wait_for_selector("#verwijderformulier:not([hidden])")
    page.fill("#bevestig", "VERWIJDER")
    page.fill("#wachtwoordzin", "dit-is-niet-mijn-wachtwoordzin")
    page.click("#verwijder")
    wait_refused(app, "Je wachtwoordzin klopt niet.")
    assert page.url.endswith("/verwijderen")
    refused_on_purpose(app)
    app.check()
