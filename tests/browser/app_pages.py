"""Helpers for the page tests: a browser context on the real app (its own CSP headers, no
test routes except axe-core's file), with console errors, page errors and CSP violations
collected, every request body recorded, and small keyboard and sign-up helpers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Request

from tests.browser.conftest import HARNESS, TEST_PREFIX, BrowserPage, Problems, _serve_test_files

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
PASSPHRASE = "mijn-fiets-staat-bij-de-brug-42"
BIRTH = "2004-05-17"
_names = itertools.count()


def new_username() -> str:
    return f"jongere{next(_names)}x{id(_names) % 10000}"


@dataclass
class Sent:
    """What left the browser: request bodies and header values."""

    bodies: list[bytes] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)

    def record(self, request: Request) -> None:
        body = request.post_data_buffer
        if body:
            self.bodies.append(body)
        self.headers.extend(f"{k}: {v}" for k, v in request.headers.items())

    def contains(self, needle: bytes) -> bool:
        text = needle.decode("utf-8", "replace")
        return any(needle in b for b in self.bodies) or any(text in h for h in self.headers)


@dataclass
class AppPage(BrowserPage):
    sent: Sent = field(default_factory=Sent)

    def goto(self, path: str) -> None:
        self.page.goto(f"{self.url}{path}")
        self.page.wait_for_load_state("load")

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def axe_clean(self) -> None:
        violations = self.run_axe("body")
        assert violations == [], violations

    def clean(self, name: str | None = None) -> None:
        """No axe violation, a screenshot when named, and no CSP or console problem."""
        self.axe_clean()
        if name:
            self.shot(name)
        self.check()

    def tab_to(self, element_id: str, limit: int = 40) -> None:
        """Press Tab until the element has focus (keyboard-only navigation)."""
        for _ in range(limit):
            if (
                self.page.evaluate("document.activeElement && document.activeElement.id")
                == element_id
            ):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached #{element_id}")


def open_app_page(browser: Browser, url: str, *, javascript: bool = True) -> AppPage:
    problems = Problems()
    context = browser.new_context(
        service_workers="block",
        java_script_enabled=javascript,
        viewport={"width": 390, "height": 844},
        locale="nl-NL",
        accept_downloads=True,
    )
    context.add_init_script(HARNESS)
    context.route(f"{url}{TEST_PREFIX}**", _serve_test_files)
    page: Page = context.new_page()
    app = AppPage(page, url, problems)

    def on_console(message: Any) -> None:
        if message.type == "error":
            problems.items.append(f"console: {message.text}")

    def watch(watched: Page) -> None:
        watched.on("console", on_console)
        watched.on("pageerror", lambda error: problems.items.append(f"page error: {error}"))

    watch(page)
    # A window the page opens (the school's print window) is watched the same way, and the
    # requests of every page in the context are recorded from their first one.
    context.on("page", lambda opened: opened is not page and watch(opened))
    context.on("request", app.sent.record)
    return app


def window_of(app: AppPage, opened: Page) -> AppPage:
    """A window `app` opened (same context: same problems, same recorded requests)."""
    return AppPage(opened, app.url, app.problems, app.sent)


def sign_up(app: AppPage, username: str, passphrase: str = PASSPHRASE) -> str:
    """Through the sign-up page; returns the recovery code after confirming it."""
    page = app.page
    app.goto("/aanmelden")
    page.fill("#gebruikersnaam", username)
    page.fill("#geboortedatum", BIRTH)
    page.fill("#wachtwoordzin", passphrase)
    page.fill("#wachtwoordzin2", passphrase)
    page.click("#maak")
    page.wait_for_selector("#stap-herstelcode:not([hidden])", timeout=30_000)
    code = page.text_content("#herstelcode") or ""
    confirm_code(app, code)
    return code


def confirm_code(app: AppPage, code: str) -> None:
    page = app.page
    page.click("#bewaard")
    group = int((page.text_content("#controle-vraag") or "").split()[2])
    page.fill("#controlecode", code.split("-")[group - 1])
    page.click("#verder")
    page.wait_for_url("**/rugzak", timeout=15_000)


def log_in(
    app: AppPage, username: str, passphrase: str = PASSPHRASE, *, lands: str = "/rugzak"
) -> None:
    """Through the login page; a youth lands on /rugzak, a professional on /pro."""
    app.goto("/inloggen")
    app.page.fill("#gebruikersnaam", username)
    app.page.fill("#wachtwoordzin", passphrase)
    app.page.click("#inloggen")
    app.page.wait_for_url(f"**{lands}", timeout=30_000)


def wait_opened(app: AppPage, selector: str = "[data-ciphertext]") -> None:
    app.page.wait_for_function(
        """(sel) => [...document.querySelectorAll(sel)].every(
             (e) => e.getAttribute('data-crypto') === 'open')""",
        arg=selector,
    )
