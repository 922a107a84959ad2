"""Consent requests: a connected party asks; the youth answers yes, partly or no, and can
withdraw from the same place; every state change leaves a receipt signed by the youth."""

import pytest

from dossier import crypto
from dossier.client import ApiError, RugzakClient
from tests.e2e.conftest import PASSPHRASE, connect, new_username


@pytest.fixture
def asked(youth, coach):
    connect(youth, coach)
    for key in ("contact", "plan", "geld"):
        youth.write(key, {"tekst": key})
    return coach.request_access(
        youth.unlocked().dossier_id, ["contact", "plan", "geld"], purpose="Werk zoeken", days=90
    )


def owner_key(youth):
    return youth.unlocked().identity.public.sign_pk


def test_the_youth_sees_who_asks_what_why_and_how_long(youth, coach, asked):
    [seen] = youth.requests()
    assert (seen["requester_id"], seen["sections"], seen["purpose"], seen["period_days"]) == (
        coach.unlocked().account_id,
        ["contact", "geld", "plan"],
        "Werk zoeken",
        90,
    )
    assert seen["state"] == "open"


def test_yes_to_part_grants_only_that_part(youth, coach, asked):
    answered = youth.answer_request(youth.requests()[0], sections=["contact", "plan"])
    assert (answered["state"], answered["granted_sections"]) == ("answered", ["contact", "plan"])
    assert coach.entries("contact", youth.unlocked().dossier_id)[0].body == {"tekst": "contact"}
    with pytest.raises(ApiError):
        coach.api.call(
            "GET", f"/api/v1/dossiers/{youth.unlocked().dossier_id}/sections/geld/entries"
        )
    [statement] = answered["receipts"]
    assert crypto.verify_statement(statement, owner_key(youth))["answer"] == "partly"
    grants = [g for g in youth.grants() if g["request_id"] == asked["id"]]
    for grant in grants:
        crypto.ConsentReceipt.from_json(grant["receipt"]).verify(owner_key(youth))


def test_no_records_a_signed_decline_and_grants_nothing(youth, coach, asked):
    answered = youth.answer_request(youth.requests()[0], sections=[])
    assert answered["state"] == "declined"
    assert youth.grants() == []
    assert crypto.verify_statement(answered["receipts"][0], owner_key(youth))["answer"] == "no"


def test_withdraw_revokes_and_rotates_in_one_action(youth, coach, asked):
    youth.answer_request(youth.requests()[0])
    assert len(coach.entries("geld", youth.unlocked().dossier_id)) == 1
    rotated = youth.withdraw_request(youth.requests()[0])
    assert set(rotated) == {"contact", "geld", "plan"}
    [request] = youth.requests()
    assert request["state"] == "withdrawn"
    kinds = [crypto.verify_statement(r, owner_key(youth))["kind"] for r in request["receipts"]]
    assert kinds == ["consent-answer", "consent-withdraw"]
    with pytest.raises(ApiError) as refused:
        coach.api.call(
            "GET", f"/api/v1/dossiers/{youth.unlocked().dossier_id}/sections/geld/entries"
        )
    assert refused.value.problem["detail"] == "revoked"
    assert youth.section("geld").key_version == 2


def test_an_answer_cannot_grant_more_than_was_asked(youth, coach, asked):
    request = youth.requests()[0] | {"sections": ["contact", "geld", "plan", "verhaal"]}
    with pytest.raises(ApiError) as refused:
        youth.answer_request(request)
    assert refused.value.code == "invalid-input"
    assert youth.requests()[0]["state"] == "open"


def test_only_a_connected_professional_may_ask(server, youth):
    with RugzakClient(server) as stranger:
        stranger.sign_up(new_username("coach"), PASSPHRASE, birth_date=None, kind="professional")
        with pytest.raises(ApiError) as refused:
            stranger.request_access(youth.unlocked().dossier_id, ["contact"], purpose="x")
        assert refused.value.status == 403


def test_only_the_owner_answers(youth, coach, asked):
    with pytest.raises(ApiError) as refused:
        coach.api.call(
            "POST",
            f"/api/v1/requests/{asked['id']}/answer",
            json={"answer": "no", "statement": {}, "grants": []},
        )
    assert refused.value.status == 404
    assert [r["id"] for r in coach.requests(youth.unlocked().dossier_id)] == [asked["id"]]
