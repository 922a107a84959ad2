"""The warm handover through the real API and the Python client, on SQLite and PostgreSQL:
coach A proposes coach B (found by organisation, key code compared), the youth answers yes,
partly or no with her own signature, B is connected and reads what was granted, A steps down
when asked. Denials: A cannot grant for the youth, B reads nothing before the yes, an unknown
professional or a changed key code is refused, a note about another handover is refused by
the youth's client. The same for a handover to an organisation (A -> organisation B): any
member of B reads what was granted, nothing before the yes, a swapped organisation key is
refused by the server and by the youth's client."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import update

from consent.parties.models import Organisation
from dossier import crypto
from dossier.client import ApiError
from tests.browser.test_pro_access import pages_of
from tests.e2e.conftest import new_username, professional
from tests.e2e.handover_support import (
    NOTE,
    SECTIONS,
    org_name,
    propose,
    propose_to_org,
)
from tests.e2e.test_grants import denied, read_raw
from tests.support.sql import on_db


def kinds(client):
    return {n["kind"] for n in client.notices()["notices"]}


def test_yes_connects_the_next_professional_and_steps_the_proposer_down(
    youth, coach, coach_b, trajectory
):
    made = propose(coach, youth, coach_b, step_down=True)
    assert (made["kind"], made["step_down"], made["state"]) == ("handover", True, "open")
    denied(read_raw(coach_b, youth, "contact"), "no-grant")  # nothing before the yes
    assert coach_b.api.call("GET", f"/api/v1/dossiers/{trajectory}/requests") == []
    [request] = youth.requests()
    note = youth.handover_note(request)
    assert (note["name"], note["org"], note["text"]) == ("Karin de Boer", org_name(coach_b), NOTE)
    assert note["from_card"]["name"] == "Fatima Demir"
    answered = youth.answer_handover(request, display_name="Sam")
    assert answered["state"] == "answered"
    assert sorted(answered["rotation_due"]) == sorted(SECTIONS)
    fields = crypto.verify_statement(
        answered["receipts"][0], youth.unlocked().identity.public.sign_pk
    )
    assert (fields["answer"], fields["step_down"]) == ("yes", True)
    # B: connected with the youth's card, reads everything granted, and sees the note.
    [link] = coach_b.connections()
    assert (link.dossier_id, link.card["display_name"]) == (trajectory, "Sam")
    for key in SECTIONS:
        assert coach_b.entries(key, trajectory)[0].body == {"tekst": key}
    [seen] = coach_b.requests(trajectory)
    assert coach_b.handover_note(seen)["text"] == NOTE
    # A: stepped down, reads nothing; every section was rotated.
    for key in SECTIONS:
        denied(read_raw(coach, youth, key), "revoked")
        assert youth.section(key).key_version == 2
    assert {"handover"} <= kinds(coach_b)
    assert {"answer"} <= kinds(coach)
    assert any(c.other_id == coach_b.unlocked().account_id for c in youth.connections())


def test_partly_shares_only_what_the_youth_ticks_and_the_proposer_stays(
    youth, coach, coach_b, trajectory
):
    propose(coach, youth, coach_b)
    [request] = youth.requests()
    answered = youth.answer_handover(request, ["contact"], display_name="Sam")
    assert (answered["state"], answered["granted_sections"]) == ("answered", ["contact"])
    assert answered["rotation_due"] == []
    assert len(coach_b.connections()) == 1  # pins the youth's key, as opening the caseload does
    assert coach_b.entries("contact", trajectory)[0].body == {"tekst": "contact"}
    denied(read_raw(coach_b, youth, "verhaal"), "no-grant")
    assert coach.entries("verhaal", trajectory)[0].body == {"tekst": "verhaal"}


def test_no_changes_nothing(youth, coach, coach_b, trajectory):
    propose(coach, youth, coach_b, step_down=True)
    [request] = youth.requests()
    answered = youth.answer_handover(request, [])
    assert answered["state"] == "declined"
    assert coach_b.connections() == []
    denied(read_raw(coach_b, youth, "contact"), "no-grant")
    assert coach_b.api.call("GET", f"/api/v1/dossiers/{trajectory}/requests") == []
    assert coach.entries("plan", trajectory)[0].body == {"tekst": "plan"}
    assert "handover" not in kinds(coach_b)


def test_the_proposer_cannot_grant_or_answer_for_the_youth(youth, coach, coach_b, trajectory):
    made = propose(coach, youth, coach_b)
    item = {
        "id": str(uuid.uuid4()),
        "section": "contact",
        "grantee_kind": "person",
        "grantee_id": coach_b.unlocked().account_id,
        "receipt": {},
    }
    with pytest.raises(ApiError) as refused:
        coach.api.call("POST", f"/api/v1/dossiers/{trajectory}/grants", json={"grants": [item]})
    assert refused.value.status == 403
    statement = crypto.sign_statement(
        coach.unlocked().identity,
        {"kind": "consent-answer", "request": made["id"], "answer": "yes", "sections": []},
    )
    with pytest.raises(ApiError) as refused:
        coach.api.call(
            "POST",
            f"/api/v1/requests/{made['id']}/answer",
            json={"answer": "no", "statement": statement},
        )
    assert refused.value.status == 404
    denied(read_raw(coach_b, youth, "contact"), "no-grant")


def test_a_yes_without_the_card_is_refused(youth, coach, coach_b, trajectory):
    propose(coach, youth, coach_b)
    [request] = youth.requests()
    with pytest.raises(ApiError) as refused:
        youth.answer_request(request)
    assert refused.value.code == "invalid-input"
    assert youth.requests()[0]["state"] == "open"
    assert coach_b.connections() == []


def test_an_unknown_professional_or_a_changed_key_code_is_refused(
    server, youth, coach, coach_b, trajectory
):
    for who in (str(uuid.uuid4()), youth.unlocked().account_id, coach.unlocked().account_id):
        with pytest.raises(ApiError) as refused:
            propose(coach, youth, coach_b, id=who)
        assert (refused.value.status, refused.value.code) == (404, "unknown-professional")
    with pytest.raises(ApiError) as refused:
        coach.api.call(
            "POST",
            f"/api/v1/dossiers/{trajectory}/requests",
            json={
                "kind": "handover",
                "sections": ["contact"],
                "purpose": "Werk",
                "grantee_id": coach_b.unlocked().account_id,
                "grantee_key": "1234 5678 9012 3456",
                "note_owner": crypto.b64e(bytes(200)),
                "note_grantee": crypto.b64e(bytes(200)),
            },
        )
    assert (refused.value.status, refused.value.code) == (400, "key-mismatch")
    assert youth.requests() == []


def test_only_a_connected_professional_proposes(youth, coach, coach_b, trajectory):
    """B, not connected to this youth, cannot propose anyone."""
    with pytest.raises(ApiError) as refused:
        coach_b.api.call(
            "POST",
            f"/api/v1/dossiers/{trajectory}/requests",
            json={
                "kind": "handover",
                "sections": ["contact"],
                "purpose": "Werk",
                "grantee_id": coach.unlocked().account_id,
            },
        )
    assert refused.value.status == 403
    assert youth.requests() == []


def test_the_youths_client_refuses_a_note_about_another_handover(youth, coach, coach_b, trajectory):
    propose(coach, youth, coach_b)
    [request] = youth.requests()
    with pytest.raises(crypto.TamperedError):
        youth.handover_note(request | {"grantee_id": coach.unlocked().account_id})
    with pytest.raises(crypto.CryptoError):
        youth.handover_note(request | {"note_owner": request["note_grantee"]})


def test_a_youth_is_never_a_candidate(youth, coach, coach_b, trajectory):
    found = coach.handover_candidates(youth.unlocked().username)
    assert youth.unlocked().account_id not in {c["id"] for c in found}
    assert coach.handover_candidates("w") == []
    with pytest.raises(ApiError) as refused:
        youth.handover_candidates("werkplein")
    assert refused.value.status == 403


# -- A -> organisation B ---------------------------------------------------------------------


def in_caseload(server, pro, dossier_id: str) -> str | None:
    """The row of Mijn jongeren (GET /pro) for this dossier, or None."""
    with pages_of(server, pro) as http:
        page = http.get("/pro")
    assert page.status_code == 200
    start = page.text.find(f'data-dossier="{dossier_id}"')
    return None if start < 0 else page.text[start : page.text.index("</tr>", start)]


def test_a_yes_hands_over_to_an_organisation_and_steps_the_proposer_down(
    server, youth, coach, coach_b, org_b, trajectory
):
    org, name, member = org_b
    made = propose_to_org(coach, youth, org_b, step_down=True)
    assert (made["grantee_kind"], made["grantee_id"]) == ("organisation", org)
    assert made["state"] == "open"
    for pro in (coach_b, member):  # B reads nothing before the yes, not even the request
        assert in_caseload(server, pro, trajectory) is None
        denied(read_raw(pro, youth, "contact"), "no-grant")
        assert pro.api.call("GET", f"/api/v1/dossiers/{trajectory}/requests") == []
        assert pro.my_grants() == []
        assert "handover" not in kinds(pro)
    [request] = youth.requests()
    assert youth.handover_note(request)["org"] == name
    answered = youth.answer_handover(request)
    assert (answered["state"], sorted(answered["rotation_due"])) == ("answered", sorted(SECTIONS))
    # Every member of B finds the youth under B's grants and reads the granted sections.
    youth_key = youth.unlocked()
    for pro in (coach_b, member):
        grants = pro.my_grants()
        assert {(g["grantee_kind"], g["grantee_id"]) for g in grants} == {("organisation", org)}
        assert {g["dossier_id"] for g in grants} == {trajectory}
        assert {g["section"] for g in grants} == set(SECTIONS)
        pro.pin(youth_key.account_id, youth_key.identity.public)  # compared in person
        for key in SECTIONS:
            assert pro.entries(key, trajectory)[0].body == {"tekst": key}
        [seen] = pro.requests(trajectory)
        assert pro.handover_note(seen)["text"] == NOTE  # sealed to the organisation key
        assert "handover" in kinds(pro)
        assert pro.connections() == []  # an organisation has no connection, and no card
        row = in_caseload(server, pro, trajectory)  # but she is a row in Mijn jongeren
        assert row is not None
        assert f"via {name}" in row
        assert "data-via-org" in row
        assert "Naam niet gedeeld" in row  # no card sealed to me
    # A: stepped down, reads nothing; every section was rotated (B's grants survive it).
    for key in SECTIONS:
        denied(read_raw(coach, youth, key), "revoked")
        assert youth.section(key).key_version == 2
    assert member.entries("verhaal", trajectory)[0].body == {"tekst": "verhaal"}
    # A member removed from B, and a member of another organisation, have no such row.
    outsider = professional(server)
    outsider.create_organisation(new_username("Ander team "), "jobcoach")
    coach_b.remove_member(org, member.unlocked().account_id)
    for pro in (member, outsider):
        assert in_caseload(server, pro, trajectory) is None
    outsider.close()


def test_a_swapped_organisation_key_is_refused(settings, youth, coach, org_b, trajectory):
    org = org_b[0]
    forged = crypto.Identity.generate().public
    with pytest.raises(ApiError) as refused:  # A compared the digits of another key than B's
        propose_to_org(coach, youth, org_b, identity=forged.to_json())
    assert (refused.value.status, refused.value.code) == (400, "key-mismatch")
    assert youth.requests() == []
    # The server shows another key for B after the proposal: the youth's client says no yes.
    propose_to_org(coach, youth, org_b)
    [request] = youth.requests()
    swap = update(Organisation).where(Organisation.id == uuid.UUID(org))
    on_db(
        settings.database_url,
        lambda c: c.execute(swap.values(box_pk=forged.box_pk, sign_pk=forged.sign_pk)),
    )
    with pytest.raises(crypto.TamperedError):
        youth.answer_handover(request)
    assert youth.requests()[0]["state"] == "open"
    assert all(g["grantee_id"] != org for g in youth.grants())


def test_a_handover_to_an_unknown_organisation_or_with_a_card_is_refused(
    youth, coach, org_b, trajectory
):
    with pytest.raises(ApiError) as refused:
        propose_to_org(coach, youth, org_b, id=str(uuid.uuid4()))
    assert (refused.value.status, refused.value.code) == (404, "unknown-professional")
    propose_to_org(coach, youth, org_b)
    [request] = youth.requests()
    with pytest.raises(ApiError) as refused:  # an organisation gets no card
        youth.answer_request(request, card=crypto.b64e(bytes(200)))
    assert refused.value.code == "invalid-input"
    assert youth.requests()[0]["state"] == "open"
