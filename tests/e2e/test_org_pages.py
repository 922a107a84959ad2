"""The organisation pages and the `/api/v1/organisations` routes their scripts call refuse
whoever may not use them (on SQLite and PostgreSQL): outsiders, plain members for admin work,
removed members at once, youths, a request without its CSRF token, and invite links that are
unknown or used. Pages and API are fetched as the browser does (the HttpOnly cookie and the
CSRF token)."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from dossier import crypto
from tests.browser.test_pro_access import pages_of, refused, refused_api
from tests.e2e.conftest import signed_up
from tests.support.sql import sql

DATA = "/api/v1/organisations"


@pytest.fixture
def people(server):
    made = [signed_up(server, k) for k in ("professional", "professional", "professional", "youth")]
    yield made
    for client in made:
        client.close()


def data_routes(org: str, someone: str) -> list[tuple[str, str, dict | None]]:
    """Every route with a well-formed body, so only who asks can be the reason to refuse."""
    key = crypto.Identity.generate()
    sealed = crypto.b64e(crypto.seal_to(key.public.box_pk, key.secret()))
    attested = crypto.sign_membership(key, org, someone, key.public, 1)
    rotation = {
        "old_key_version": 1,
        "identity": key.public.to_json(),
        "succession": crypto.sign_succession(key, org, key.public, 2),
        "members": [{"account_id": someone, "sealed_org_key": sealed, "attestation": attested}],
        "grants": [],
    }
    member = {
        "account_id": someone,
        "role": "member",
        "key_version": 1,
        "sealed_org_key": sealed,
        "attestation": attested,
    }
    return [
        ("GET", f"{DATA}/{org}/key", None),
        ("GET", f"{DATA}/{org}/rotation", None),
        ("POST", f"{DATA}/{org}/rotation", rotation),
        ("POST", f"{DATA}/{org}/members", member),
        ("DELETE", f"{DATA}/{org}/members/{someone}", None),
    ]


def call(http: httpx.Client, method: str, path: str, body: dict | None) -> httpx.Response:
    return http.request(method, path, json=body, headers={"x-csrftoken": http.cookies["csrftoken"]})


def test_data_routes_refuse_outsiders_members_and_removed_members(server, people):
    admin, member, outsider, youth = people
    org = admin.create_organisation("Team Jong Deventer", "gemeente")
    admin.add_member(org, member.unlocked().account_id)
    admin_id = str(admin.unlocked().account_id)
    for who in (outsider, youth):
        with pages_of(server, who) as http:
            for method, path, body in data_routes(org, admin_id):
                refused_api(call(http, method, path, body))
            # A missing organisation looks the same as one you are not in.
            refused_api(call(http, "GET", f"{DATA}/{uuid.uuid4()}/key", None))
    with pages_of(server, member) as http:
        assert call(http, "GET", f"{DATA}/{org}/key", None).status_code == 200
        for method, path, body in data_routes(org, admin_id)[1:]:
            refused_api(call(http, method, path, body))  # admin work
        admin.api.call(
            "DELETE", f"/api/v1/organisations/{org}/members/{member.unlocked().account_id}"
        )
        refused_api(call(http, "GET", f"{DATA}/{org}/key", None))  # at once


def test_youths_create_no_organisation_and_csrf_is_required(server, people):
    admin, _, _, youth = people
    body = {"id": str(uuid.uuid4()), "name": "Nep", "kind": "zorg", "identity": {}}
    with pages_of(server, youth) as http:
        refused_api(call(http, "POST", DATA, body | {"sealed_org_key": "AA", "attestation": {}}))
    org = admin.create_organisation("Zorg West", "zorg")
    with pages_of(server, admin) as http:
        # The API ignores the page cookie without the CSRF header, on every method.
        for forged in (
            http.get(f"{DATA}/{org}/key"),
            http.delete(f"{DATA}/{org}/members/{admin.unlocked().account_id}"),
        ):
            assert forged.status_code == 401
            assert forged.headers["content-type"].startswith("application/problem+json")
        assert call(http, "GET", f"{DATA}/{org}/key", None).status_code == 200
        bad = call(http, "POST", DATA, {"name": ""})
        assert bad.status_code == 422  # the body's shape: "validation"
        assert bad.headers["content-type"].startswith("application/problem+json")
    assert [o["id"] for o in admin.organisations()] == [org]


@pytest.mark.own_database  # counts every member_invite
def test_only_admins_make_and_withdraw_invites(settings, server, people):
    admin, member, outsider, _ = people
    org = admin.create_organisation("ROC Oost", "school")
    admin.add_member(org, member.unlocked().account_id)
    with pages_of(server, admin) as http:
        csrf = http.cookies["csrftoken"]
        assert "Collega uitnodigen" in http.get(f"/pro/organisaties/{org}").text
        made = http.post(
            f"/pro/organisaties/{org}/uitnodigingen", data={"rol": "admin", "_csrf_token": csrf}
        )
        assert made.status_code == 200
        assert re.search(r"/pro/lid-worden/[\w-]{43}", made.text)
        bad = http.post(
            f"/pro/organisaties/{org}/uitnodigingen", data={"rol": "baas", "_csrf_token": csrf}
        )
        assert bad.status_code == 400
        listed = http.get(f"/pro/organisaties/{org}").text
        [invite_id] = re.findall(r"/uitnodigingen/([0-9a-f-]{36})/intrekken", listed)
    for who in (member, outsider):
        with pages_of(server, who) as http:
            csrf = http.cookies["csrftoken"]
            page = http.get(f"/pro/organisaties/{org}")
            if who is member:  # a member sees the organisation, not its invites
                assert page.status_code == 200
                assert "ROC Oost" in page.text
                assert "Collega uitnodigen" not in page.text
            else:
                refused(page)
            refused(
                http.post(
                    f"/pro/organisaties/{org}/uitnodigingen",
                    data={"rol": "member", "_csrf_token": csrf},
                )
            )
            refused(
                http.post(
                    f"/pro/organisaties/{org}/uitnodigingen/{invite_id}/intrekken",
                    data={"_csrf_token": csrf},
                )
            )
    assert sql(settings.database_url, "SELECT count(*) FROM member_invite") == [(1,)]


def test_invite_links_refuse_unknown_used_and_youths(server, people):
    admin, colleague, other, youth = people
    org = admin.create_organisation("Jobcoach Zuid", "jobcoach")
    with pages_of(server, admin) as http:
        made = http.post(
            f"/pro/organisaties/{org}/uitnodigingen",
            data={"rol": "member", "_csrf_token": http.cookies["csrftoken"]},
        )
        path = re.search(r"/pro/lid-worden/[\w-]{43}", made.text).group(0)
    with httpx.Client(base_url=server) as anonymous:
        unknown = anonymous.get("/pro/lid-worden/bestaat-niet")
        assert unknown.status_code == 404
        assert "Deze uitnodiging werkt niet meer." in unknown.text
        page = anonymous.get(path)
        assert page.status_code == 200
        assert "Jobcoach Zuid" in page.text
        assert "Log in om lid te worden" in page.text
    with pages_of(server, youth) as http:
        assert "Alleen een professional" in http.get(path).text
        refused(http.post(path, data={"_csrf_token": http.cookies["csrftoken"]}))
    with pages_of(server, colleague) as http:
        accepted = http.post(path, data={"_csrf_token": http.cookies["csrftoken"]})
        assert accepted.status_code == 303
        assert "mijn-sleutelcode" in http.get(path).text
    with pages_of(server, other) as http:
        used = http.post(path, data={"_csrf_token": http.cookies["csrftoken"]})
        assert used.status_code == 404
        assert "Deze uitnodiging werkt niet meer." in used.text
