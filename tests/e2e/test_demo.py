"""The demo (`rugzak demo`, loaded by `make run`), through the real client: a youth, a coach with
a caseload, an organisation with single sign-on through the demo identity provider
(scripts/demo-idp.mjs, the same script as `make idp`, run here on a free port), and a school
campaign. The demo coach really signs in through that provider and reaches the unlock page."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from msgspec.structs import replace
from sqlalchemy.ext.asyncio import AsyncSession

from consent.sso.service import SsoService
from dossier.client import RugzakClient
from dossier.db import make_engine
from tests.oidc.support import app_url_fixture, oidc_provider, provider_login
from tests.support.postgres import free_port
from tests.support.server import live_server
from web.demo import CASELOAD, COACH, SCHOOL_STAFF, YOUTH, load_demo
from web.demo.sso import answers, demo_idp, set_up

ACCOUNT = demo_idp().account_of(COACH[0])
app_url = app_url_fixture()


def test_the_demo_coach_has_a_demo_identity_provider_account():
    assert ACCOUNT is not None
    assert ACCOUNT.sub != ACCOUNT.login  # the provider's own identifier, not a name
    assert ACCOUNT.password not in COACH  # the provider's password is not the passphrase


async def links_of(database_url: str, account_id: str) -> list[tuple[Any, ...]]:
    """(organisation, issuer, client id, linked?) for each organisation of the account."""
    engine = make_engine(database_url)
    try:
        async with AsyncSession(engine) as db:
            mine = await SsoService(db).mine(uuid.UUID(account_id))
            return [(o.name, o.oidc_issuer, o.oidc_client_id, linked) for o, _, linked in mine]
    finally:
        await engine.dispose()


@pytest.mark.own_database  # the demo's fixed accounts
async def test_demo_loads_once_with_an_sso_ready_organisation(server, settings):
    # Nothing runs at this issuer yet: the demo runs the provider there while it links.
    issuer = f"http://127.0.0.1:{free_port()}"
    lines = list(load_demo(server, idp_issuer=issuer))
    assert any(YOUTH[0] in line for line in lines)
    assert any(f"{ACCOUNT.login} / {ACCOUNT.password}" in line for line in lines)
    assert not answers(issuer)  # and ended it afterwards
    assert list(load_demo(server, if_empty=True, idp_issuer=issuer)) == ["demo is already loaded"]

    with RugzakClient(server) as youth:
        youth.login(*YOUTH)
        assert youth.entries("contact")[0].body["naam"] == "Sam"
    with RugzakClient(server) as coach:
        coach.login(*COACH)
        assert coach.unlocked().kind == "professional"
        connected = coach.connections()
        assert len(connected) == CASELOAD
        assert {c.card["display_name"] for c in connected} >= {"Sam", "Jongere 1"}
        assert coach.organisations()[0]["name"] == "Jongerenloket Zwolle"
        youth_dossier = next(c for c in connected if c.card["display_name"] == "Sam").dossier_id
        assert coach.entries("contact", youth_dossier)[0].body["naam"] == "Sam"
        coach_id = coach.unlocked().account_id
    assert await links_of(settings.database_url, coach_id) == [
        ("Jongerenloket Zwolle", issuer, demo_idp().client_id, True)
    ]
    with RugzakClient(server) as staff:
        staff.login(*SCHOOL_STAFF)
        school = staff.organisations()[0]["id"]
        [campaign] = staff.api.call("GET", f"/api/v1/organisations/{school}/campaigns")
        counts = staff.campaign_status(campaign["id"])["counts"]
        # Every state the school's status page shows.
        assert counts == {
            "not_opened": 16,
            "opened": 1,
            "accepted": 1,
            "declined": 1,
            "withdrawn": 1,
        }
        students = staff.campaign_students(campaign["id"])
        assert {s["group"] for s in students} == {"Zorg 4A", "Zorg 4B", "Logistiek 3C"}
        assert campaign["contact"].startswith("Mevrouw Jansen")


@pytest.fixture(scope="module")
def demo_idp_url(app_url, tmp_path_factory) -> Iterator[str]:
    """The demo provider with its own accounts, sending the browser back to `app_url`."""
    log_dir = tmp_path_factory.mktemp("demo-idp")
    client_id = demo_idp().client_id
    with oidc_provider(app_url, demo_accounts=True, client_id=client_id, log_dir=log_dir) as url:
        yield url


@pytest.fixture(scope="module")
def demo_org(app_url, demo_idp_url) -> str:
    """The demo, loaded while the provider already runs (as after `make idp`)."""
    list(load_demo(app_url, idp_issuer=demo_idp_url))
    with httpx.Client(timeout=30) as http:
        choose = http.get(f"{app_url}/inloggen/organisatie")
    link = r'href="(/inloggen/sso/[^"]+)">Inloggen via Jongerenloket Zwolle'
    found = re.search(link, choose.text)
    assert found, choose.text[:500]
    return found.group(1)


def test_the_demo_coach_signs_in_through_the_demo_provider(app_url, demo_org, demo_idp_url):
    with httpx.Client(timeout=30) as http:
        authorize = http.get(f"{app_url}{demo_org}").headers["location"]
        assert authorize.startswith(demo_idp_url)
        back = provider_login(http, authorize, ACCOUNT.login, app_url, password=ACCOUNT.password)
        done = http.get(back)
        assert done.status_code == 200, done.text[:300]
        assert "Je bent ingelogd via Jongerenloket Zwolle" in done.text
        unlock = http.get(f"{app_url}/pro/ontgrendelen")
        assert unlock.status_code == 200
        assert f"Je bent ingelogd als <strong>{COACH[0]}</strong>" in unlock.text


def test_the_demo_provider_checks_the_password(app_url, demo_org):
    with httpx.Client(timeout=30) as http:
        authorize = http.get(f"{app_url}{demo_org}").headers["location"]
        login_page = http.get(authorize, follow_redirects=True)
        assert 'name="password"' in login_page.text
        refused = http.post(
            str(login_page.url), data={"login": ACCOUNT.login, "password": COACH[1]}
        )
        assert refused.status_code == 401
        assert "klopt niet" in refused.text
        assert "rugzak_session" not in http.cookies


@pytest.mark.own_database  # the demo's fixed accounts
def test_without_a_provider_the_rest_of_the_demo_still_loads(server):
    issuer = f"https://127.0.0.1:{free_port()}"  # nothing answers, and https: not started here
    with RugzakClient(server) as coach:
        coach.sign_up(COACH[0], COACH[1], birth_date=None, kind="professional")
        org_id = coach.create_organisation("Jongerenloket Zwolle", "jobcoach")
        lines = set_up(server, coach, org_id, issuer)
    assert lines[1].startswith(f"  not linked (nothing answers at {issuer})")
    assert "make idp" in lines[1]


@pytest.mark.own_database  # the demo's fixed accounts
def test_a_server_that_refuses_loopback_http_says_how_to_run_the_demo(settings):
    """Off by default (RUGZAK_OIDC_LOOPBACK_HTTP): the demo explains instead of failing."""
    with (
        live_server(replace(settings, oidc_loopback_http=False)) as url,
        RugzakClient(url) as coach,
    ):
        coach.sign_up(COACH[0], COACH[1], birth_date=None, kind="professional")
        org_id = coach.create_organisation("Jongerenloket Zwolle", "jobcoach")
        lines = set_up(url, coach, org_id, "http://127.0.0.1:9090")
        assert coach.organisations()[0]["id"] == org_id
    assert "refuses a plain-http provider" in lines[0]
    assert "RUGZAK_OIDC_LOOPBACK_HTTP=true" in lines[1]
