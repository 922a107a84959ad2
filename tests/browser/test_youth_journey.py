"""A youth's journey in real Chromium against the real app: sign up (with the recovery-code
check), write the story and a life-area measurement, upload a document, see them after a
reload, log out, log in again and read them back. Every request the browser sends is
recorded: none carries the story, the measurement text, the document's bytes or the
passphrase."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.app_pages import (
    PASSPHRASE,
    AppPage,
    log_in,
    new_username,
    open_app_page,
    sign_up,
    wait_opened,
)

STORY = "Ik heet Sam <b>niet vet</b> & ik woonde bij mijn oom in Zwolle. Geheimverhaal-7731"
STORY_2 = STORY + " Nu woon ik op kamers. Tweedeversie-5512"
NOW_TEXT = "Ik slaap bij vrienden op de bank. Metingtekst-9902"
DOC_BYTES = b"%PDF-1.4 dit is mijn cv Documentinhoud-4471 " * 3000  # ~ 130 kB: three chunks


@pytest.fixture(scope="module")
def app(browser: Browser, app_url: str) -> Iterator[AppPage]:
    page = open_app_page(browser, app_url)
    yield page
    page.page.context.close()


def write_story(app: AppPage, text: str) -> None:
    app.page.evaluate("document.getElementById('meldingen').replaceChildren()")
    app.page.fill("#verhaal-tekst", text)
    app.page.click("#sectie-inhoud form[data-seal] button[type=submit]")
    app.page.wait_for_selector("#meldingen .rz-alert--ok")


def test_youth_journey_keeps_plaintext_in_the_browser(  # noqa: PLR0915  (one journey, in order)
    app: AppPage, tmp_path: Path
) -> None:
    page = app.page
    username = new_username()
    sign_up(app, username)
    wait_opened(app)
    assert page.locator("h1").text_content() == "Mijn rugzak"
    app.shot("rugzak")

    # Mijn verhaal: written once, then a second version; history kept.
    app.goto("/rugzak/verhaal")
    write_story(app, STORY)
    wait_opened(app)
    assert page.text_content(".rz-story [data-plain=tekst]") == STORY
    assert page.locator(".rz-story b").count() == 0  # markup shown as text
    page.wait_for_function("document.getElementById('verhaal-tekst').value.length > 0")
    write_story(app, STORY_2)
    wait_opened(app)
    assert page.text_content(".rz-story [data-plain=tekst]") == STORY_2
    app.shot("verhaal")
    page.click("text=Eerdere versies bekijken")
    wait_opened(app)
    versions = page.locator("[data-plain=tekst]").all_text_contents()
    assert versions == [STORY_2, STORY]

    # A life-area measurement (nulmeting), drawn as a chart in the browser.
    app.goto("/rugzak/wonen")
    page.fill("#m-datum", "2025-03-01")
    page.fill("#m-nu", NOW_TEXT)
    page.fill("#m-gewenst", "Een eigen kamer")
    page.check("#m-score-2")
    page.select_option("#m-doel", "4")
    page.click("#sectie-inhoud form[data-seal] button[type=submit]")
    page.wait_for_selector("tr.rz-measurement[data-crypto=open]")
    assert page.text_content("tr.rz-measurement [data-plain=nu]") == NOW_TEXT
    assert page.text_content("tr.rz-measurement [data-plain=score]") == "2"
    page.wait_for_selector("#grafiek svg circle")
    app.shot("leefgebied")

    # A document, sealed with secretstream in the browser and streamed up.
    source = tmp_path / "cv.pdf"
    source.write_bytes(DOC_BYTES)
    app.goto("/rugzak/documenten")
    page.set_input_files("#bestand", str(source))
    page.click("#uploadformulier button[type=submit]")
    page.wait_for_selector(".rz-document[data-crypto=open]")
    assert page.text_content(".rz-document [data-plain=name]") == "cv.pdf"
    app.shot("documenten")

    # After a reload everything is still there and opens.
    page.reload()
    wait_opened(app)
    assert page.text_content(".rz-document [data-plain=name]") == "cv.pdf"

    # Log out (on Meer): keys wiped, cookie gone.
    app.goto("/meer")
    page.click("button[data-rugzak-logout]")
    page.wait_for_url("**/uitgelogd")
    assert page.evaluate("sessionStorage.length") == 0
    app.goto("/rugzak")
    assert page.url.endswith("/inloggen")

    # Log in again and read everything back.
    log_in(app, username)
    app.goto("/rugzak/verhaal")
    wait_opened(app)
    assert page.text_content(".rz-story [data-plain=tekst]") == STORY_2
    app.goto("/rugzak/wonen")
    wait_opened(app)
    assert page.text_content("tr.rz-measurement [data-plain=nu]") == NOW_TEXT
    app.goto("/rugzak/documenten")
    wait_opened(app)
    with page.expect_download() as download:
        page.click("[data-download]")
    saved = tmp_path / "terug.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == DOC_BYTES
    assert download.value.suggested_filename == "cv.pdf"

    # Nothing readable ever left the browser.
    assert app.sent.bodies, "no requests were recorded"
    for secret in (
        STORY,
        STORY_2,
        "Geheimverhaal-7731",
        "Tweedeversie-5512",
        NOW_TEXT,
        "Metingtekst-9902",
        "Documentinhoud-4471",
        PASSPHRASE,
        "Een eigen kamer",
    ):
        assert not app.sent.contains(secret.encode()), secret
    assert not any(DOC_BYTES[:64] in body for body in app.sent.bodies)
    app.check()
