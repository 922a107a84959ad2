"""The partner API over real HTTP on SQLite and PostgreSQL: a school's student information
system gets an OAuth 2.0 client-credentials token from Rugzak and runs a campaign with it;
a wrong secret, an expired token, a missing scope and a revoked client are refused with
problem+json."""

import base64
import datetime as dt
import uuid

import httpx
import pytest
from sqlalchemy import select, update

from consent.campaigns.models import PartnerClient, PartnerToken
from dossier.client import ApiError, RugzakClient
from tests.e2e.conftest import PASSPHRASE, new_username
from tests.support.sql import on_db

PROBLEM = "application/problem+json"


@pytest.fixture
def school(server):
    """A school's admin, the school, a member who is not an admin, and a job coach org."""
    admin, member, coach = (RugzakClient(server) for _ in range(3))
    for client in (admin, member, coach):
        client.sign_up(new_username("pro"), PASSPHRASE, birth_date=None, kind="professional")
    org = admin.create_organisation("ROC Deventer", "school")
    admin.add_member(org, member.unlocked().username)
    jobcoach = coach.create_organisation("Jobcoach Deventer", "jobcoach")
    yield admin, member, org, jobcoach
    for client in (admin, member, coach):
        client.close()


def new_client(admin, org: str, scopes=("campaign:write", "campaign:read")) -> dict:
    path = f"/api/v1/organisations/{org}/partner-clients"
    return dict(admin.api.call("POST", path, json={"name": "Eduarte", "scopes": list(scopes)}))


def basic(client_id: str, secret: str) -> dict[str, str]:
    pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"authorization": f"Basic {pair}"}


def get_token(http: httpx.Client, made: dict, **form: str) -> httpx.Response:
    return http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", **form},
        headers=basic(made["client_id"], made["client_secret"]),
    )


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def assert_problem(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["type"].endswith("/" + code)
    assert body["title"]
    return body


def campaign_body(jobcoach: str) -> dict:
    return {
        "receiver_id": jobcoach,
        "title": "Diploma 2026",
        "purpose": "Warme overdracht naar de jobcoach",
        "closes_on": (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=20)).isoformat(),
    }


def test_a_student_information_system_runs_a_campaign(server, settings, school):
    admin, _, org, jobcoach = school
    made = new_client(admin, org)
    assert made["client_secret"]
    listed = admin.api.call("GET", f"/api/v1/organisations/{org}/partner-clients")
    assert [c["client_secret"] for c in listed] == [None]

    async def secret_hash(connection):
        return await connection.scalar(
            select(PartnerClient.secret_hash).where(
                PartnerClient.id == uuid.UUID(made["client_id"])
            )
        )

    assert made["client_secret"].encode() not in on_db(settings.database_url, secret_hash)

    with httpx.Client(base_url=server) as http:
        issued = get_token(http, made)
        assert issued.status_code == 200
        token = issued.json()
        assert token["token_type"] == "Bearer"
        assert token["expires_in"] == 3600
        assert set(token["scope"].split()) == {"campaign:read", "campaign:write"}
        assert issued.headers["cache-control"] == "no-store"
        # The secret in the form (client_secret_post) works as well.
        post = http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": made["client_id"],
                "client_secret": made["client_secret"],
                "scope": "campaign:read",
            },
        )
        assert post.json()["scope"] == "campaign:read"

        auth = bearer(token["access_token"])
        created = http.post("/partner/v1/campaigns", json=campaign_body(jobcoach), headers=auth)
        assert created.status_code == 201, created.text
        cid = created.json()["id"]
        assert created.json()["school"]["id"] == org
        upload = http.post(
            f"/partner/v1/campaigns/{cid}/students",
            content=b"referentie\n1001\n1002\n1003\n",
            headers={**auth, "content-type": "text/csv"},
        )
        assert upload.status_code == 201, upload.text
        links = upload.json()["links"]
        assert [link["reference"] for link in links] == ["1001", "1002", "1003"]
        assert links[0]["link"].startswith(f"{settings.base_url}/campagne/")
        bad = http.post(
            f"/partner/v1/campaigns/{cid}/students",
            content=b"referentie\n1001\n",
            headers={**auth, "content-type": "text/csv"},
        )
        body = assert_problem(bad, 422, "roster-rejected")
        assert body["errors"][0]["message"].startswith("Regel 2")
        assert http.get(f"/api/v1/campaign-invites/{links[0]['token']}").status_code == 200
        status = http.get(f"/partner/v1/campaigns/{cid}/status", headers=auth)
        assert status.json()["counts"]["opened"] == 1
        assert status.json()["counts"]["not_opened"] == 2
        exported = http.get(f"/partner/v1/campaigns/{cid}/status.csv", headers=auth)
        assert exported.text.splitlines()[1] == "1001,geopend"
        assert [c["id"] for c in http.get("/partner/v1/campaigns", headers=auth).json()] == [cid]
        # The school's staff see the same campaign through their own login.
        assert admin.api.call("GET", f"/api/v1/campaigns/{cid}/status")["counts"]["opened"] == 1


def test_refusals_are_problems(server, settings, school):
    admin, member, org, jobcoach = school
    made = new_client(admin, org)
    reader = new_client(admin, org, scopes=("campaign:read",))
    with pytest.raises(ApiError) as not_admin:
        new_client(member, org)
    assert not_admin.value.status == 403

    with httpx.Client(base_url=server) as http:
        wrong = http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            headers=basic(made["client_id"], "niet-het-geheim"),
        )
        body = assert_problem(wrong, 401, "oauth-invalid-client")
        assert body["error"] == "invalid_client"
        assert wrong.headers["www-authenticate"].startswith("Basic")
        unknown = get_token(http, {"client_id": str(uuid.uuid4()), "client_secret": "x"})
        assert_problem(unknown, 401, "oauth-invalid-client")
        too_much = get_token(http, reader, scope="campaign:write")
        assert assert_problem(too_much, 400, "oauth-invalid-scope")["error"] == "invalid_scope"
        other_grant = http.post(
            "/oauth/token",
            data={"grant_type": "password", "username": "x", "password": "y"},
            headers=basic(made["client_id"], made["client_secret"]),
        )
        assert_problem(other_grant, 400, "oauth-unsupported-grant-type")

        # Wrong scope: a read-only token cannot write.
        read_token = get_token(http, reader).json()["access_token"]
        denied = http.post(
            "/partner/v1/campaigns", json=campaign_body(jobcoach), headers=bearer(read_token)
        )
        assert assert_problem(denied, 403, "insufficient-scope")["error"] == "insufficient_scope"
        assert 'error="insufficient_scope"' in denied.headers["www-authenticate"]
        assert http.get("/partner/v1/campaigns", headers=bearer(read_token)).status_code == 200

        # No token, a made-up token, and a login session token are all refused.
        assert_problem(http.get("/partner/v1/campaigns"), 401, "invalid-token")
        assert_problem(
            http.get("/partner/v1/campaigns", headers=bearer("x" * 43)), 401, "invalid-token"
        )
        session = bearer(admin.api.token or "")
        assert_problem(http.get("/partner/v1/campaigns", headers=session), 401, "invalid-token")

        # Expired token.
        token = get_token(http, made).json()["access_token"]
        assert http.get("/partner/v1/campaigns", headers=bearer(token)).status_code == 200

        async def expire(connection):
            await connection.execute(
                update(PartnerToken).values(
                    expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
                )
            )

        on_db(settings.database_url, expire)
        expired = http.get("/partner/v1/campaigns", headers=bearer(token))
        assert assert_problem(expired, 401, "invalid-token")["error"] == "invalid_token"
        assert 'error="invalid_token"' in expired.headers["www-authenticate"]

        # A revoked client is refused at once: its live token and any new token request.
        token = get_token(http, made).json()["access_token"]
        assert http.get("/partner/v1/campaigns", headers=bearer(token)).status_code == 200
        admin.api.call("DELETE", f"/api/v1/organisations/{org}/partner-clients/{made['client_id']}")
        assert_problem(
            http.get("/partner/v1/campaigns", headers=bearer(token)), 401, "invalid-token"
        )
        assert_problem(get_token(http, made), 401, "oauth-invalid-client")
        listed = admin.api.call("GET", f"/api/v1/organisations/{org}/partner-clients")
        assert [c["revoked_at"] is not None for c in listed] == [True, False]


def test_a_partner_reaches_only_its_own_school(server, school):
    admin, _, org, jobcoach = school
    made = new_client(admin, org)
    with RugzakClient(server) as other_admin:
        other_admin.sign_up(new_username("pro"), PASSPHRASE, birth_date=None, kind="professional")
        other_org = other_admin.create_organisation("ROC Elders", "school")
        theirs = other_admin.api.call(
            "POST", f"/api/v1/organisations/{other_org}/campaigns", json=campaign_body(jobcoach)
        )
    with httpx.Client(base_url=server) as http:
        auth = bearer(get_token(http, made).json()["access_token"])
        for path in (
            f"/partner/v1/campaigns/{theirs['id']}",
            f"/partner/v1/campaigns/{theirs['id']}/status",
        ):
            assert_problem(http.get(path, headers=auth), 404, "not-found")
        upload = http.post(
            f"/partner/v1/campaigns/{theirs['id']}/students",
            content=b"referentie\n1\n",
            headers={**auth, "content-type": "text/csv"},
        )
        assert_problem(upload, 404, "not-found")
        assert http.get("/partner/v1/campaigns", headers=auth).json() == []
