"""The "Meldingen op dit apparaat" button in Debian's Chromium, as far as it can really run here.

Found out (docs/notifications.md, "Web Push in the browser tests"): Playwright's
`browser.new_context()` is an off-the-record profile, and Chrome has no Push API there; a
persistent profile (`launch_persistent_context`) has one, but `PushManager.subscribe` then
registers with Google's push service (FCM), which this offline machine cannot reach, and waits.
Chromium cannot be pointed at another push service, so a real subscription to the local
receiver of tests/e2e/test_push.py is impossible here. What is tested for real: the app's
service worker registers and the button appears; the Dutch answers when the person said no,
when the push service does not answer, and in a private window; and a push message delivered
to the real service worker (DevTools' `ServiceWorker.deliverPushMessage`, the push event
without the transport) shows only the fixed Dutch notice."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright

from tests.browser.app_pages import AppPage, new_username, sign_up
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, TEST_PREFIX, Problems, _serve_test_files
from tests.conftest import make_settings
from tests.support.databases import Backend
from tests.support.server import live_server

DENIED = "Je browser staat meldingen niet toe. Zet ze aan in de instellingen van je browser."
UNAVAILABLE = (
    "Meldingen aanzetten lukt nu niet. In een privévenster kan het niet. "
    "Probeer het in een gewoon venster, of later opnieuw."
)
INCOGNITO = "Chrome currently does not support the Push API in incognito mode"


@pytest.fixture(scope="module")
def push_url(
    sqlite_backend: Backend, tmp_path_factory: pytest.TempPathFactory, vapid_pem: str
) -> Iterator[str]:
    """An app that offers Web Push (a VAPID key)."""
    settings = make_settings(
        sqlite_backend.fresh_url(),
        tmp_path_factory.mktemp("push-browser"),
        vapid_private_key=vapid_pem,
        vapid_subject="mailto:beheer@rugzak.test",
    )
    with live_server(settings) as url:
        yield url


def on_the_page(context: BrowserContext, url: str) -> AppPage:
    """A signed-up youth on the notification settings, the app's service worker active."""
    context.route(f"{url}{TEST_PREFIX}**", _serve_test_files)
    page = context.pages[0] if context.pages else context.new_page()
    problems = Problems()
    page.on("console", lambda m: m.type == "error" and problems.items.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.items.append(f"page error: {e}"))
    app = AppPage(page, url, problems)
    sign_up(app, new_username())
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)") == f"{url}/"
    app.goto("/meldingen/e-mail")
    page.wait_for_selector("#push:not([hidden])")
    assert page.is_visible("#push-aan")
    return app


@pytest.fixture
def profile(
    playwright: Playwright, tmp_path: Path, push_url: str, request: pytest.FixtureRequest
) -> Iterator[AppPage]:
    """A persistent (not off-the-record) Chromium profile at 390 px; notifications granted
    when the test is marked `notifications_allowed`."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profiel"),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        service_workers="allow",
        viewport={"width": 390, "height": 844},
        locale="nl-NL",
    )
    try:
        if request.node.get_closest_marker("notifications_allowed"):
            context.grant_permissions(["notifications"], origin=push_url)
        yield on_the_page(context, push_url)
    finally:
        context.close()


def press_and_wait(app: AppPage) -> str:
    app.page.click("#push-aan")
    app.page.wait_for_selector("#push-fout:not([hidden])", timeout=30_000)
    return app.page.text_content("#push-fout") or ""


def test_when_notifications_are_not_allowed_the_button_says_where_to_change_that(
    profile: AppPage,
) -> None:
    assert press_and_wait(profile) == DENIED
    assert profile.page.is_visible("#push-aan")
    assert profile.page.is_enabled("#push-aan")
    profile.clean("push-geweigerd")


@pytest.mark.notifications_allowed
def test_without_a_reachable_push_service_the_button_gives_up_in_dutch(
    profile: AppPage,
) -> None:
    posted = []
    profile.page.on(
        "request", lambda r: r.method == "POST" and "/push/" in r.url and posted.append(r.url)
    )
    # The page's own 15 s wait runs on Playwright's clock: the same timer, fired at once.
    profile.page.clock.install()
    profile.page.click("#push-aan")
    assert "Even geduld" in (profile.page.text_content("#push-status") or "")
    assert profile.page.is_disabled("#push-aan")  # one press, one attempt
    assert profile.page.is_hidden("#push-fout")
    profile.page.clock.run_for(15_000)
    profile.page.wait_for_selector("#push-fout:not([hidden])", timeout=30_000)
    assert profile.page.text_content("#push-fout") == UNAVAILABLE
    assert profile.page.is_enabled("#push-aan")
    assert (profile.page.text_content("#push-status") or "") == ""
    assert posted == []  # no subscription, so nothing sent to Rugzak
    profile.clean("push-geen-dienst")


def test_in_a_private_window_the_button_says_it_cannot_work_there(
    browser: Browser, push_url: str
) -> None:
    context = browser.new_context(
        service_workers="allow", viewport={"width": 390, "height": 844}, locale="nl-NL"
    )
    try:
        app = on_the_page(context, push_url)
        assert press_and_wait(app) == UNAVAILABLE
        assert [p for p in app.problems.take() if INCOGNITO not in p] == []
        app.clean()
    finally:
        context.close()


def shown_notice(app: AppPage, tag: str, deliver: Callable[[], object]) -> list[str]:
    """Deliver a push, then the notification the service worker showed for it (title, body,
    target page), polled (`wait_for_function` does not wait on a promise's value). Seen here:
    now and then DevTools drops a push delivered while the worker starts up; a push service
    delivers again until the browser acknowledges, so this does too (at most three times)."""
    for _ in range(3):
        deliver()
        for _ in range(30):
            found = app.page.evaluate(
                """(tag) => navigator.serviceWorker.ready
                  .then((r) => r.getNotifications({ tag }))
                  .then((ns) => ns.map((n) => [n.title, n.body, n.data.url]))""",
                tag,
            )
            if found:
                [notice] = found
                return list(notice)
            app.page.wait_for_timeout(100)
    raise AssertionError(f"no notification {tag}")


@pytest.mark.notifications_allowed
def test_a_push_shows_only_the_fixed_dutch_notice(profile: AppPage) -> None:
    cdp = profile.page.context.new_cdp_session(profile.page)
    registrations: list[dict[str, str]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    profile.page.wait_for_function("navigator.serviceWorker.ready")
    for _ in range(50):
        if registrations:
            break
        profile.page.wait_for_timeout(100)
    [registration] = [r for r in registrations if r["scopeURL"] == f"{profile.url}/"]
    shown = []
    for purpose in ("news", "security"):
        message = {
            "origin": profile.url,
            "registrationId": registration["registrationId"],
            "data": json.dumps({"v": 1, "type": purpose}),  # what the worker sends
        }
        deliver = partial(cdp.send, "ServiceWorker.deliverPushMessage", message)
        shown.append(shown_notice(profile, f"rugzak-{purpose}", deliver))
    assert shown == [
        ["Er is iets nieuws in Rugzak", "Open Rugzak om te zien wat het is.", "/meldingen"],
        [
            "Beveiligingsmelding van Rugzak",
            "Kijk in Rugzak wat er met je account gebeurde.",
            "/sessies",
        ],
    ]
    profile.check()
