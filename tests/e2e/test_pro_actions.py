"""GET /api/v1/grants/mine/plans ("Acties die binnenkort moeten") over real HTTP with the page
cookie and the CSRF header, as the caseload page's script calls it, on
SQLite and PostgreSQL: only plans shared with the caller (directly or through an organisation
they are an active member of) with read permission, one access-log read per youth, nothing
readable in the answer, and 403 problem+json for a youth whose plan is not shared."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import update

from consent.grants.models import Grant
from dossier import crypto
from dossier.client import RugzakClient
from tests.e2e.conftest import signed_up
from tests.oidc.support import page_session
from tests.support.sql import on_db

SECRET_ACTION = "Brief sturen naar de woningcorporatie"
SECRET_NAME = "Noor van Blaricum"


OPEN: list[RugzakClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while OPEN:
        OPEN.pop().close()


def client(url: str, kind: str = "youth") -> RugzakClient:
    c = signed_up(url, kind)
    OPEN.append(c)
    return c


@contextmanager
def pages_of(url: str, who: RugzakClient) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=30, follow_redirects=False) as http:
        page_session(http, url, who.api.token or "")
        yield http


def with_plan(url: str, coach: RugzakClient, *, name: str = "Sam") -> RugzakClient:
    youth = client(url)
    invite = coach.create_invite()
    youth.accept_invite(invite.token, name, "WhatsApp")
    youth.write("plan", {"doel": "Een huis", "actie": SECRET_ACTION, "wanneer": "2030-01-02"})
    return youth


def plan_reads(youth: RugzakClient, coach: RugzakClient) -> int:
    me = coach.unlocked().account_id
    return sum(
        1
        for e in youth.access_log()
        if e.actor == me and e.action == "section:read" and e.section == "plan"
    )


PLANS = "/api/v1/grants/mine/plans"


def get(http: httpx.Client, path: str) -> httpx.Response:
    return http.get(path, headers={"x-csrftoken": http.cookies["csrftoken"]})


def plans(http: httpx.Client) -> dict[str, dict]:
    answer = get(http, PLANS)
    assert answer.status_code == 200, answer.text[:300]
    return {p["dossier"]: p for p in answer.json()["plans"]}


def refused(answer: httpx.Response) -> None:
    assert answer.status_code == 403, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["title"] == "Je hebt hier geen toegang toe."


def test_only_shared_readable_plans_each_read_logged_once(server):
    coach, admin = client(server, "professional"), client(server, "professional")
    org = admin.create_organisation("Jongerenloket Noord", "jobcoach")
    admin.add_member(org, coach.unlocked().account_id)
    me = coach.unlocked().account_id
    direct = with_plan(server, coach, name=SECRET_NAME)
    direct.share(["plan"], me, purpose="Begeleiding")
    via_org = with_plan(server, coach)
    via_org.share(["plan"], org, purpose="Begeleiding")
    other_section = with_plan(server, coach)
    other_section.write("werk", {"nu": "Ik zoek werk"})
    other_section.share(["werk"], me, purpose="Begeleiding")
    append_only = with_plan(server, coach)
    append_only.share(["plan"], me, permissions=("append",), purpose="Begeleiding")
    revoked = with_plan(server, coach)
    revoked.share(["plan"], me, purpose="Begeleiding")
    revoked.revoke([g["id"] for g in revoked.grants()])
    youths = [direct, via_org, other_section, append_only, revoked]
    before = [plan_reads(y, coach) for y in youths]

    with pages_of(server, coach) as http:
        answer = get(http, PLANS)
        found = plans(http)

    assert set(found) == {direct.unlocked().dossier_id, via_org.unlocked().dossier_id}
    after = [plan_reads(y, coach) for y in youths]
    assert [a - b for a, b in zip(after, before, strict=True)] == [2, 2, 0, 0, 0]  # two GETs
    assert SECRET_ACTION not in answer.text
    assert SECRET_NAME not in answer.text
    assert "Een huis" not in answer.text
    mine = found[direct.unlocked().dossier_id]
    assert mine["org_key"] is None
    assert len(mine["entries"]) == 1
    assert mine["owner_id"] == direct.unlocked().account_id
    box = coach.unlocked().identity.box
    assert crypto.open_sealed(box, crypto.b64d(mine["envelope"]))  # sealed to me
    assert crypto.open_sealed(box, crypto.b64d(mine["card"]))
    assert found[via_org.unlocked().dossier_id]["org_key"] is not None
    # The other door to the same handler: the Python client with its bearer token.
    by_client = {p["dossier"]: p for p in coach.shared_plans()}
    assert set(by_client) == set(found)
    assert by_client[direct.unlocked().dossier_id]["entries"] == mine["entries"]


def test_a_plan_not_shared_is_refused_and_nothing_is_logged(server):
    coach = client(server, "professional")
    me = coach.unlocked().account_id
    shared = with_plan(server, coach)
    shared.share(["plan"], me, purpose="Begeleiding")
    not_shared = with_plan(server, coach)
    not_shared.write("werk", {"nu": "Ik zoek werk"})
    not_shared.share(["werk"], me, purpose="Begeleiding")
    with pages_of(server, coach) as http:
        refused(get(http, f"{PLANS}/{not_shared.unlocked().dossier_id}"))
        refused(get(http, f"{PLANS}/{coach.unlocked().account_id}"))  # no such dossier
        one = get(http, f"{PLANS}/{shared.unlocked().dossier_id}")
        assert one.status_code == 200
        assert [p["dossier"] for p in one.json()["plans"]] == [shared.unlocked().dossier_id]
    with pages_of(server, shared) as http:
        refused(get(http, PLANS))  # a youth is not a professional
    with pages_of(server, coach) as http:
        forged = http.get(PLANS)
    assert forged.status_code == 401  # the page cookie without the CSRF header is no caller
    assert forged.headers["content-type"].startswith("application/problem+json")
    anonymous = httpx.get(f"{server}{PLANS}", timeout=30)
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    assert plan_reads(not_shared, coach) == 0
    assert plan_reads(shared, coach) == 1


def test_expired_grants_and_removed_members_get_nothing(server, settings):
    coach, admin = client(server, "professional"), client(server, "professional")
    org = admin.create_organisation("Zorgpartner Zuid", "zorg")
    admin.add_member(org, coach.unlocked().account_id)
    via_org = with_plan(server, coach)
    via_org.share(["plan"], org, purpose="Zorg")
    expired = with_plan(server, coach)
    expired.share(["plan"], coach.unlocked().account_id, purpose="Begeleiding")
    with pages_of(server, coach) as http:
        assert len(plans(http)) == 2
        ended = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        dossier = uuid.UUID(expired.unlocked().dossier_id)
        on_db(
            settings.database_url,
            lambda c: c.execute(
                update(Grant).where(Grant.dossier_id == dossier).values(expires_at=ended)
            ),
        )
        assert set(plans(http)) == {via_org.unlocked().dossier_id}
        admin.api.call(
            "DELETE", f"/api/v1/organisations/{org}/members/{coach.unlocked().account_id}"
        )
        assert plans(http) == {}
        refused(get(http, f"{PLANS}/{via_org.unlocked().dossier_id}"))
    assert plan_reads(via_org, coach) == 2
    assert plan_reads(expired, coach) == 1
