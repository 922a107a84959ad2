"""Ending a connection from the Delen page (`DELETE /api/v1/connections/{id}` with the page
cookie and the CSRF header, revoking everything shared with that person in the same
transaction) refuses anyone but the youth of that connection, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from dossier.client import RugzakClient
from tests.browser.test_pro_access import pages_of
from tests.e2e.conftest import ADULT, PASSPHRASE, connect, new_username


@pytest.fixture
def other_youth(server):
    with RugzakClient(server) as client:
        client.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
        yield client


def test_only_the_youth_of_the_connection_ends_it(server, youth, coach, other_youth):
    connection = connect(youth, coach)
    youth.share(["contact"], coach.unlocked().account_id, purpose="Begeleiding")
    path = f"/api/v1/connections/{connection}"
    for who in (coach, other_youth):
        with pages_of(server, who) as http:
            answer = http.delete(path, headers={"x-csrftoken": http.cookies["csrftoken"]})
            assert answer.status_code in (403, 404), answer.text
            assert answer.headers["content-type"].startswith("application/problem+json")
    with pages_of(server, youth) as http:
        assert http.delete(path).status_code == 401  # no CSRF token: refused, nothing changed
    assert [g["section"] for g in coach.my_grants()] == ["contact"]
    with pages_of(server, youth) as http:
        answer = http.delete(path, headers={"x-csrftoken": http.cookies["csrftoken"]})
        assert answer.status_code == 200
        assert answer.json() == {"sections": ["contact"]}
    assert coach.my_grants() == []
