"""Every page passes axe-core (WCAG 2.1 A/AA) under the app's own CSP with no violation
reported, at phone width (390 px), with a screenshot of each in test-artifacts/screenshots/.
Along the way the other section forms (contact, plan, notes) are sealed and opened."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser.app_pages import AppPage, confirm_code, new_username, open_app_page, wait_opened

PUBLIC = ["/", "/inloggen", "/herstellen", "/herstellen/contact", "/uitgelogd"]


@pytest.fixture(scope="module")
def app(browser: Browser, app_url: str) -> Iterator[AppPage]:
    page = open_app_page(browser, app_url)
    yield page
    page.page.context.close()


def save(app: AppPage, form: str = "#sectie-inhoud > form[data-seal]") -> None:
    app.page.evaluate("document.getElementById('meldingen').replaceChildren()")
    app.page.click(f"{form} button[type=submit]")
    app.page.wait_for_selector("#meldingen .rz-alert--ok")
    wait_opened(app)


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_pass_axe(app: AppPage, path: str) -> None:
    app.goto(path)
    app.clean("welkom" if path == "/" else path.strip("/").replace("/", "-"))


def test_sign_up_refuses_under_16_in_plain_dutch(app: AppPage) -> None:
    app.goto("/aanmelden")
    app.clean("aanmelden")
    app.page.fill("#gebruikersnaam", new_username())
    app.page.fill("#geboortedatum", "2015-01-01")
    app.page.fill("#wachtwoordzin", "een-lange-wachtwoordzin")
    app.page.fill("#wachtwoordzin2", "een-lange-wachtwoordzin")
    app.page.click("#maak")
    assert "16 jaar of ouder" in (app.page.text_content("#fout") or "")
    assert app.page.get_attribute("#geboortedatum", "aria-invalid") == "true"
    app.axe_clean()


def test_signed_in_pages_pass_axe(app: AppPage) -> None:
    page = app.page
    app.goto("/aanmelden")
    page.fill("#gebruikersnaam", new_username())
    page.fill("#geboortedatum", "2003-02-03")
    page.fill("#wachtwoordzin", "nog-een-lange-wachtwoordzin")
    page.fill("#wachtwoordzin2", "nog-een-lange-wachtwoordzin")
    page.click("#maak")
    page.wait_for_selector("#stap-herstelcode:not([hidden])", timeout=30_000)
    app.clean("herstelcode")
    confirm_code(app, page.text_content("#herstelcode") or "")
    wait_opened(app)
    app.clean("rugzak")

    app.goto("/rugzak/contact")
    page.fill("#c-naam", "Sam de Vries")
    page.fill("#c-telefoon", "0612345678")
    page.select_option("#c-voorkeur", "WhatsApp")
    save(app)
    assert page.text_content("[data-plain=naam]") == "Sam de Vries"
    page.wait_for_function("document.getElementById('c-naam').value === 'Sam de Vries'")
    app.clean("contact")

    app.goto("/rugzak/plan")
    page.fill("#p-doel", "Een eigen kamer")
    page.fill("#p-actie", "Inschrijven bij de woningbouw")
    page.fill("#p-wie", "Ik, met mijn coach")
    page.fill("#p-wanneer", "2025-06-01")
    save(app)
    assert page.text_content(".rz-plan [data-plain=klaar]") == "Nee"
    page.check(".rz-card input[type=checkbox]")
    save(app, ".rz-card form[data-seal]")
    assert page.text_content(".rz-plan [data-plain=klaar]") == "Ja"
    assert page.text_content(".rz-plan [data-plain=doel]") == "Een eigen kamer"
    app.clean("plan")

    app.goto("/rugzak/notities")
    page.fill("#notitie-tekst", "Gesprek met school gehad.")
    save(app)
    assert page.text_content(".rz-note [data-plain=tekst]") == "Gesprek met school gehad."
    app.clean("notities")

    for path, name in [
        ("/rugzak/leefgebieden", "leefgebieden"),
        ("/rugzak/werk", "werk"),
        ("/rugzak/documenten", "documenten-leeg"),
        ("/rugzak/verhaal", "verhaal-leeg"),
        ("/sessies", "sessies"),
    ]:
        app.goto(path)
        app.clean(name)

    # Wachtwoordzin wijzigen: the form once the tab's keys are found, and with an error shown.
    app.goto("/wachtwoordzin")
    page.wait_for_selector("#wachtwoordzinformulier:not([hidden])")
    app.clean("wachtwoordzin")
    page.fill("#huidige", "nog-een-lange-wachtwoordzin")
    page.fill("#nieuwe", "een-andere-lange-zin")
    page.fill("#nieuwe2", "een-andere-lange-zinn")
    page.click("#wijzig")
    page.wait_for_selector("#fout:not([hidden])")
    assert page.get_attribute("#nieuwe2", "aria-invalid") == "true"
    app.clean("wachtwoordzin-fout")
