"""Organisation admin in the browser (real Chromium, real app, real crypto): an admin creates an
organisation, invites a colleague with a link, adds them after comparing the fingerprint, and
removes them again with the key rotated in the same action. The Python client then checks what
the browser sealed: the org key opens for the right people only, and a youth's grant to the
organisation still opens after the rotation."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from consent.parties.models import Membership
from dossier import crypto
from dossier.client import RugzakClient
from dossier.client.api import ApiError
from tests.browser.app_pages import AppPage, open_app_page
from tests.conftest import make_settings
from tests.e2e.conftest import PASSPHRASE, signed_up
from tests.support.databases import Backend
from tests.support.server import live_server
from tests.support.sql import add_rows

ORG_URL = re.compile(r".*/pro/organisaties/[0-9a-f-]{36}$")


@pytest.fixture(scope="module")
def db_url(sqlite_backend: Backend) -> str:
    return sqlite_backend.fresh_url()


@pytest.fixture(scope="module")
def app_url(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This module's own live app, so a test can play a server that slips in a member."""
    with live_server(make_settings(db_url, tmp_path_factory.mktemp("orgs"))) as url:
        yield url


@pytest.fixture
def clients(app_url: str) -> Iterator[Callable[..., RugzakClient]]:
    made: list[RugzakClient] = []

    def make(kind: str = "professional") -> RugzakClient:
        made.append(signed_up(app_url, kind))
        return made[-1]

    yield make
    for client in made:
        client.close()


def pro_login(app: AppPage, who: RugzakClient, then: str = "**/pro") -> None:
    app.page.wait_for_selector("#inlogformulier", state="visible", timeout=15_000)
    app.page.fill("#gebruikersnaam", who.unlocked().username)
    app.page.fill("#wachtwoordzin", PASSPHRASE)
    app.page.click("#inloggen")
    app.page.wait_for_url(then, timeout=30_000)


def fingerprint(who: RugzakClient) -> str:
    return crypto.format_fingerprint(who.unlocked().identity.public.fingerprint())


def status_of(call) -> int:
    try:
        call()
    except ApiError as exc:
        return exc.status
    return 200


def create_in_browser(boss: AppPage, admin: RugzakClient) -> str:
    """The browser makes the org key and seals it to the admin's own key."""
    boss.goto("/pro/organisaties")
    boss.clean("organisaties")
    boss.page.click("#maak-organisatie")
    assert boss.page.text_content("#fout") == "Vul de naam van de organisatie in."
    boss.page.fill("#org-naam", "Jobcoach Noord")
    boss.page.select_option("#org-soort", "jobcoach")
    boss.page.click("#maak-organisatie")
    boss.page.wait_for_url(ORG_URL, timeout=15_000)
    org = boss.page.url.rsplit("/", 1)[1]
    [mine] = admin.organisations()
    assert (mine["id"], mine["name"], mine["kind"], mine["role"]) == (
        org,
        "Jobcoach Noord",
        "jobcoach",
        "admin",
    )
    boss.clean("organisatie-nieuw")
    return org


def invite_link(boss: AppPage) -> str:
    """A link shown once, with its QR code."""
    boss.page.select_option("#rol", "member")
    boss.page.click("#maak-link")
    link = urlsplit(boss.page.input_value("#link")).path
    assert re.fullmatch(r"/pro/lid-worden/[\w-]{43}", link)
    assert boss.page.locator("#qr").get_attribute("src").startswith("data:image/svg+xml")
    boss.clean("collega-uitnodigen")
    return link


def ask_to_join(mate: AppPage, link: str, colleague: RugzakClient) -> None:
    """The colleague opens the link, logs in and asks to join: a request, not a membership."""
    mate.goto(link)
    mate.clean("lid-worden-uitgelogd")
    mate.page.click("text=Log in om lid te worden")
    pro_login(mate, colleague, then="**/pro/lid-worden/**")
    mate.page.click("#lid-worden")
    mate.page.wait_for_selector("#mijn-sleutelcode")
    assert mate.page.text_content("#mijn-sleutelcode") == fingerprint(colleague)
    mate.clean("lid-worden-verstuurd")


def add_after_comparing(boss: AppPage, org: str, colleague: RugzakClient) -> None:
    """The admin sees the colleague with the same digits and adds them."""
    boss.goto(f"/pro/organisaties/{org}")
    joiner = boss.page.locator(f"[data-joiner='{colleague.unlocked().account_id}']")
    assert fingerprint(colleague) in (joiner.text_content() or "")
    boss.clean("organisatie-wacht")
    joiner.locator("[data-add]").click()
    boss.page.wait_for_url("**?klaar=toegevoegd", timeout=15_000)
    assert "Je collega is toegevoegd." in (boss.page.text_content("main") or "")


def shared_with_org(youth: RugzakClient, org: str, *pros: RugzakClient) -> str:
    youth.write("notities", {"soort": "notitie", "tekst": "Voor de jobcoach."})
    youth.share(["notities"], org, purpose="Werk zoeken")
    for pro in pros:  # as if compared in person
        pro.pin(youth.unlocked().account_id, youth.unlocked().identity.public)
    return str(youth.unlocked().dossier_id)


def test_admin_creates_invites_adds_and_removes_in_the_browser(
    app_url: str, browser: Browser, clients
) -> None:
    admin, colleague, youth = clients(), clients(), clients("youth")
    boss, mate = open_app_page(browser, app_url), open_app_page(browser, app_url)
    boss.goto("/inloggen")
    pro_login(boss, admin)
    org = create_in_browser(boss, admin)
    first_key = admin.organisation_key(org)  # opens, and matches the identity the server shows

    ask_to_join(mate, invite_link(boss), colleague)
    assert status_of(lambda: colleague.organisation_key(org)) == 403
    add_after_comparing(boss, org, colleague)
    assert colleague.organisation_key(org).secret() == first_key.secret()

    dossier = shared_with_org(youth, org, admin, colleague)
    assert [e.body["tekst"] for e in colleague.entries("notities", dossier)] == [
        "Voor de jobcoach."
    ]

    # Removing is one action: refused at once, and the key is rotated in the admin's browser.
    boss.page.click(f"form[data-remove='{colleague.unlocked().account_id}'] button")
    boss.page.wait_for_url("**?klaar=verwijderd", timeout=30_000)
    boss.clean("organisatie-verwijderd")
    assert admin.organisation(org)["key_version"] == 2
    assert [o["rotation_due"] for o in admin.organisations()] == [False]
    assert admin.organisation_key(org).secret() != first_key.secret()
    assert status_of(lambda: colleague.organisation_key(org)) == 403
    assert status_of(lambda: colleague.entries("notities", dossier)) == 403
    # The youth's grant was re-wrapped to the new key: the admin still reads it.
    assert [e.body["tekst"] for e in admin.entries("notities", dossier)] == ["Voor de jobcoach."]
    mate.goto(f"/pro/organisaties/{org}")
    assert "geen toegang" in (mate.page.text_content("main") or "")
    boss.page.context.close()
    mate.page.context.close()


def test_a_key_left_due_is_renewed_with_one_button(app_url: str, browser: Browser, clients):
    admin, leaver = clients(), clients()
    org = admin.create_organisation("Zorg Oost", "zorg")
    admin.add_member(org, leaver.unlocked().account_id)
    admin.api.call("DELETE", f"/api/v1/organisations/{org}/members/{leaver.unlocked().account_id}")
    assert [o["rotation_due"] for o in admin.organisations()] == [True]
    app = open_app_page(browser, app_url)
    app.goto(f"/pro/organisaties/{org}")  # not signed in: the login page
    pro_login(app, admin)
    app.goto(f"/pro/organisaties/{org}")
    app.page.wait_for_selector("#vernieuw-sleutel:not([hidden])")
    app.clean("organisatie-sleutel-nodig")
    app.page.click("#vernieuw-sleutel")
    app.page.wait_for_url("**?klaar=vernieuwd", timeout=30_000)
    assert [o["rotation_due"] for o in admin.organisations()] == [False]
    assert admin.organisation(org)["key_version"] == 2
    app.page.context.close()


def test_locked_keys_say_so_and_send_nothing(app_url: str, browser: Browser, clients):
    """Signed in but the keys are not in this tab (a new tab after single sign-on): the page
    asks to open them instead of showing buttons that cannot seal anything."""
    admin = clients()
    app = open_app_page(browser, app_url)
    app.goto("/inloggen")
    pro_login(app, admin)
    app.page.evaluate("sessionStorage.clear()")
    app.goto("/pro/organisaties")
    app.page.wait_for_selector("#slot:not([hidden])")
    assert app.page.locator("#nieuwe-organisatie").is_hidden()
    app.clean("organisaties-op-slot")
    app.page.context.close()


@pytest.mark.parametrize("forged", [False, True])
def test_a_member_the_server_slipped_in_stops_the_rotation(
    app_url: str, db_url: str, browser: Browser, clients, forged: bool
):
    """The server lists an account of its choosing as an active member, without an
    attestation or with one signed by that account's own key instead of the org key. Removing
    a colleague in the browser still removes them, but the browser seals the new key to nobody
    and says something is wrong."""
    admin, leaver, spy = clients(), clients(), clients()
    org = admin.create_organisation("Wijkteam Zuid", "gemeente")
    admin.add_member(org, leaver.unlocked().account_id)
    me = spy.unlocked()
    attestation = (
        crypto.sign_membership(me.identity, org, me.account_id, me.identity.public, 1)
        if forged
        else None
    )
    add_rows(
        db_url,
        Membership(
            org_id=uuid.UUID(org),
            account_id=uuid.UUID(spy.unlocked().account_id),
            role="member",
            state="active",
            key_version=1,
            sealed_org_key=b"\0" * 112,
            attestation=attestation,
        ),
    )
    app = open_app_page(browser, app_url)
    app.goto("/inloggen")
    pro_login(app, admin)
    app.goto(f"/pro/organisaties/{org}")
    app.page.click(f"form[data-remove='{leaver.unlocked().account_id}'] button")
    app.page.wait_for_selector("#fout:not([hidden])", timeout=30_000)
    assert "Er klopt iets niet met de beveiliging" in (app.page.text_content("#fout") or "")
    app.clean(None if forged else "organisatie-lid-niet-bevestigd")
    assert admin.organisation(org)["key_version"] == 1
    assert status_of(lambda: leaver.organisation_key(org)) == 403  # the removal stands
    app.page.context.close()
