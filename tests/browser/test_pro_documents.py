"""Documents shared with a coach, in real Chromium: the youth (Python client) uploads a file
and shares "Documenten" for reading; the coach's page lists it by its name (opened in the
browser) and "Download" gives exactly the original bytes, decrypted in the browser; nothing
readable left the browser. axe finds nothing."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from tests.browser.app_pages import PASSPHRASE, new_username, open_app_page, wait_opened

ORIGINAL = os.urandom(300_000) + b"einde van mijn cv"


@pytest.fixture(scope="module")
def world(app_url: str) -> Iterator[dict[str, object]]:
    coach, youth = RugzakClient(app_url), RugzakClient(app_url)
    username = new_username()
    coach.sign_up(username, PASSPHRASE, birth_date=None, kind="professional")
    coach.set_profile("Fatima Demir", "Jongerenloket Zwolle", "jobcoach", "06 98765432")
    youth.sign_up(new_username(), PASSPHRASE, birth_date=dt.date(2004, 5, 17))
    youth.accept_invite(coach.create_invite().token, "Noor", "WhatsApp")
    youth.upload(io.BytesIO(ORIGINAL), name="cv-noor.pdf", mime="application/pdf")
    youth.share(["documenten"], coach.unlocked().account_id, purpose="Werk zoeken")
    yield {"username": username, "dossier": youth.unlocked().dossier_id}
    coach.close()
    youth.close()


def test_the_coach_downloads_exactly_the_original(
    browser: Browser, app_url: str, world, tmp_path: Path
):
    app = open_app_page(browser, app_url)
    page = app.page
    app.goto("/inloggen")
    page.fill("#gebruikersnaam", str(world["username"]))
    page.fill("#wachtwoordzin", PASSPHRASE)
    page.click("#inloggen")
    page.wait_for_url("**/pro", timeout=30_000)
    app.goto(f"/pro/jongeren/{world['dossier']}")
    wait_opened(app)
    block = "#sectie-documenten"
    assert page.text_content(f"{block} [data-plain=name]") == "cv-noor.pdf"
    assert page.text_content(f"{block} [data-plain=size]") == "(293 kB)"
    with page.expect_download() as info:
        page.click(f"{block} [data-pro-download]")
    download = info.value
    assert download.suggested_filename == "cv-noor.pdf"
    target = tmp_path / "cv.pdf"
    download.save_as(target)
    assert target.read_bytes() == ORIGINAL
    assert page.text_content("#download-status") == "cv-noor.pdf is gedownload."
    assert not app.sent.contains(ORIGINAL[:64])
    app.clean("pro-documenten")
    page.context.close()
