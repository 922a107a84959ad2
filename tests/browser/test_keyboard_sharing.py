"""Sharing and revoking with the keyboard only (Tab, Shift+Tab, Space, Enter; `page.keyboard`),
in real Chromium against the real app: a coach made with the Python client invites, a youth
signs up in the browser, connects, writes a story, shares it with the coach (who reads it),
then revokes it; the coach gets 403 afterwards. Every pointer or mouse event in the page is
counted (through an exposed function, so navigations do not reset it): there must be none."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from dossier.client.api import ApiError
from tests.browser.app_pages import PASSPHRASE, AppPage, new_username, open_app_page, wait_opened

COACH_PASS = "coach-wachtwoordzin-lang-genoeg"
STORY = "Ik leer koken en wil een baan in een keuken. Toetsenbord-5150"
COUNT_POINTER = """
for (const type of ["pointerdown", "mousedown", "mouseup"]) {
  window.addEventListener(type, () => window.__rzPointer(type), true);
}
window.addEventListener("click", (e) => { if (e.detail > 0) window.__rzPointer("click"); }, true);
"""


@pytest.fixture
def app(browser: Browser, app_url: str) -> Iterator[AppPage]:
    page = open_app_page(browser, app_url)
    yield page
    page.page.context.close()


@pytest.fixture
def coach(app_url: str) -> Iterator[RugzakClient]:
    client = RugzakClient(app_url)
    client.sign_up(new_username(), COACH_PASS, birth_date=None, kind="professional")
    client.set_profile("Sanne de Vries", "Jongerenloket", "jobcoach", "0612345678")
    yield client
    client.close()


def focused(app: AppPage, selector: str) -> bool:
    return bool(
        app.page.evaluate(
            "(sel) => !!document.activeElement && document.activeElement.matches(sel)", selector
        )
    )


def tab_until(app: AppPage, selector: str, *, back: bool = False, limit: int = 80) -> None:
    """Tab (or Shift+Tab) until the focused element matches the selector."""
    for _ in range(limit):
        if focused(app, selector):
            return
        app.page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{'Shift+Tab' if back else 'Tab'} never reached {selector}")


def sign_up_by_keyboard(app: AppPage) -> None:
    page, kb = app.page, app.page.keyboard
    app.goto("/aanmelden")
    page.wait_for_selector("#gebruikersnaam:visible")
    tab_until(app, "#gebruikersnaam")
    kb.type(new_username())
    tab_until(app, "#geboortedatum")
    kb.type("17052004")
    tab_until(app, "#wachtwoordzin")
    kb.type(PASSPHRASE)
    tab_until(app, "#wachtwoordzin2")
    kb.type(PASSPHRASE)
    kb.press("Enter")
    page.wait_for_selector("#stap-herstelcode:not([hidden])", timeout=30_000)
    code = page.text_content("#herstelcode") or ""
    tab_until(app, "#bewaard")
    kb.press("Space")
    assert focused(app, "#controlecode")
    group = int((page.text_content("#controle-vraag") or "").split()[2])
    kb.type(code.split("-")[group - 1])
    kb.press("Enter")
    page.wait_for_url("**/rugzak", timeout=15_000)


def connect_by_keyboard(app: AppPage, coach: RugzakClient) -> tuple[str, str]:
    """The invite page: type a name, Enter. Returns the coach's id and the youth's dossier."""
    page, kb = app.page, app.page.keyboard
    invite = coach.create_invite()
    app.goto(f"/uitnodiging/{invite.token}")
    page.wait_for_selector("#verbindformulier:visible")
    tab_until(app, "#naam")
    kb.type("Noor")
    kb.press("Enter")
    page.wait_for_url("**/delen?melding=verbonden")
    [connection] = coach.connections()
    return coach.unlocked().account_id, connection.dossier_id


def write_story_by_keyboard(app: AppPage) -> None:
    """Type the story, then Tab to the save button and press Enter."""
    page, kb = app.page, app.page.keyboard
    app.goto("/rugzak/verhaal")
    page.wait_for_selector("#verhaal-tekst:visible")
    tab_until(app, "#verhaal-tekst")
    kb.type(STORY)
    tab_until(app, "#sectie-inhoud form[data-seal] button[type=submit]")
    kb.press("Enter")
    page.wait_for_selector("#meldingen .rz-alert--ok")
    wait_opened(app)


def test_share_and_revoke_with_the_keyboard_only(app: AppPage, coach: RugzakClient) -> None:
    page, kb = app.page, app.page.keyboard
    pointer: list[str] = []

    def record(kind: str) -> None:
        pointer.append(kind)

    page.context.expose_function("__rzPointer", record)
    page.context.add_init_script(COUNT_POINTER)

    sign_up_by_keyboard(app)

    coach_id, dossier = connect_by_keyboard(app, coach)
    card = f"#persoon-{coach_id}"

    write_story_by_keyboard(app)

    # Share: open "Iets delen" (Enter on the summary), Tab on to the Delen button, Shift+Tab
    # back to the story's read box, Space ticks it, Tab forward again and Enter.
    app.goto("/delen")
    page.wait_for_selector(f"{card} details.rz-share:visible")
    tab_until(app, f"{card} details.rz-share summary")
    kb.press("Enter")
    assert page.evaluate(f"document.querySelector('{card} details.rz-share').open")
    submit = f"{card} form[data-share] button[type=submit]"
    tab_until(app, submit)
    read_story = f"{card} input[data-section=verhaal][data-permission=read]"
    tab_until(app, read_story, back=True)
    kb.press("Space")
    assert page.is_checked(read_story)
    tab_until(app, submit)
    kb.press("Enter")
    page.wait_for_url("**/delen?melding=gedeeld", timeout=20_000)
    assert coach.entries("verhaal", dossier)[0].body == {"tekst": STORY}

    # Revoke: Tab to "Intrekken" for the story and press Enter.
    revoke = f"{card} button[data-revoke][data-section=verhaal]"
    page.wait_for_selector(f"{revoke}:visible")
    tab_until(app, revoke)
    kb.press("Enter")
    page.wait_for_url("**/delen?melding=ingetrokken", timeout=20_000)
    assert "Ingetrokken" in (page.text_content("#meldingen") or "")
    with pytest.raises(ApiError) as refused:
        coach.api.call("GET", f"/api/v1/dossiers/{dossier}/sections/verhaal/entries")
    assert refused.value.status == 403

    assert pointer == [], pointer
    assert not app.sent.contains(STORY.encode())
    app.check()
