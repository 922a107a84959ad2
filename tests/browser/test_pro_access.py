"""What a professional may not see: without a grant the API answers 403 problem+json and the
page a Dutch "geen toegang" page; a member removed from the organisation likewise, at once
(before the organisation key is rotated). Pages are fetched as the browser would (the HttpOnly
cookie and CSRF token, tests/oidc/support.page_session)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from dossier.client import RugzakClient
from tests.conftest import make_settings
from tests.e2e.conftest import connect, signed_up
from tests.oidc.support import page_session
from tests.support.server import live_server


@pytest.fixture(scope="module")
def server(sqlite_backend, tmp_path_factory) -> Iterator[str]:
    settings = make_settings(sqlite_backend.fresh_url(), tmp_path_factory.mktemp("access"))
    with live_server(settings) as url:
        yield url


OPEN: list[RugzakClient | httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while OPEN:
        OPEN.pop().close()


def bearer(url: str, who: RugzakClient) -> httpx.Client:
    http = httpx.Client(base_url=url, headers={"authorization": f"Bearer {who.api.token}"})
    OPEN.append(http)
    return http


def client(url: str, kind: str = "professional") -> RugzakClient:
    c = signed_up(url, kind)
    OPEN.append(c)
    return c


@contextmanager
def pages_of(url: str, who: RugzakClient) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=30, follow_redirects=False) as http:
        page_session(http, url, who.api.token or "")
        yield http


def refused(page: httpx.Response) -> None:
    assert page.status_code == 403, (page.status_code, page.text[:300])
    assert "geen toegang" in page.text
    assert '<html lang="nl"' in page.text


def refused_api(answer: httpx.Response) -> None:
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["title"]


def test_without_a_grant_api_and_pages_refuse(server):
    youth, stranger, coach = client(server, "youth"), client(server), client(server)
    connect(youth, coach)
    dossier = youth.unlocked().dossier_id
    api = bearer(server, stranger)
    refused_api(api.get(f"/api/v1/dossiers/{dossier}"))
    refused_api(api.get(f"/api/v1/dossiers/{dossier}/sections/notities/entries"))
    with pages_of(server, stranger) as http:
        refused(http.get(f"/pro/jongeren/{dossier}"))
        refused(http.get(f"/pro/jongeren/{dossier}/vingerafdruk"))
        assert http.get("/pro").status_code == 200  # an empty caseload, not an error
    with pages_of(server, coach) as http:
        csrf = http.cookies["csrftoken"]
        page = http.get(f"/pro/jongeren/{dossier}")
        assert page.status_code == 200
        assert "Nog niets gedeeld." in page.text
        write = http.post(
            f"/pro/jongeren/{dossier}/schrijven/notities",
            data={"entry": "{}", "_csrf_token": csrf},
        )
        refused(write)
    with pages_of(server, youth) as http:
        refused(http.get("/pro"))


def test_removed_member_is_refused_at_once(server):
    youth, admin, member = client(server, "youth"), client(server), client(server)
    org = admin.create_organisation("Zorgpartner Zuid", "zorg")
    admin.add_member(org, member.unlocked().account_id)
    youth.write("notities", {"soort": "notitie", "tekst": "Voor de zorgpartner."})
    youth.share(["notities"], org, purpose="Zorg")
    dossier = youth.unlocked().dossier_id
    api = bearer(server, member)
    assert api.get(f"/api/v1/dossiers/{dossier}/sections/notities/entries").status_code == 200
    with pages_of(server, member) as http:
        page = http.get(f"/pro/jongeren/{dossier}")
        assert page.status_code == 200
        assert "via Zorgpartner Zuid" in page.text
        assert "data-org-key" in page.text
        admin.api.call(
            "DELETE", f"/api/v1/organisations/{org}/members/{member.unlocked().account_id}"
        )
        refused_api(api.get(f"/api/v1/dossiers/{dossier}/sections/notities/entries"))
        refused(http.get(f"/pro/jongeren/{dossier}"))
        refused(http.get(f"/pro/organisaties/{org}"))
    admin.rotate_org_key(org)
    with pages_of(server, admin) as http:
        page = http.get(f"/pro/organisaties/{org}")
        assert "verwijderd" in page.text
        assert "Notities" in page.text or "Gesprekken" in page.text
