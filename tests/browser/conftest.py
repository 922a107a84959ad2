"""Browser tests in real headless Chromium (Debian's, never a downloaded one), driven by
Playwright's sync API against the live app on SQLite.

Every page is served from the app's origin under a strict Content Security Policy: the test
page and the helper modules in tests/browser/js/ are answered by a Playwright route at
/__browser_test__/, and every /static/ response from the real app gets the same CSP header
added (the worker takes its policy from its own response). Console errors, page errors and
`securitypolicyviolation` events fail the test that caused them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, Route, sync_playwright

from tests.conftest import App, make_settings
from tests.support.databases import Backend
from tests.support.server import live_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
]
HERE = Path(__file__).parent
TEST_PREFIX = "/__browser_test__/"
# What the pages need, and nothing more. 'wasm-unsafe-eval' lets libsodium.js compile its
# embedded WebAssembly; it does not allow eval() or new Function().
CSP = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "connect-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Rugzak browser test</title>
<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,
  "allowScriptTags":false,"historyCacheSize":0,"selfRequestsOnly":true}'>
<script type="module" src="/__browser_test__/harness.mjs"></script>
</head><body><main id="main"></main></body></html>
"""
HARNESS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def _ensure_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True)


@pytest.fixture(scope="package")
def playwright(sqlite_backend: Backend) -> Iterator[Playwright]:
    """One Playwright driver and one Chromium per worker for the browser package; each test
    module opens its own contexts. Package-scoped, not session-scoped, on purpose: while
    Playwright's sync API is alive, its event loop counts as running in this thread, which
    would break asyncio.run() and the async tests of the modules outside tests/browser. It
    depends on sqlite_backend so the template is migrated (asyncio.run) before it starts."""
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    _ensure_chromium()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser_app(sqlite_backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """One live app for all browser tests: the vectors need pages, not a fresh database."""
    settings = make_settings(sqlite_backend.fresh_url(), tmp_path_factory.mktemp("browser"))
    with live_server(settings) as url:
        yield App(settings, url)


@pytest.fixture(scope="session")
def app_url(browser_app: App) -> str:
    return browser_app.url


@pytest.fixture(scope="module")
def planting_db_url(sqlite_backend: Backend) -> str:
    """A database of the requesting module's own, for tests that play a hostile server and
    plant rows past the app's checks (tests/support/sql.py)."""
    return sqlite_backend.fresh_url()


@pytest.fixture(scope="module")
def planting_app_url(
    planting_db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The live app on `planting_db_url`, one per requesting module."""
    with live_server(make_settings(planting_db_url, tmp_path_factory.mktemp("planting"))) as url:
        yield url


@dataclass
class Problems:
    """Console errors, page errors and CSP violations seen on a page."""

    items: list[str] = field(default_factory=list)

    def take(self) -> list[str]:
        out, self.items[:] = list(self.items), []
        return out


@dataclass
class BrowserPage:
    page: Page
    url: str
    problems: Problems

    def goto_blank(self) -> None:
        self.page.goto(f"{self.url}{TEST_PREFIX}page.html")
        self.page.wait_for_function("window.__violations !== undefined")

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def run_axe(self, selector: str = "body") -> list[dict[str, Any]]:
        """Run axe-core (served from tests/browser/vendor under the CSP) and return violations."""
        if not self.page.evaluate("typeof window.axe === 'object'"):
            self.page.add_script_tag(url=f"{self.url}{TEST_PREFIX}vendor/axe.min.js")
        return self.page.evaluate(
            """async (selector) => {
                const result = await axe.run(document.querySelector(selector), {
                  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
                });
                return result.violations.map(
                  (v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target) }));
            }""",
            selector,
        )

    def check(self) -> None:
        violations = self.page.evaluate("window.__violations ? window.__violations.splice(0) : []")
        problems = self.problems.take() + [f"CSP violation: {v}" for v in violations]
        assert not problems, problems


def _serve_test_files(route: Route) -> None:
    path = route.request.url.split(TEST_PREFIX, 1)[1].split("?", 1)[0]
    headers = {"content-security-policy": CSP, "cache-control": "no-store"}
    if path == "page.html":
        route.fulfill(body=PAGE, content_type="text/html; charset=utf-8", headers=headers)
        return
    if path == "harness.mjs":
        route.fulfill(body=HARNESS, content_type="text/javascript", headers=headers)
        return
    folder, _, name = path.rpartition("/")
    base = (HERE / ("vendor" if folder == "vendor" else "js")).resolve()
    target = (base / name).resolve()
    if folder not in {"", "vendor"} or target.parent != base or not target.is_file():
        route.fulfill(status=404, body="not found")
        return
    route.fulfill(body=target.read_bytes(), content_type="text/javascript", headers=headers)


def _static_with_csp(route: Route) -> None:
    response = route.fetch()
    headers = {**response.headers, "content-security-policy": CSP}
    route.fulfill(response=response, headers=headers)


def open_test_page(browser: Browser, url: str) -> tuple[Page, Problems]:
    problems = Problems()
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.route(f"{url}{TEST_PREFIX}**", _serve_test_files)
    page.route(f"{url}/static/**", _static_with_csp)

    def on_console(message: Any) -> None:
        if message.type == "error":
            problems.items.append(f"console: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.items.append(f"page error: {error}"))
    return page, problems


@pytest.fixture(scope="module")
def module_page(app_url: str, browser: Browser) -> Iterator[BrowserPage]:
    page, problems = open_test_page(browser, app_url)
    tp = BrowserPage(page, app_url, problems)
    tp.goto_blank()
    yield tp
    page.context.close()


@pytest.fixture
def crypto_page(module_page: BrowserPage) -> Iterator[BrowserPage]:
    """The module's page with crypto.js imported as `window.c`; fails on any new problem."""
    module_page.evaluate(
        """async () => {
            if (!window.c) {
                window.c = await import('/static/js/crypto.js');
                window.ops = await import('/__browser_test__/vector-ops.mjs');
                await window.c.ready;
            }
        }"""
    )
    yield module_page
    module_page.check()
