"""Notices in the browser: a coach's note makes "Nieuw" appear on the youth's section and a
count in the navigation; opening the section shows the note itself as "Nieuw" once and clears
both; "Alles gelezen" clears the list;
the e-mail settings page takes an address. Every page passes axe at 390 px."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from tests.browser.app_pages import PASSPHRASE, AppPage, new_username, open_app_page, sign_up
from tests.conftest import App
from tests.e2e.conftest import introduce, signed_up
from tests.support.notices import make_notices

COACH_PASS = "coach-wachtwoordzin-lang-genoeg"


@pytest.fixture(scope="module")
def app(browser: Browser, app_url: str) -> Iterator[AppPage]:
    page = open_app_page(browser, app_url)
    yield page
    page.page.context.close()


@pytest.fixture(scope="module")
def people(app: AppPage, app_url: str) -> Iterator[tuple[RugzakClient, RugzakClient]]:
    """The youth signed up in the browser (and her own client), and a coach who may write in
    her notes."""
    username = new_username()
    sign_up(app, username)
    youth, coach = RugzakClient(app_url), RugzakClient(app_url)
    youth.login(username, PASSPHRASE)
    coach.sign_up(new_username(), COACH_PASS, birth_date=None, kind="professional")
    introduce(youth, coach)
    youth.share(["notities"], coach.unlocked().account_id, permissions=["append"], purpose="x")
    yield youth, coach
    youth.close()
    coach.close()


@pytest.fixture(scope="module")
def note(browser_app: App) -> Callable[[RugzakClient, RugzakClient, str], None]:
    """The coach writes a note, and the worker's fan-out makes its notice."""

    def write(youth: RugzakClient, coach: RugzakClient, text: str) -> None:
        coach.write("notities", {"tekst": text}, dossier_id=youth.unlocked().dossier_id)
        make_notices(browser_app.settings.database_url)

    return write


def count(app: AppPage) -> str:
    app.page.wait_for_selector("#meldingen-teller", state="attached")
    return (app.page.text_content("#meldingen-teller") or "").strip()


def test_new_marker_appears_and_clears_when_the_section_is_opened(
    app: AppPage, people: tuple[RugzakClient, RugzakClient], note: Callable[..., None]
) -> None:
    youth, coach = people
    app.goto("/rugzak")
    assert count(app) == ""
    assert app.page.locator(".rz-card .rz-new").count() == 0
    note(youth, coach, "Gesprek over werk")
    app.goto("/rugzak")
    assert count(app) == "1 nieuw"
    card = app.page.locator(".rz-card", has=app.page.locator("a[href='/rugzak/notities']"))
    assert card.locator(".rz-new").text_content() == "Nieuw"
    assert app.page.locator(".rz-card .rz-new").count() == 1
    app.clean("meldingen-nieuw")
    app.page.click("a[href='/rugzak/notities']")
    app.page.wait_for_url("**/rugzak/notities")
    marked = app.page.locator("article.rz-note", has=app.page.locator("[data-nieuw]"))
    marked.locator("[data-plain=tekst]", has_text="Gesprek over werk").wait_for()
    assert marked.count() == 1  # the coach's note, opened in the browser, marked "Nieuw"
    assert marked.locator(".rz-new").text_content() == "Nieuw"
    app.clean("meldingen-nieuw-notitie")
    app.goto("/rugzak/notities")  # seen: no longer new
    app.page.locator("article.rz-note [data-plain=tekst]", has_text="Gesprek").wait_for()
    assert app.page.locator("[data-nieuw]").count() == 0
    app.goto("/rugzak")
    assert count(app) == ""
    assert app.page.locator(".rz-card .rz-new").count() == 0


def test_everything_read_clears_the_list(
    app: AppPage, people: tuple[RugzakClient, RugzakClient], note: Callable[..., None]
) -> None:
    youth, coach = people
    note(youth, coach, "Nog een gesprek")
    note(youth, coach, "En nog een")
    app.goto("/meldingen")
    assert count(app) == "2 nieuw"
    assert app.page.locator(".rz-cards .rz-card").count() == 2
    assert "Er staat iets nieuws in Gesprekken en notities." in (
        app.page.text_content(".rz-cards") or ""
    )
    app.clean("meldingen-lijst")
    app.page.click("button:has-text('Alles gelezen')")
    app.page.wait_for_url("**/meldingen")
    assert "Je hebt alles gezien" in (app.page.text_content("main") or "")
    assert count(app) == ""
    app.clean()


def test_the_coach_sees_the_youths_new_note_marked_once_at_1280(
    browser: Browser, app_url: str, browser_app: App
) -> None:
    youth, coach = signed_up(app_url), signed_up(app_url, "professional", COACH_PASS)
    coach_name = coach.unlocked().username
    try:
        introduce(youth, coach)
        youth.share(["notities"], coach.unlocked().account_id, permissions=["read"], purpose="Werk")
        note = youth.write("notities", {"tekst": "Ik heb een sollicitatiegesprek"})
        make_notices(browser_app.settings.database_url)
        app = open_app_page(browser, app_url)
        page = app.page
        page.set_viewport_size({"width": 1280, "height": 800})
        app.goto("/inloggen")
        page.fill("#gebruikersnaam", coach_name)
        page.fill("#wachtwoordzin", COACH_PASS)
        page.click("#inloggen")
        page.wait_for_url("**/pro", timeout=30_000)
        app.goto(f"/pro/jongeren/{youth.unlocked().dossier_id}")
        entry = page.locator(f"article[data-entry='{note}']")
        entry.locator("[data-plain=tekst]", has_text="sollicitatiegesprek").wait_for()
        assert entry.locator("[data-nieuw]").text_content() == "Nieuw"
        app.clean("pro-jongere-nieuw-1280")
        page.reload()
        entry.locator("[data-plain=tekst]", has_text="sollicitatiegesprek").wait_for()
        assert page.locator("[data-nieuw]").count() == 0
        app.check()
        page.context.close()
    finally:
        youth.close()
        coach.close()


def test_mail_settings_take_an_address_and_refuse_a_wrong_one(
    app: AppPage,
    people: tuple[RugzakClient, RugzakClient],
) -> None:
    app.goto("/meldingen/e-mail")
    app.clean("meldingen-email-leeg")
    app.page.fill("#adres", "sam@voorbeeld")
    app.page.click("#adresformulier button[type=submit]")
    app.page.wait_for_selector("#adres-fout:not([hidden])")
    assert "klopt niet" in (app.page.text_content("#adres-fout") or "")
    assert app.page.get_attribute("#adres", "aria-invalid") == "true"
    assert app.problems.take() == [  # the refusal itself, shown at the field
        "console: Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    app.page.fill("#adres", "sam@voorbeeld.nl")
    app.page.click("#adresformulier button[type=submit]")
    app.page.wait_for_selector("text=Klik op de link in die mail")
    assert app.page.locator("input[name=hoe-vaak]").count() == 3
    assert app.page.is_checked("#vaak-direct")
    app.clean("meldingen-email-adres")
