"""The htmx extension in Chromium under the strict CSP: a data-seal form leaves the browser
only as a sealed entry (Python opens it), a swapped-in data-ciphertext element is opened and
written with textContent, tampering and a locked tab fail closed, logout wipes the keys."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from nacl.public import PrivateKey
from playwright.sync_api import Route

from dossier import crypto as c
from tests.browser.conftest import TEST_PREFIX, BrowserPage

SECRET_TEXT = 'Geheim: <img src=x onerror="alert(1)"> & één afspraak'

HELPERS = "import('/__browser_test__/htmx-page.mjs')"


def setup(page: BrowserPage, *, unlock: bool) -> dict[str, Any]:
    return page.evaluate(f"(unlock) => {HELPERS}.then((m) => m.setup(unlock))", unlock)


@pytest.fixture
def htmx_page(module_page: BrowserPage) -> Iterator[BrowserPage]:
    module_page.goto_blank()
    module_page.page.evaluate("(s) => { document.body.dataset.secret = s; }", SECRET_TEXT)
    yield module_page
    module_page.check()


class Echo:
    """Plays the server: records what was posted, opens it with dossier.crypto, and answers
    with an element carrying the sealed entry (optionally tampered)."""

    def __init__(self, keys: dict[str, Any], *, tamper: bool = False) -> None:
        self.owner = c.Identity.from_secret(c.b64d(keys["owner"]))
        self.section_sk = PrivateKey(c.b64d(keys["section_sk"]))
        self.tamper = tamper
        self.posted: list[dict[str, list[str]]] = []
        self.raw: list[str] = []
        self.opened: list[dict[str, Any]] = []

    def __call__(self, route: Route) -> None:
        raw = route.request.post_data or ""
        self.raw.append(raw)
        form = parse_qs(raw, keep_blank_values=True)
        self.posted.append(form)
        entry_json = json.loads(form["entry"][0])
        sealed = c.SealedEntry.from_json(entry_json)
        self.opened.append(
            c.open_entry(
                sealed,
                box_key=self.section_sk,
                author_sign_pk=self.owner.public.sign_pk,
                dossier="dossier-h",
                section="notities",
                entry="entry-h",
                version=1,
            )
        )
        if self.tamper:
            entry_json["entry"] = "entry-other"
        attrs = html.escape(json.dumps(entry_json), quote=True)
        body = (
            f'<article id="shown" data-ciphertext="{attrs}" data-entry="entry-h" data-version="1">'
            '<p id="text" data-plain="text">versleuteld</p><p id="score" data-plain="score"></p>'
            "</article>"
        )
        route.fulfill(body=body, content_type="text/html; charset=utf-8")


def _install_echo(page: BrowserPage, echo: Echo) -> None:
    page.page.route(f"{page.url}{TEST_PREFIX}echo", echo)


def test_form_is_sealed_and_the_swap_is_opened_with_text_only(htmx_page: BrowserPage) -> None:
    keys = setup(htmx_page, unlock=True)
    assert keys["history"] == 0
    assert keys["allowEval"] is False
    echo = Echo(keys)
    _install_echo(htmx_page, echo)
    htmx_page.page.click("#send")
    htmx_page.page.wait_for_selector("#shown[data-crypto=open]")

    # What left the browser: the CSRF token and the sealed entry, nothing readable.
    assert len(echo.posted) == 1
    assert set(echo.posted[0]) == {"_csrf_token", "entry"}
    assert echo.posted[0]["_csrf_token"] == ["csrf-123"]
    assert "Geheim" not in echo.raw[0]
    assert "afspraak" not in echo.raw[0]
    assert echo.opened == [{"text": SECRET_TEXT, "score": 4}]

    # What the page shows: the plaintext as text, never as markup.
    assert htmx_page.page.text_content("#text") == SECRET_TEXT
    assert htmx_page.page.text_content("#score") == "4"
    assert htmx_page.page.locator("#out img").count() == 0
    events = [e["name"] for e in htmx_page.evaluate("window.__events")]
    assert events == ["rugzak:sealed", "rugzak:opened"]


def test_tampered_swap_fails_closed(htmx_page: BrowserPage) -> None:
    keys = setup(htmx_page, unlock=True)
    _install_echo(htmx_page, Echo(keys, tamper=True))
    htmx_page.page.click("#send")
    htmx_page.page.wait_for_selector("#shown[data-crypto=failed]")
    assert htmx_page.page.text_content("#shown") == "Dit stuk kon niet veilig worden geopend."
    failed = [e for e in htmx_page.evaluate("window.__events") if e["name"] == "rugzak:open-failed"]
    assert failed[0]["detail"]["error"] == "TamperedError"


def test_locked_tab_sends_nothing(htmx_page: BrowserPage) -> None:
    keys = setup(htmx_page, unlock=False)
    echo = Echo(keys)
    _install_echo(htmx_page, echo)
    htmx_page.page.click("#send")
    htmx_page.page.wait_for_function("window.__events.some((e) => e.name === 'rugzak:seal-failed')")
    events = htmx_page.evaluate("window.__events")
    assert events == [
        {
            "name": "rugzak:seal-failed",
            "detail": {"reason": "locked", "error": "Error", "field": None, "text": None},
        }
    ]
    htmx_page.page.wait_for_timeout(100)
    assert echo.posted == []


def test_server_cannot_swap_the_owner_key(htmx_page: BrowserPage) -> None:
    """The owner is pinned on first use; a page that later names another owner key for the
    same dossier gets its form refused instead of sealing to the server's key."""
    keys = setup(htmx_page, unlock=True)
    echo = Echo(keys)
    _install_echo(htmx_page, echo)
    htmx_page.evaluate(f"{HELPERS}.then((m) => m.swapOwner())")
    htmx_page.page.click("#send")
    htmx_page.page.wait_for_function("window.__events.some((e) => e.name === 'rugzak:seal-failed')")
    failed = htmx_page.evaluate("window.__events")[0]
    assert failed["detail"]["error"] == "TamperedError"
    htmx_page.page.wait_for_timeout(100)
    assert echo.posted == []


def test_logout_wipes_the_tab(htmx_page: BrowserPage) -> None:
    setup(htmx_page, unlock=True)
    result = htmx_page.evaluate(f"{HELPERS}.then((m) => m.logoutWipe())")
    assert result == {"before": [True, True], "after": [False, 0]}


def test_test_page_passes_axe(htmx_page: BrowserPage) -> None:
    """axe-core runs under the CSP (served from tests/browser/vendor), for the page tests."""
    setup(htmx_page, unlock=True)
    assert htmx_page.run_axe("#main") == []
