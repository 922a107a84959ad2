"""The in-app unread state over real HTTP: each sharing event leaves a notice for exactly the
people it concerns, written in the event's own transaction (an entry's by the worker after the
write: `make_notices` does its part here), and "gelezen" clears it."""

import pytest

from dossier.client import ApiError
from tests.e2e.conftest import connect, introduce
from tests.support.notices import make_notices


def kinds(client):
    return sorted((n["kind"], n["section"]) for n in client.notices()["notices"])


def test_a_coach_note_is_new_for_the_youth_until_she_reads_that_section(youth, coach, settings):
    introduce(youth, coach)
    youth.share(["notities"], coach.unlocked().account_id, permissions=["append"], purpose="x")
    assert kinds(coach) == [("grant", "notities")]
    coach.write("notities", {"tekst": "gesprek"}, dossier_id=youth.unlocked().dossier_id)
    coach.write("notities", {"tekst": "nog een"}, dossier_id=youth.unlocked().dossier_id)
    assert youth.notices()["count"] == 0  # the worker has not run yet
    make_notices(settings.database_url)
    assert youth.notices()["count"] == 2
    assert kinds(youth) == [("entry", "notities"), ("entry", "notities")]
    assert youth.mark_read(youth.unlocked().dossier_id, "verhaal") == 0
    assert youth.mark_read(youth.unlocked().dossier_id, "notities") == 2
    assert youth.notices() == {"count": 0, "notices": []}


def test_the_youth_writing_in_a_shared_section_is_new_for_readers_only(youth, coach, settings):
    introduce(youth, coach)
    youth.write("verhaal", {"tekst": "eerste"})
    youth.share(["verhaal"], coach.unlocked().account_id, purpose="x")
    make_notices(settings.database_url)  # "eerste" was written before the coach could read
    coach.mark_read()
    youth.write("verhaal", {"tekst": "tweede"})
    youth.write("geld", {"tekst": "niet gedeeld"})
    make_notices(settings.database_url)
    assert kinds(coach) == [("entry", "verhaal")]
    assert youth.notices()["count"] == 0  # her own writing is not news to her


def test_request_answer_revoke_and_connection_reach_the_other_side(youth, coach):
    connect(youth, coach)
    assert [n["kind"] for n in coach.notices()["notices"]] == ["connection"]
    youth.write("contact", {"tekst": "06"})
    coach.request_access(youth.unlocked().dossier_id, ["contact"], purpose="Werk", days=30)
    assert [n["kind"] for n in youth.notices()["notices"]] == ["request"]
    youth.answer_request(youth.requests()[0])
    assert coach.notices()["count"] == 2  # connection, answer: one notice for the answer
    assert {n["kind"] for n in coach.notices()["notices"]} == {"connection", "answer"}
    coach.mark_read()
    youth.withdraw_request(youth.requests()[0])
    assert kinds(coach) == [("revoke", "contact")]


def test_a_refused_write_leaves_no_notice(youth, coach):
    introduce(youth, coach)
    with pytest.raises(ApiError):
        coach.write("notities", {"tekst": "mag niet"}, dossier_id=youth.unlocked().dossier_id)
    assert youth.notices()["count"] == 0


def test_notices_need_a_login_and_show_only_the_callers_own(youth, coach, server):
    from dossier.client import RugzakClient  # noqa: PLC0415

    introduce(youth, coach)
    youth.share(["verhaal"], coach.unlocked().account_id, purpose="x")
    assert youth.notices()["count"] == 0
    with RugzakClient(server) as nobody, pytest.raises(ApiError) as refused:
        nobody.notices()
    assert refused.value.status == 401
