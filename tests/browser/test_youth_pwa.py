"""The youth's app installs as a phone app and can be left in a second (issue 16):
the manifest is valid with real icons, the service worker registers for the whole app,
serves the Dutch offline page and keeps our static files only (never an API answer or a
page); "Snel weg" (the button, or Escape twice) goes to the chosen neutral site, wipes the
tab's keys, ends the session and leaves no Rugzak entry to go Back to."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Route
from playwright.sync_api import Error as PlaywrightError

from tests.browser.app_pages import AppPage, new_username, open_app_page, sign_up, wait_opened
from tests.browser.conftest import Problems

NEUTRAL = "https://www.google.nl/"
CHOSEN = "https://nos.nl/"
BEFORE = "https://voorbeeld.test/"


# The tab holds no secret: no keystore (js/keystore.js), or one with no identity and no key.
NO_KEYS = """() => {
  const raw = sessionStorage.getItem("rugzak.keystore.v1");
  if (raw === null) return true;
  const j = JSON.parse(raw);
  return j.identity === null && Object.keys(j.sections ?? {}).length === 0;
}"""


def _neutral(route: Route) -> None:
    route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>x</title>ok")


@pytest.fixture
def pwa(browser: Browser, app_url: str) -> Iterator[tuple[AppPage, BrowserContext]]:
    """A context that allows service workers (the other page tests block them)."""
    context = browser.new_context(
        service_workers="allow", viewport={"width": 390, "height": 844}, locale="nl-NL"
    )
    page = context.new_page()
    problems = Problems()
    page.on(
        "console",
        lambda m: m.type == "error" and problems.items.append(f"console: {m.text}"),
    )
    page.on("pageerror", lambda e: problems.items.append(f"page error: {e}"))
    yield AppPage(page, app_url, problems), context
    context.close()


def test_the_manifest_is_valid_and_its_icons_are_real(pwa) -> None:
    app, _ = pwa
    app.goto("/")
    href = app.page.get_attribute("link[rel=manifest]", "href")
    assert href == "/static/manifest.webmanifest"
    response = app.page.request.get(f"{app.url}{href}")
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = json.loads(response.body())
    assert manifest["lang"] == "nl"
    assert manifest["start_url"] == "/rugzak"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == app.page.get_attribute("meta[name=theme-color]", "content")
    purposes = set()
    for icon in manifest["icons"]:
        got = app.page.request.get(f"{app.url}{icon['src']}")
        assert got.ok
        with Image.open(io.BytesIO(got.body())) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
        purposes.add(icon["purpose"])
    assert {"any", "maskable"} <= purposes
    assert {"192x192", "512x512"} <= {i["sizes"] for i in manifest["icons"]}
    # No 404 for browsers that ask for /favicon.ico on their own.
    favicon = app.page.request.get(f"{app.url}/favicon.ico")
    assert favicon.ok
    assert favicon.headers["content-type"] in {"image/vnd.microsoft.icon", "image/x-icon"}
    app.check()


def test_the_service_worker_serves_the_offline_page_and_caches_no_api_answer(pwa) -> None:
    app, context = pwa
    page = app.page
    sign_up(app, new_username())
    wait_opened(app)
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == f"{app.url}/"
    page.reload()  # now controlled by the worker
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # Pages that call the API (the access log, sharing) and a page with ciphertext.
    for path in ["/wie-keek", "/delen", "/rugzak/verhaal"]:
        app.goto(path)
    page.wait_for_timeout(300)
    cached = page.evaluate(
        """async () => {
          const urls = [];
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
          }
          return urls;
        }"""
    )
    assert "/offline" in cached
    assert "/static/js/htmx-rugzak.js" in cached
    assert "/static/vendor/utrecht/component-library.css" in cached
    assert [u for u in cached if u != "/offline" and not u.startswith("/static/")] == []
    context.set_offline(True)
    try:
        page.goto(f"{app.url}/rugzak")
        assert "Je hebt nu geen internet" in (page.text_content("h1") or "")
        # The shell is styled from the cache: the theme's heading colour, not the browser's.
        colour = page.evaluate("getComputedStyle(document.querySelector('h1')).color")
        assert colour == "rgb(14, 63, 79)"
    finally:
        context.set_offline(False)
    app.check()


@pytest.fixture
def youth(browser: Browser, app_url: str) -> Iterator[AppPage]:
    app = open_app_page(browser, app_url)
    context = app.page.context
    context.route(f"{NEUTRAL}**", _neutral)
    context.route(f"{CHOSEN}**", _neutral)
    context.route(f"{BEFORE}**", _neutral)
    sign_up(app, new_username())
    wait_opened(app)
    yield app
    context.close()


def _left_cleanly(app: AppPage, target: str) -> None:
    page = app.page
    page.wait_for_url(target)
    page.wait_for_load_state()
    # Back goes to where the tab was before Rugzak, not to a Rugzak page. (The page's own
    # history.back(): Playwright's go_back asks DevTools for the history, which fails now and
    # then while Chromium moves the tab to another process after the cross-site exit. It goes
    # in a timer, so the evaluate has returned before the navigation destroys its context.
    # On a busy machine the exit page may still be settling when we arrive, which destroys
    # the evaluate's context too: then look again.)
    for attempt in range(5):
        try:
            page.wait_for_load_state()
            if page.url == BEFORE:  # the first back went through after all
                break
            page.evaluate("setTimeout(() => history.back(), 0)")
            break
        except PlaywrightError as exc:
            if "context was destroyed" not in str(exc) or attempt == 4:
                raise
    page.wait_for_url(BEFORE)
    assert page.url == BEFORE
    # The session was ended: a Rugzak page now asks to log in, and the tab holds no keys.
    # The logout is a beacon the browser sends on its own time, so on a busy machine the
    # first look may still come before it.
    for _ in range(20):
        page.goto(f"{app.url}/rugzak")
        if "/inloggen" in page.url:
            break
        page.wait_for_timeout(250)
    assert "/inloggen" in page.url
    assert page.evaluate(NO_KEYS), page.evaluate("JSON.stringify(sessionStorage)")


def test_snel_weg_wipes_the_keys_and_leaves_no_way_back(youth: AppPage) -> None:
    page = youth.page
    page.goto(BEFORE)
    youth.goto("/rugzak/verhaal")
    wait_opened(youth)
    assert not page.evaluate(NO_KEYS)  # the tab's keys are there before
    assert page.get_attribute("[data-quick-exit]", "href") == NEUTRAL
    page.click("[data-quick-exit]")
    _left_cleanly(youth, NEUTRAL)


def test_escape_twice_leaves_for_the_site_chosen_on_meer(youth: AppPage) -> None:
    page = youth.page
    youth.goto("/meer")
    page.wait_for_selector("#snel-weg-instelling:not([hidden])")
    page.check(f"input[name=snel-weg][value='{CHOSEN}']")
    page.wait_for_selector("#snel-weg-status:has-text('Bewaard')")
    youth.check()
    page.goto(BEFORE)
    youth.goto("/rugzak")
    assert page.get_attribute("[data-quick-exit]", "href") == CHOSEN
    page.keyboard.press("Escape")
    assert page.url.endswith("/rugzak")  # once is not enough
    page.keyboard.press("Escape")
    _left_cleanly(youth, CHOSEN)
