"""The proposer's side of a request through the real API, the Python client and the pages, on
SQLite and PostgreSQL: withdrawing an unanswered handover proposal ("Voorstel intrekken"),
"Jouw vragen" saying to whom a handover went, and other professionals named by username and
organisation instead of an id (docs/professionals.md). Denials: only the proposer withdraws,
an answered request cannot be withdrawn, the youth cannot answer a withdrawn one."""

from __future__ import annotations

import re

import pytest

from dossier import crypto
from dossier.client import ApiError
from tests.browser.test_pro_access import pages_of
from tests.e2e.conftest import connect, professional
from tests.e2e.handover_support import org_name, propose, propose_to_org


def jouw_vragen(server, pro, dossier_id: str) -> str:
    with pages_of(server, pro) as http:
        page = http.get(f"/pro/jongeren/{dossier_id}")
    assert page.status_code == 200
    start = page.text.index('id="vragen"')
    return page.text[start : page.text.index("</ul>", start)]


def delen(server, youth) -> str:
    with pages_of(server, youth) as http:
        page = http.get("/delen")
    assert page.status_code == 200
    return page.text


def test_the_proposer_withdraws_a_handover_and_the_youth_can_no_longer_answer(
    server, youth, coach, coach_b, trajectory
):
    made = propose(coach, youth, coach_b)
    listed = jouw_vragen(server, coach, trajectory)
    to = f"{coach_b.unlocked().username} ({org_name(coach_b)})"
    assert "<strong>Overdracht</strong> aan <span data-handover-to" in listed
    assert to in listed  # to whom, from the server (A keeps no copy of the note)
    assert "Voorstel intrekken" in listed
    assert made["id"] in delen(server, youth)
    with pytest.raises(ApiError) as refused:  # only the proposer: not B, not the youth
        coach_b.retract_request(made)
    assert (refused.value.status, refused.value.code) == (404, "not-found")
    with pytest.raises(ApiError) as refused:
        youth.retract_request(made)
    assert refused.value.status == 404
    retracted = coach.retract_request(made)
    assert retracted["state"] == "retracted"
    fields = crypto.verify_statement(
        retracted["receipts"][-1], coach.unlocked().identity.public.sign_pk
    )
    assert (fields["kind"], fields["request"]) == ("consent-retract", made["id"])
    [request] = youth.requests()
    assert request["state"] == "retracted"
    with pytest.raises(ApiError) as refused:
        youth.answer_handover(request, display_name="Sam")
    assert (refused.value.status, refused.value.code) == (409, "request-retracted")
    assert "ingetrokken" in refused.value.problem["title"]
    assert not any(g["grantee_id"] == coach_b.unlocked().account_id for g in youth.grants())
    me = coach.unlocked().account_id
    assert any(e.action == "request:retract" and e.actor == me for e in youth.access_log())
    listed = jouw_vragen(server, coach, trajectory)
    assert "ingetrokken door jou" in listed
    assert "Voorstel intrekken" not in listed
    assert made["id"] not in delen(server, youth)  # her Delen screen no longer shows it


def test_an_answered_handover_cannot_be_withdrawn(youth, coach, coach_b, trajectory):
    made = propose(coach, youth, coach_b)
    [request] = youth.requests()
    youth.answer_handover(request, [], display_name="Sam")  # no
    with pytest.raises(ApiError) as refused:
        coach.retract_request(made)
    assert (refused.value.status, refused.value.code) == (409, "request-answered")
    assert youth.requests()[0]["state"] == "declined"


def test_jouw_vragen_names_the_organisation_a_handover_went_to(
    server, youth, coach, org_b, trajectory
):
    propose_to_org(coach, youth, org_b)
    listed = jouw_vragen(server, coach, trajectory)
    assert f'aan <span data-handover-to="{org_b[0]}">{org_b[1]}</span>' in listed
    with pages_of(server, coach) as http:  # my own proposal is no handover to me
        assert "Overgedragen aan jou" not in http.get(f"/pro/jongeren/{trajectory}").text


def test_another_professionals_entry_shows_their_username_and_organisation(server, youth, coach):
    connect(youth, coach)
    coach.create_organisation("Jongerenloket Noord", "jobcoach")
    colleague = professional(server)
    connect(youth, colleague)
    dossier = youth.unlocked().dossier_id
    youth.write("notities", {"tekst": "begin"})
    youth.share(
        ["notities"], coach.unlocked().account_id, permissions=("read", "append"), purpose="Traject"
    )
    youth.share(["notities"], colleague.unlocked().account_id, purpose="Traject")
    coach.write("notities", {"soort": "notitie", "tekst": "Gesprek gehad"}, dossier_id=dossier)
    with colleague, pages_of(server, colleague) as http:
        page = http.get(f"/pro/jongeren/{dossier}").text
    author = coach.unlocked().account_id
    name = f"{coach.unlocked().username} (Jongerenloket Noord)"
    assert f'data-author="{author}">{name}</span>' in page
    # Never the id as a name ("Professional 71C1B6DC"; the id itself is in data-author, so
    # its first eight characters alone, all digits now and then, prove nothing).
    assert not re.search(r"Professional [0-9A-F]{8}", page, re.IGNORECASE)
