"""Documents shared with a coach, in real Chromium: the youth (Python client) uploads a file
and shares "Documenten" for reading; the coach's page lists it by its name (opened in the
browser) and "Download" gives exactly the original bytes, decrypted in the browser; nothing
readable left the browser. axe finds nothing."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.app_pages import log_in, open_app_page, wait_opened
from tests.browser.coach_world import CoachAndYouth, coach_and_youth

ORIGINAL = os.urandom(300_000) + b"einde van mijn cv"


@pytest.fixture(scope="module")
def world(app_url: str) -> Iterator[CoachAndYouth]:
    with coach_and_youth(app_url) as world:
        world.youth.upload(io.BytesIO(ORIGINAL), name="cv-noor.pdf", mime="application/pdf")
        world.youth.share(["documenten"], world.coach_id, purpose="Werk zoeken")
        yield world


def test_the_coach_downloads_exactly_the_original(
    browser: Browser, app_url: str, world: CoachAndYouth, tmp_path: Path
):
    app = open_app_page(browser, app_url)
    page = app.page
    log_in(app, world.username, lands="/pro")
    app.goto(f"/pro/jongeren/{world.dossier}")
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
