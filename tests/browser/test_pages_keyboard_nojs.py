"""Sign-up works with the keyboard only (Tab, typing, Enter); with JavaScript off the
sessions page still works as a plain form post and the login page says it needs JavaScript."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.browser.app_pages import PASSPHRASE, new_username, open_app_page, sign_up


def test_keyboard_only_sign_up(browser: Browser, app_url: str) -> None:
    app = open_app_page(browser, app_url)
    page, kb = app.page, app.page.keyboard
    try:
        app.goto("/")
        app.tab_to("")  # focus starts on the document (no id)
        kb.press("Tab")  # skip link
        assert page.evaluate("document.activeElement.textContent") == "Ga naar de inhoud"
        for _ in range(6):
            if page.evaluate("document.activeElement.getAttribute('href')") == "/aanmelden":
                break
            kb.press("Tab")
        kb.press("Enter")
        page.wait_for_url("**/aanmelden")
        page.wait_for_selector("#gebruikersnaam:visible")
        app.tab_to("gebruikersnaam")
        kb.type(new_username())
        app.tab_to("geboortedatum")
        kb.type("17052004")
        app.tab_to("wachtwoordzin")
        kb.type(PASSPHRASE)
        assert page.text_content("#sterkte")
        app.tab_to("wachtwoordzin2")
        kb.type(PASSPHRASE)
        kb.press("Enter")
        page.wait_for_selector("#stap-herstelcode:not([hidden])", timeout=30_000)
        assert page.evaluate("document.activeElement.id") == "herstel-titel"
        code = page.text_content("#herstelcode") or ""
        app.tab_to("bewaard")
        kb.press("Enter")
        assert page.evaluate("document.activeElement.id") == "controlecode"
        group = int((page.text_content("#controle-vraag") or "").split()[2])
        kb.type("XXXX")
        kb.press("Enter")
        assert "klopt niet" in (page.text_content("#controle-fout") or "")
        page.fill("#controlecode", "")
        kb.type(code.split("-")[group - 1].lower())
        kb.press("Enter")
        page.wait_for_url("**/rugzak", timeout=15_000)
        app.check()
    finally:
        page.context.close()


def test_without_javascript(browser: Browser, app_url: str) -> None:
    with_js = open_app_page(browser, app_url)
    username = new_username()
    try:
        sign_up(with_js, username)
        cookies = with_js.page.context.cookies()
    finally:
        with_js.page.context.close()

    app = open_app_page(browser, app_url, javascript=False)
    page = app.page
    try:
        app.goto("/inloggen")
        assert "Je hebt JavaScript nodig om in te loggen" in page.inner_text("body")
        assert not page.is_visible("#inlogformulier")
        app.goto("/aanmelden")
        assert "Je hebt JavaScript nodig om je rugzak te maken" in page.inner_text("body")

        # Reuse the other browser's session (as if this phone had logged in earlier).
        page.context.add_cookies([c for c in cookies if c["name"] == "rugzak_session"])
        app.goto("/sessies")
        forms = page.locator("form[action^='/sessies/']")
        assert forms.count() == 1
        app.goto("/rugzak")
        assert page.locator("h1").inner_text() == "Mijn rugzak"
        app.goto("/sessies")
        page.click("form[action^='/sessies/'] button")  # this session: logs out
        page.wait_for_url("**/uitgelogd")
        app.goto("/rugzak")
        assert page.url.endswith("/inloggen")
    finally:
        page.context.close()
