"""Nazorg: a professional's aftercare proposal, answered yes, is a step-down (everything else
that professional may do ends in the same transaction, the sections read before are rotated);
the youth can also put a professional "op de achtergrond" from Delen. On SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from dossier import crypto
from dossier.client import ApiError
from tests.browser.test_pro_access import pages_of
from tests.e2e.conftest import connect
from tests.e2e.test_grants import denied, read_raw

SECTIONS = ("contact", "plan", "geld")


@pytest.fixture
def trajectory(youth, coach):
    """A coach who reads contact, plan and geld, and has proposed nazorg."""
    connect(youth, coach)
    for key in SECTIONS:
        youth.write(key, {"tekst": key})
    youth.share(SECTIONS, coach.unlocked().account_id, purpose="Traject")
    return coach.request_access(
        youth.unlocked().dossier_id,
        ["contact", "plan"],
        purpose="Nazorg",
        days=182,
        aftercare=True,
    )


def active_sections(youth):
    return sorted(g["section"] for g in youth.grants() if g["state"] == "active")


def test_yes_to_aftercare_keeps_only_contact_and_plan(youth, coach, trajectory):
    [request] = youth.requests()
    assert request["kind"] == "aftercare"
    answered = youth.answer_request(request)
    assert sorted(answered["rotation_due"]) == sorted(SECTIONS)
    assert active_sections(youth) == ["contact", "plan"]
    denied(read_raw(coach, youth, "geld"), "revoked")
    assert coach.entries("plan", youth.unlocked().dossier_id)[0].body == {"tekst": "plan"}
    assert youth.section("geld").key_version == 2  # rotated: the old key opens nothing new
    fields = crypto.verify_statement(
        answered["receipts"][0], youth.unlocked().identity.public.sign_pk
    )
    assert (fields["answer"], fields["step_down"]) == ("yes", True)
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(days=183)).isoformat()
    assert all(g["expires_at"] < soon for g in youth.grants() if g["state"] == "active")


def test_no_to_aftercare_changes_nothing(youth, coach, trajectory):
    answered = youth.answer_request(youth.requests()[0], sections=[])
    assert (answered["state"], answered["rotation_due"]) == ("declined", [])
    assert active_sections(youth) == sorted(SECTIONS)
    assert coach.entries("geld", youth.unlocked().dossier_id)[0].body == {"tekst": "geld"}


@pytest.mark.parametrize("kind", ["access", "aftercare"])
def test_the_signed_answer_must_say_whether_it_steps_down(youth, coach, trajectory, kind):
    """A client that does not show the step-down (or claims one for a plain request) is
    refused, and nothing changes."""
    request = youth.requests()[0] | {"kind": "access" if kind == "aftercare" else "aftercare"}
    if kind == "access":
        plain = coach.request_access(youth.unlocked().dossier_id, ["verhaal"], purpose="Werk")
        request = next(r for r in youth.requests() if r["id"] == plain["id"]) | {
            "kind": "aftercare"
        }
    with pytest.raises(ApiError) as refused:
        youth.answer_request(request)
    assert refused.value.code == "invalid-input"
    assert all(r["state"] == "open" for r in youth.requests())
    assert active_sections(youth) == sorted(SECTIONS)


def step_down_items(youth, party, keep=("contact", "plan")):
    until = dt.datetime.now(dt.UTC) + dt.timedelta(days=182)
    return [
        youth.grant_item(
            youth.section(key), party, permissions=["read"], purpose="Nazorg", expires_at=until
        )
        for key in keep
    ]


def step_down_path(youth, party):
    return f"/api/v1/dossiers/{youth.unlocked().dossier_id}/parties/{party}/step-down"


def csrf(http):
    return {"x-csrftoken": http.cookies["csrftoken"], "accept": "application/json"}


def test_the_youth_puts_a_professional_op_de_achtergrond(server, youth, coach, trajectory):
    party = coach.unlocked().account_id
    path = step_down_path(youth, party)
    body = {"grants": step_down_items(youth, party)}
    with pages_of(server, youth) as http:
        answer = http.post(path, json=body, headers=csrf(http))
        assert answer.status_code == 200, answer.text
    assert sorted(answer.json()["sections"]) == sorted(SECTIONS)
    assert active_sections(youth) == ["contact", "plan"]
    denied(read_raw(coach, youth, "geld"), "revoked")
    events = [e.action for e in youth.access_log()]
    assert events.count("grant:step-down") == len(SECTIONS) + 2


def test_the_step_down_route_refuses_and_changes_nothing(server, youth, coach, trajectory):
    party = coach.unlocked().account_id
    path = step_down_path(youth, party)
    with pages_of(server, youth) as http:
        # the page cookie without the CSRF header is no credential for the API
        assert http.post(path, json={"grants": step_down_items(youth, party)}).status_code == 401
        for where, body in (
            # a step-down that gives nothing is a revoke, not a step-down
            (path, {"grants": []}),
            # grants to the coach, sent as the step-down of someone else
            (
                step_down_path(youth, uuid.uuid4()),
                {"grants": step_down_items(youth, party)},
            ),
        ):
            refused = http.post(where, json=body, headers=csrf(http))
            assert refused.status_code == 400, refused.text
            assert refused.headers["content-type"].startswith("application/problem+json")
    with pages_of(server, coach) as http:
        refused = http.post(path, json={"grants": []}, headers=csrf(http))
        assert refused.status_code in (403, 404)
    assert active_sections(youth) == sorted(SECTIONS)
