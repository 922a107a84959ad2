"""The youth's app as a phone app (issue 16), in Chromium at phone width: input that makes
sense (empty and too long refused at the field, nothing sent or stored; a removed plan action
shown as removed), sign-up errors at their field, and one Dutch way to show dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser.app_pages import AppPage, new_username, open_app_page, sign_up, wait_opened


@pytest.fixture(scope="module")
def app(browser: Browser, app_url: str) -> Iterator[AppPage]:
    page = open_app_page(browser, app_url)
    sign_up(page, new_username())
    yield page
    page.page.context.close()


def posts_to(app: AppPage, path: str) -> list[str]:
    return [u for u in app.posted if u.endswith(path)]


@pytest.fixture(autouse=True)
def _record_posts(app: AppPage) -> Iterator[None]:
    app.posted = []  # type: ignore[attr-defined]

    def record(request):  # type: ignore[no-untyped-def]
        if request.method != "GET":
            app.posted.append(request.url)  # type: ignore[attr-defined]

    app.page.on("request", record)
    yield
    app.page.remove_listener("request", record)


def submit(app: AppPage, form: str) -> None:
    app.page.click(f"{form} button[type=submit]")


def test_an_empty_story_is_refused_at_the_field_and_nothing_is_sent(app: AppPage) -> None:
    page = app.page
    app.goto("/rugzak/verhaal")
    page.wait_for_selector("#sectie-inhoud > form[data-seal]:not([hidden])")
    page.fill("#verhaal-tekst", "   \n  ")
    submit(app, "#sectie-inhoud > form[data-seal]")
    page.wait_for_selector("#verhaal-tekst-fout")
    assert "leeg" in (page.text_content("#verhaal-tekst-fout") or "")
    assert page.get_attribute("#verhaal-tekst", "aria-invalid") == "true"
    assert "verhaal-tekst-fout" in (page.get_attribute("#verhaal-tekst", "aria-describedby") or "")
    assert page.evaluate("document.activeElement.id") == "verhaal-tekst"
    assert posts_to(app, "/rugzak/verhaal") == []  # type: ignore[attr-defined]
    app.goto("/rugzak/verhaal")
    assert "nog niet opgeschreven" in (page.text_content("#sectie-inhoud") or "")
    app.check()


def test_a_too_long_story_names_the_limit_before_sending(app: AppPage) -> None:
    page = app.page
    app.goto("/rugzak/verhaal")
    assert "Maximaal 100.000 tekens" in (page.text_content("#verhaal-tekst-uitleg") or "")
    page.wait_for_selector("#sectie-inhoud > form[data-seal]:not([hidden])")
    page.evaluate("document.getElementById('verhaal-tekst').value = 'x'.repeat(100001)")
    submit(app, "#sectie-inhoud > form[data-seal]")
    page.wait_for_selector("#verhaal-tekst-fout")
    text = page.text_content("#verhaal-tekst-fout") or ""
    assert "maximaal 100.000 tekens, nu 100.001" in text
    assert posts_to(app, "/rugzak/verhaal") == []  # type: ignore[attr-defined]
    # Fixing it clears the message and saves.
    page.fill("#verhaal-tekst", "Ik ben Sam.")
    submit(app, "#sectie-inhoud > form[data-seal]")
    page.wait_for_selector("#meldingen .rz-alert--ok")
    wait_opened(app)
    assert page.text_content(".rz-story [data-plain=tekst]") == "Ik ben Sam."
    app.check()


def test_a_removed_plan_action_shows_as_removed(app: AppPage) -> None:
    page = app.page
    app.goto("/rugzak/plan")
    page.wait_for_selector("#sectie-inhoud > form[data-seal]:not([hidden])")
    submit(app, "#sectie-inhoud > form[data-seal]")  # empty: refused at Doel
    page.wait_for_selector("#p-doel-fout")
    assert posts_to(app, "/rugzak/plan") == []  # type: ignore[attr-defined]
    page.fill("#p-doel", "Een eigen kamer")
    page.fill("#p-wanneer", "2027-03-01")
    submit(app, "#sectie-inhoud > form[data-seal]")
    page.wait_for_selector("#meldingen .rz-alert--ok")
    wait_opened(app)
    assert page.text_content(".rz-plan [data-plain=wanneer]") == "1 maart 2027"
    remove_first_card(app)


def test_sign_up_errors_are_at_their_field_and_a_future_birth_date_is_told_so(
    browser: Browser, app_url: str
) -> None:
    app = open_app_page(browser, app_url)
    try:
        page = app.page
        app.goto("/aanmelden")
        page.fill("#gebruikersnaam", new_username())
        tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)
        page.fill("#geboortedatum", tomorrow.isoformat())
        page.fill("#wachtwoordzin", "een-lange-wachtwoordzin")
        page.fill("#wachtwoordzin2", "een-lange-wachtwoordzin")
        page.click("#maak")
        assert "in de toekomst" in (page.text_content("#fout") or "")
        # The message sits right above the birth date field, which is marked and focused.
        assert page.evaluate("document.getElementById('fout').nextElementSibling.id") == (
            "geboortedatum"
        )
        assert page.get_attribute("#geboortedatum", "aria-invalid") == "true"
        assert page.evaluate("document.activeElement.id") == "geboortedatum"
        page.fill("#geboortedatum", "2004-05-17")
        page.fill("#wachtwoordzin2", "een-andere-wachtwoordzin")
        page.click("#maak")
        assert page.evaluate("document.getElementById('fout').nextElementSibling.id") == (
            "wachtwoordzin2"
        )
        assert page.get_attribute("#geboortedatum", "aria-invalid") is None
        app.axe_clean()
        app.check()
    finally:
        app.page.context.close()


def test_a_removed_document_shows_as_removed(app: AppPage, tmp_path) -> None:
    page = app.page
    source = tmp_path / "brief.txt"
    source.write_bytes(b"Een brief van de gemeente.\n")
    app.goto("/rugzak/documenten")
    assert "Maximaal" in (page.text_content("#bestand-uitleg") or "")
    page.wait_for_selector("#uploadformulier:not([hidden])")
    page.set_input_files("#bestand", str(source))
    page.click("#uploadformulier button[type=submit]")
    page.wait_for_selector(".rz-document[data-crypto=open]")
    assert page.text_content(".rz-document [data-plain=name]") == "brief.txt"
    remove_first_card(app)


def remove_first_card(app: AppPage) -> None:
    """Removes the first card (confirming the dialog): it then says "Verwijderd." and offers
    nothing to change or download."""
    page = app.page
    page.on("dialog", lambda dialog: dialog.accept())
    page.evaluate("document.getElementById('meldingen').replaceChildren()")
    page.click(".rz-card form[data-seal-remove] button[type=submit]")
    page.wait_for_selector("#meldingen .rz-alert--ok")
    wait_opened(app)
    card = page.locator(".rz-card").first
    assert (card.locator("[data-ciphertext]").text_content() or "").strip() == "Verwijderd."
    assert card.locator("form:visible, [data-download]:visible").count() == 0
    app.check()
