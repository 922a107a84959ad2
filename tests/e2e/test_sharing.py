"""The youth's sharing through the Python client's door, on SQLite and PostgreSQL: the one
sharing answer the Delen page also starts from, and ending a connection, which revokes
everything shared with that person and rotates what they could read."""

from __future__ import annotations

import pytest

from dossier.client import ApiError
from tests.e2e.conftest import connect, signed_up
from tests.e2e.test_grants import denied, dossier_of, read_raw


def test_the_sharing_answer_is_the_owners_only(server, youth, coach):
    connection = connect(youth, coach)
    youth.write("plan", {"tekst": "stage zoeken"})
    [grant] = youth.share(["plan"], coach.unlocked().account_id, purpose="Werk")
    coach.request_access(dossier_of(youth), ["contact"], purpose="Bellen", days=30)
    state = youth.sharing()
    dossier = state["dossier"]
    assert (dossier["id"], dossier["owner_id"]) == (dossier_of(youth), youth.unlocked().account_id)
    assert all(section["owner_sealed_sk"] for section in dossier["sections"])
    assert [g["id"] for g in state["grants"]] == [grant]
    assert [r["sections"] for r in state["requests"]] == [["contact"]]
    assert [c["id"] for c in state["connections"]] == [connection]
    with signed_up(server) as other:
        for who in (coach, other):
            with pytest.raises(ApiError) as refused:
                who.api.call("GET", f"/api/v1/dossiers/{dossier_of(youth)}/sharing")
            assert refused.value.status == 403


def test_ending_a_connection_revokes_and_rotates(youth, coach):
    connection = connect(youth, coach)
    youth.write("plan", {"tekst": "stage zoeken"})
    youth.share(["plan"], coach.unlocked().account_id, purpose="Werk")
    youth.share(["notities"], coach.unlocked().account_id, purpose="Werk", permissions=["append"])
    assert youth.end_connection(connection) == ["plan"]
    assert coach.my_grants() == []
    denied(read_raw(coach, youth, "plan"), "revoked")
    assert youth.section("plan").key_version == 2
    assert youth.rotate_due() == []
    assert youth.connections() == []
