"""A professional writes in a youth's dossier through their organisation's append grant: the
youth can always read it (their section page, "bekijk als" the organisation, the zip export),
checked in the browser under the owner-signed receipt of the organisation, with the writer's
membership attested by the organisation's key (along the chain of org keys from the one the
receipt names). An account that is not an attested member is refused."""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from tests.browser.app_pages import AppPage, open_app_page, wait_opened
from tests.conftest import make_settings
from tests.e2e.conftest import PASSPHRASE, connect, signed_up
from tests.support.databases import Backend
from tests.support.server import live_server
from tests.support.sql import sql

NOTE = "Gesprek op dinsdag: we zoeken samen een BBL-plek."
ADMIN_NOTE = "Afspraak gemaakt bij het UWV."


@pytest.fixture(scope="module")
def db_url(sqlite_backend: Backend) -> str:
    return sqlite_backend.fresh_url()


@pytest.fixture(scope="module")
def app_url(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This module's own live app, so the last test can play a server that drops a member."""
    settings = make_settings(db_url, tmp_path_factory.mktemp("org-authors"))
    with live_server(settings) as url:
        yield url


@pytest.fixture(scope="module")
def people(app_url: str) -> Iterator[dict[str, RugzakClient]]:
    kinds = {"youth": "youth", "admin": "professional", "member": "professional"}
    made = {name: signed_up(app_url, kind) for name, kind in kinds.items()}
    yield made
    for client in made.values():
        client.close()


@pytest.fixture(scope="module")
def written(people: dict[str, RugzakClient]) -> dict[str, str]:
    youth, admin, member = people["youth"], people["admin"], people["member"]
    org = admin.create_organisation("Jongerenwerk Oost", "zorg")
    admin.add_member(org, member.unlocked().account_id)
    youth.write("notities", {"soort": "notitie", "tekst": "Mijn eigen notitie."})
    youth.share(["notities"], org, permissions=("read", "append"), purpose="Begeleiding")
    member.pin(youth.unlocked().account_id, youth.unlocked().identity.public)
    dossier = str(youth.unlocked().dossier_id)
    member.write("notities", {"soort": "gespreksverslag", "tekst": NOTE}, dossier_id=dossier)
    # The admin is also connected to the youth: their note shows the name on their card.
    connect(youth, admin)
    admin.pin(youth.unlocked().account_id, youth.unlocked().identity.public)
    admin.write("notities", {"soort": "notitie", "tekst": ADMIN_NOTE}, dossier_id=dossier)
    return {"org": org, "dossier": dossier}


@pytest.fixture(scope="module")
def app(browser: Browser, app_url: str, people: dict[str, RugzakClient]) -> Iterator[AppPage]:
    app = open_app_page(browser, app_url)
    app.goto("/inloggen")
    app.page.wait_for_selector("#inlogformulier", state="visible")
    app.page.fill("#gebruikersnaam", people["youth"].unlocked().username)
    app.page.fill("#wachtwoordzin", PASSPHRASE)
    app.page.click("#inloggen")
    app.page.wait_for_url("**/rugzak", timeout=30_000)
    yield app
    app.page.context.close()


def test_the_youth_reads_what_an_org_member_wrote(app: AppPage, written, people) -> None:
    app.goto("/rugzak/notities")
    wait_opened(app)
    texts = app.page.locator("[data-ciphertext] [data-plain=tekst]").all_text_contents()
    assert sorted(texts) == sorted([NOTE, ADMIN_NOTE, "Mijn eigen notitie."])
    # Who wrote it: the organisation (public), and the name from a card when connected.
    member_id = people["member"].unlocked().account_id
    by_member = app.page.locator(f"[data-author='{member_id}']").text_content() or ""
    assert "(Jongerenwerk Oost)" in by_member
    admin_id = people["admin"].unlocked().account_id
    app.page.wait_for_function(
        "(id) => document.querySelector(`[data-author='${id}'] [data-name]`).textContent"
        " === 'Fatima'",
        arg=admin_id,
    )
    app.clean("notities-auteurs")
    app.goto(f"/delen/bekijk-als/{written['org']}")
    wait_opened(app)
    assert NOTE in (app.page.text_content("[data-section=notities]") or "")
    app.clean()


def test_the_export_holds_what_an_org_member_wrote(app: AppPage, written, tmp_path: Path) -> None:
    app.goto("/meenemen")
    with app.page.expect_download(timeout=30_000) as download:
        app.page.click("#download")
    saved = tmp_path / "rugzak.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        notes = json.loads(archive.read("notities.json"))
    bodies = [v.get("body", {}).get("tekst") for e in notes["entries"] for v in e["versions"]]
    assert sorted(b for b in bodies if b) == sorted([NOTE, ADMIN_NOTE, "Mijn eigen notitie."])
    assert "error" not in json.dumps(notes)
    app.check()


def test_delen_names_the_organisation(app: AppPage, written) -> None:
    app.goto("/delen")
    card = app.page.locator("#kop-anders + ul li").first
    assert "Organisatie Jongerenwerk Oost: Gesprekken en notities" in (card.text_content() or "")
    app.clean("delen-organisatie")


def test_a_colleague_reads_what_another_member_wrote(
    browser: Browser, app_url: str, written, people
) -> None:
    """The admin reads the youth's notes through the organisation's grant: the member's note
    is checked under the same receipt, in the professional's view."""
    pro = open_app_page(browser, app_url)
    pro.goto("/inloggen")
    pro.page.wait_for_selector("#inlogformulier", state="visible")
    pro.page.fill("#gebruikersnaam", people["admin"].unlocked().username)
    pro.page.fill("#wachtwoordzin", PASSPHRASE)
    pro.page.click("#inloggen")
    pro.page.wait_for_url("**/pro", timeout=30_000)
    pro.goto(f"/pro/jongeren/{written['dossier']}")
    wait_opened(pro)
    texts = pro.page.locator("[data-ciphertext] [data-plain=tekst]").all_text_contents()
    assert sorted(texts) == sorted([NOTE, ADMIN_NOTE, "Mijn eigen notitie."])
    pro.check()
    pro.page.context.close()


def test_members_verify_along_the_org_key_chain_and_the_server_list_is_not_enough(
    app: AppPage, written, people, db_url: str
) -> None:
    """After a rotation the receipt still names the first org key; each member's attestation
    is signed by the second, which the first named. A member the server lists but the
    organisation never attested (here: the attestation wiped) is refused."""
    assert people["admin"].rotate_org_key(written["org"]) == 2
    app.goto("/rugzak/notities")
    wait_opened(app)
    texts = app.page.locator("[data-ciphertext] [data-plain=tekst]").all_text_contents()
    assert sorted(texts) == sorted([NOTE, ADMIN_NOTE, "Mijn eigen notitie."])
    member_id = people["member"].unlocked().account_id
    sql(
        db_url,
        "UPDATE membership SET attestation = NULL WHERE account_id = :a",
        {"a": uuid.UUID(member_id).bytes},
    )
    app.goto("/rugzak/notities")
    app.page.wait_for_selector("[data-crypto=failed]")
    opened = app.page.locator("[data-crypto=open] [data-plain=tekst]").all_text_contents()
    assert sorted(opened) == sorted([ADMIN_NOTE, "Mijn eigen notitie."])
    assert NOTE not in (app.page.text_content("main") or "")


def test_a_writer_the_server_no_longer_lists_as_member_is_refused(
    app: AppPage, written, people, db_url: str
) -> None:
    """Without the writer on the server's list, nothing vouches for their key, so the entry is
    shown as not safely opened."""
    member_id = people["member"].unlocked().account_id
    sql(db_url, "DELETE FROM membership WHERE account_id = :a", {"a": uuid.UUID(member_id).bytes})
    app.goto("/rugzak/notities")
    app.page.wait_for_selector("[data-crypto=failed]")
    opened = app.page.locator("[data-crypto=open] [data-plain=tekst]").all_text_contents()
    assert sorted(opened) == sorted([ADMIN_NOTE, "Mijn eigen notitie."])
    assert NOTE not in (app.page.text_content("main") or "")
