"""The browser part of the youth journey of issue 6, in real Chromium against the real app: a
coach (Python client) invites, the youth accepts on the invite page (comparing the
fingerprint), shares two sections, the coach reads them, the youth looks "as" the coach, then
revokes one with one tap: the coach gets 403 at once and its saved old section key opens
nothing written after the rotation. Consent requests are answered "partly", the fixed contact
person is set. Every request body the browser sent is recorded: none holds typed plaintext.

The module runs its own app on its own SQLite file, so a test can play a malicious server
(`tests/support/sql.py`). The tests run in order and share one youth and one coach."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from dossier import crypto
from dossier.client import RugzakClient
from dossier.client.api import ApiError
from tests.browser.app_pages import (
    PASSPHRASE,
    AppPage,
    log_in,
    new_username,
    open_app_page,
    sign_up,
    wait_opened,
)
from tests.browser.test_youth_phone import SMALL_TARGETS
from tests.conftest import make_settings
from tests.support.databases import Backend
from tests.support.server import live_server
from tests.support.sql import sql

STORY = "Ik ben Noor en ik wil graag koken. Deelverhaal-6621"
AFTER = "Dit schreef ik na het intrekken. Naintrekken-4410"
PHONE = "0687654321"
COACH_PASS = "coach-wachtwoordzin-lang-genoeg"
NAMED = "(sel) => document.querySelector(sel).textContent === 'Sanne de Vries'"
MESSAGE_KEPT = "Wat ze al gezien hebben, kunnen ze bewaard hebben."


@pytest.fixture(scope="module")
def db_url(sqlite_backend: Backend) -> str:
    return sqlite_backend.fresh_url()


@pytest.fixture(scope="module")
def app_url(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This module's own live app (the shared one's database is not reachable from tests)."""
    settings = make_settings(db_url, tmp_path_factory.mktemp("sharing"))
    with live_server(settings) as url:
        yield url


@pytest.fixture(scope="module")
def app(browser: Browser, app_url: str) -> Iterator[AppPage]:
    page = open_app_page(browser, app_url)
    yield page
    page.page.context.close()


@pytest.fixture(scope="module")
def coach(app_url: str) -> Iterator[RugzakClient]:
    client = RugzakClient(app_url)
    client.sign_up(new_username(), COACH_PASS, birth_date=None, kind="professional")
    client.set_profile("Sanne de Vries", "Jongerenloket", "jobcoach", "0612345678")
    yield client
    client.close()


@pytest.fixture(scope="module")
def shared() -> dict[str, Any]:
    """What the tests of this module hand on to each other."""
    return {}


def write(app: AppPage, selector: str, text: str) -> None:
    app.page.evaluate("document.getElementById('meldingen').replaceChildren()")
    app.page.fill(selector, text)
    app.page.click("#sectie-inhoud form[data-seal] button[type=submit]")
    app.page.wait_for_selector("#meldingen .rz-alert--ok")
    wait_opened(app)


def test_share_read_view_as_and_revoke_with_rotation(  # noqa: PLR0915  (one journey, in order)
    app: AppPage, coach: RugzakClient, db_url: str, shared: dict[str, Any]
) -> None:
    page = app.page
    shared["username"] = new_username()
    sign_up(app, shared["username"])
    app.goto("/rugzak/verhaal")
    write(app, "#verhaal-tekst", STORY)
    app.goto("/rugzak/contact")
    page.fill("#c-naam", "Noor")
    write(app, "#c-telefoon", PHONE)

    # The invite page shows the coach's fingerprint; the youth connects with a sealed card.
    invite = coach.create_invite()
    app.goto(f"/uitnodiging/{invite.token}")
    assert page.text_content("#sleutelcode") == coach.my_fingerprint()
    assert page.text_content("#wie-naam") == "Sanne de Vries"  # from the card on the invite
    assert page.text_content("#wie-organisatie") == "Jongerenloket"
    assert len((page.text_content("#mijn-sleutelcode") or "").split()) >= 5
    app.clean("uitnodiging")
    page.fill("#naam", "Noortje")
    page.click("#verbind")
    page.wait_for_url("**/delen?melding=verbonden")
    [connection] = coach.connections()
    assert connection.card == {"display_name": "Noortje", "contact_preference": "WhatsApp"}
    coach.send_card(connection.id, "Sanne de Vries", "Jongerenloket", "jobcoach", "0612345678")
    dossier = connection.dossier_id
    coach_id = coach.unlocked().account_id

    # Delen: the name comes from the card opened in the browser.
    page.reload()
    page.wait_for_function(NAMED, arg="[data-name]")
    assert "Jongerenloket" in (page.text_content("[data-card-line]") or "")
    page.click(f"#persoon-{coach_id} summary")
    page.check(f"#persoon-{coach_id} input[data-section=verhaal][data-permission=read]")
    page.check(f"#persoon-{coach_id} input[data-section=contact][data-permission=read]")
    app.clean()
    page.click(f"#persoon-{coach_id} form[data-share] button[type=submit]")
    page.wait_for_url("**/delen?melding=gedeeld")
    assert coach.entries("verhaal", dossier)[0].body == {"tekst": STORY}
    assert coach.entries("contact", dossier)[0].body["telefoon"] == PHONE
    old_key = coach.section("verhaal", dossier).private_key
    assert old_key is not None
    page.wait_for_function(NAMED, arg="[data-name]")
    app.clean("delen")
    # With a connected coach, opened and at 360 px: still a phone page (issue 16).
    page.set_viewport_size({"width": 360, "height": 844})
    page.evaluate(
        "document.querySelectorAll('details.rz-share').forEach((d) => { d.open = true; })"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(SMALL_TARGETS) == []
    page.set_viewport_size({"width": 390, "height": 844})

    # Bekijk als: exactly the two shared sections, opened with the owner's keys.
    app.goto(f"/delen/bekijk-als/{coach_id}")
    wait_opened(app)
    assert page.locator("section h2").all_text_contents() == ["Contactgegevens", "Mijn verhaal"]
    assert page.text_content("[data-section=verhaal] [data-plain=tekst]") == STORY
    page.wait_for_function(NAMED, arg="h1 [data-name]")
    app.clean("bekijk-als")

    # Intrekken: one tap revokes and rotates.
    app.goto("/delen")
    page.click(f"#persoon-{coach_id} button[data-revoke][data-section=verhaal]")
    page.wait_for_url("**/delen?melding=ingetrokken", timeout=20_000)
    assert MESSAGE_KEPT in (page.text_content("#meldingen") or "")
    with pytest.raises(ApiError) as refused:
        coach.api.call("GET", f"/api/v1/dossiers/{dossier}/sections/verhaal/entries")
    assert refused.value.status == 403
    assert coach.entries("contact", dossier)[0].body["telefoon"] == PHONE  # still shared
    # The browser signed the grant's end; the server keeps it beside the receipt.
    [(end,)] = sql(db_url, "SELECT end_statement FROM consent_grant WHERE section = 'verhaal'")
    end = json.loads(end) if isinstance(end, str) else end
    assert end["kind"] == "grant-end"
    assert end["section"] == "verhaal"

    app.goto("/rugzak/verhaal")
    wait_opened(app)
    page.wait_for_function("() => document.getElementById('verhaal-tekst').value.length > 0")
    write(app, "#verhaal-tekst", AFTER)
    payloads = sql(
        db_url,
        "SELECT payload FROM entry WHERE section_id IN "
        "(SELECT id FROM section WHERE key = 'verhaal')",
    )
    assert len(payloads) == 2
    for (payload,) in payloads:
        sealed = json.loads(payload)
        assert sealed["key_version"] == 2
        with pytest.raises(crypto.CryptoError):
            crypto.open_sealed(old_key, crypto.b64d(sealed["sealed_key"]))
    shared.update(dossier=dossier, coach_id=coach_id)

    # Nothing typed in the browser ever left it in the clear.
    for secret in (STORY, AFTER, "Deelverhaal-6621", "Naintrekken-4410", PHONE, "Noortje"):
        assert not app.sent.contains(secret.encode()), secret
    app.check()


def test_requests_partly_and_contact_person(
    app: AppPage, coach: RugzakClient, shared: dict[str, Any]
) -> None:
    page = app.page
    coach.request_access(shared["dossier"], ["plan", "werk"], purpose="Samen werk zoeken", days=90)
    app.goto("/delen")
    card = page.locator("[data-request]").first
    card.locator("input[data-section=werk]").uncheck()
    app.clean()
    card.locator("button[data-answer-with=partly]").click()
    page.wait_for_url("**/delen?melding=beantwoord")
    mine = {g["section"] for g in coach.my_grants()}
    assert mine == {"contact", "plan"}
    [request] = coach.requests(shared["dossier"])
    assert request["state"] == "answered"
    assert request["granted_sections"] == ["plan"]

    page.click(f"#persoon-{shared['coach_id']} form[action$=aanspreekpunt] button")
    page.wait_for_url("**/delen?melding=aanspreekpunt")
    assert page.locator("main .rz-badge").count() == 1
    assert coach.connections()[0].contact_person
    app.check()


def test_access_log_checked_and_tamper_shown(
    app: AppPage, db_url: str, tmp_path: Path, shared: dict[str, Any]
) -> None:
    page = app.page
    app.goto("/wie-keek")
    page.wait_for_selector("#log-lijst li")
    text = page.text_content("#log-lijst") or ""
    # the coach's page view read both sections: one visit line with its parts
    assert "Sanne de Vries bekeek 2 delen" in text
    assert "Mijn verhaalContactgegevens" in text
    assert "Jij trok de toegang tot Mijn verhaal in" in text
    assert page.is_hidden("#log-kapot")
    app.clean("wie-keek")
    page.wait_for_function("() => localStorage.getItem('rugzak.checkpoints.v1') !== null")
    with page.expect_download() as download:
        page.locator("[data-receipt]").first.click()
    saved = tmp_path / "bewijs.json"
    download.value.save_as(saved)
    receipt = json.loads(saved.read_text("utf-8"))
    assert receipt["dossier"] == shared["dossier"]
    assert receipt["signature"]

    # A malicious server edits an event the youth already checkpointed.
    sql(db_url, "UPDATE log_event SET action = 'section:append' WHERE seq = 3")
    page.reload()
    page.wait_for_selector("#log-kapot:not([hidden])")
    app.check()


def test_login_rotates_sections_of_ended_grants(
    app: AppPage, coach: RugzakClient, db_url: str, shared: dict[str, Any]
) -> None:
    """Like RugzakClient.login: an expired read grant is rotated on the next unlock."""
    sql(db_url, "UPDATE consent_grant SET expires_at = issued_at WHERE section = 'contact'")
    app.goto("/meer")  # a youth logs out on Meer
    app.page.click("button[data-rugzak-logout]")
    app.page.wait_for_url("**/uitgelogd")
    log_in(app, shared["username"])
    [(version,)] = sql(db_url, "SELECT key_version FROM section WHERE key = 'contact'")
    assert version == 2
    assert sql(
        db_url, "SELECT count(*) FROM consent_grant WHERE rotated_out = 0 AND section = 'contact'"
    ) == [(0,)]
    assert coach.entries("plan", shared["dossier"]) == []
    app.check()


def test_withdraw_request_and_export_zip(
    app: AppPage, coach: RugzakClient, db_url: str, tmp_path: Path
) -> None:
    page = app.page
    app.goto("/delen")
    page.click("button[data-withdraw]")
    page.wait_for_url("**/delen?melding=ingetrokken", timeout=20_000)
    assert {g["section"] for g in coach.my_grants()} == set()

    app.goto("/meenemen")
    app.clean("meenemen")
    with page.expect_download(timeout=30_000) as download:
        page.click("#download")
    saved = tmp_path / "rugzak.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        story = json.loads(archive.read("verhaal.json"))
        contact = json.loads(archive.read("contact.json"))
        assert "toestemmingen.json" in archive.namelist()
        readable = archive.read("rugzak.html").decode()
    # The readable copy beside the JSON: the same content, in Dutch, for a person.
    assert readable.startswith("<!doctype html>")
    assert "<h2>Mijn verhaal</h2>" in readable
    assert "<h2>Contactgegevens</h2>" in readable
    assert AFTER in readable  # the latest version
    assert "Eerdere versies (1)" in readable
    assert STORY in readable  # and the earlier one
    assert PHONE in readable
    assert "Jij · " in readable
    [entry] = story["entries"]
    assert [v["body"]["tekst"] for v in entry["versions"]] == [STORY, AFTER]
    assert contact["entries"][0]["versions"][-1]["body"]["telefoon"] == PHONE
    assert sql(db_url, "SELECT count(*) FROM log_event WHERE action = 'dossier:export'") == [(1,)]
    app.check()


def test_delete_my_rugzak(app: AppPage, db_url: str, shared: dict[str, Any]) -> None:
    page = app.page
    app.goto("/verwijderen")
    app.clean("verwijderen")
    page.fill("#bevestig", "verwijder")
    page.fill("#wachtwoordzin", PASSPHRASE)
    page.click("#verwijder")
    assert "VERWIJDER" in (page.text_content("#fout") or "")
    page.fill("#bevestig", "VERWIJDER")
    page.click("#verwijder")
    page.wait_for_url("**/uitgelogd", timeout=30_000)
    assert page.evaluate("sessionStorage.length") == 0
    rows = sql(
        db_url, "SELECT count(*) FROM account WHERE username = :u", {"u": shared["username"]}
    )
    assert rows == [(0,)]
    assert sql(db_url, "SELECT count(*) FROM dossier") == [(0,)]
    assert not app.sent.contains(PASSPHRASE.encode())
    app.check()
