"""A regression guard on the hot paths' database round trips (statements plus BEGIN, COMMIT
and ROLLBACK; docs/performance.md): writing one entry and reading a section, by the owner
and by a grantee. Counts, not timings: a change that adds a query to these paths fails here."""

import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import update

from dossier.accounts.models import LoginSession
from dossier.client import RugzakClient
from tests.e2e.conftest import PASSPHRASE, introduce
from tests.support.notes import sealed_entry
from tests.support.roundtrips import counting
from tests.support.sql import on_db

# A write: BEGIN, facts + lock + log head + newest version, the log INSERT and the entry
# INSERT (one statement on PostgreSQL: the log event as a CTE), COMMIT.
WRITE_MAX = {"postgresql": 4, "sqlite": 5}
READ_MAX = 3
# A grantee's read is logged: BEGIN, facts, lock + log head, the entries read (with the log
# INSERT as a CTE on PostgreSQL; its own statement on SQLite), COMMIT.
LOGGED_READ_MAX = {"postgresql": 5, "sqlite": 6}
# A write makes no notice statement: the worker makes the entry's notices after the commit
# (issue 17; docs/performance.md, "Notices on the write path").


def entries_path(server, youth, section="verhaal"):
    dossier = youth.unlocked().dossier_id
    return f"{server}/api/v1/dossiers/{dossier}/sections/{section}/entries"


def sealed(client, owner, body):
    """A new entry in the owner's `verhaal`, sealed and signed by `client`, as JSON to post."""
    view = client.section("verhaal", owner.unlocked().dossier_id)
    return sealed_entry(client, view, body).to_json()


def bearer(client):
    return httpx.Client(headers={"authorization": f"Bearer {client.api.token}"})


def backend_of(settings):
    return settings.database_url.split(":", 1)[0].split("+", 1)[0]


def trips_of(settings, call):
    """Round trips of `call()` once the session is warm (a first request already made)."""
    with counting(settings.database_url) as trips:
        response = call()
    assert response.status_code < 300, response.text
    return trips


def test_the_owner_writes_and_reads_within_the_budget(server, settings, youth):
    path = entries_path(server, youth)
    with bearer(youth) as http:
        http.get(path).raise_for_status()
        entry = sealed(youth, youth, {"t": 1})
        write = trips_of(settings, lambda: http.post(path, json=entry))
        read = trips_of(settings, lambda: http.get(path))
    assert write.count <= WRITE_MAX[backend_of(settings)], write.sent
    assert read.count <= READ_MAX, read.sent
    assert "COMMIT" not in read.sent


def test_a_grantee_writes_and_reads_within_the_budget(server, settings, youth, coach):
    introduce(youth, coach)
    coach_id = coach.unlocked().account_id
    youth.share(["verhaal"], coach_id, permissions=("read", "append"), purpose="Begeleiding")
    path = entries_path(server, youth)
    with bearer(coach) as http:
        http.get(path).raise_for_status()
        entry = sealed(coach, youth, {"t": 2})
        write = trips_of(settings, lambda: http.post(path, json=entry))
        read = trips_of(settings, lambda: http.get(path))
    assert write.count <= WRITE_MAX[backend_of(settings)], write.sent
    assert read.count <= LOGGED_READ_MAX[backend_of(settings)], read.sent
    assert read.sent[-1] == "COMMIT", read.sent


def test_a_grantees_read_is_logged_once(server, youth, coach):
    """The log event that rides along with the read (a CTE on PostgreSQL) is stored once and
    chained to the head: the owner's verified log shows the coach's read as its newest event."""
    introduce(youth, coach)
    coach_id = coach.unlocked().account_id
    youth.share(["verhaal"], coach_id, permissions=("read",), purpose="Begeleiding")
    before = youth.access_log()
    with bearer(coach) as http:
        http.get(entries_path(server, youth)).raise_for_status()
    after = youth.access_log()  # verifies the hash chain and the checkpoint before it
    assert after[: len(before)] == before
    assert [(e.seq, e.actor, e.action, e.section) for e in after[len(before) :]] == [
        (len(before) + 1, coach_id, "section:read", "verhaal")
    ]


def test_concurrent_writes_to_one_dossier_chain_in_order(server, youth):
    """Writes to one dossier at once (the hot dossier: the lock is taken after the entry's
    signature is checked) all land, and the owner's verified log shows each append once, in a
    chain without gaps or forks. On SQLite (no FOR UPDATE) the log's INSERT is guarded by the
    head it was chained to (consent/log/service.py, GUARDED_EVENT); before, most of these
    answered 500."""
    before = youth.access_log()
    entries = [sealed(youth, youth, {"t": i}) for i in range(12)]
    path = entries_path(server, youth)
    with bearer(youth) as http, ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(lambda e: http.post(path, json=e).status_code, entries))
    assert statuses == [201] * len(entries)
    after = youth.access_log()  # verifies the hash chain and the checkpoint before it
    assert after[: len(before)] == before
    added = after[len(before) :]
    assert [e.seq for e in added] == list(range(len(before) + 1, len(after) + 1))
    assert [(e.action, e.section) for e in added] == [("section:append", "verhaal")] * 12


def problem_of(response):
    return response.status_code, response.json()["type"].rsplit("/", 1)[-1]


@pytest.fixture
def warm(server, youth):
    """The youth's bearer client after one read: this worker now has the session cached."""
    with bearer(youth) as http:
        http.get(entries_path(server, youth)).raise_for_status()
        yield http


def test_a_logged_out_session_is_refused_at_once_on_the_cached_path(server, youth, warm):
    path = entries_path(server, youth)
    entry = sealed(youth, youth, {"t": 3})
    youth.logout()
    assert problem_of(warm.get(path)) == (401, "not-authenticated")
    assert problem_of(warm.post(path, json=entry)) == (401, "not-authenticated")


def test_a_session_ended_elsewhere_is_refused_at_once(server, youth, warm):
    path = entries_path(server, youth)
    cached = youth.unlocked().session_id
    entry = sealed(youth, youth, {"t": 4})
    with RugzakClient(server) as other:
        other.login(youth.unlocked().username, PASSPHRASE)
        other.end_session(cached)
    assert problem_of(warm.get(f"{path}?versions=all")) == (401, "not-authenticated")
    assert problem_of(warm.post(path, json=entry)) == (401, "not-authenticated")


def test_an_expired_session_says_so_on_the_cached_path(server, settings, youth, warm):
    session_id = uuid.UUID(youth.unlocked().session_id)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    on_db(
        settings.database_url,
        lambda c: c.execute(
            update(LoginSession).where(LoginSession.id == session_id).values(expires_at=past)
        ),
    )
    assert problem_of(warm.get(entries_path(server, youth))) == (401, "session-expired")


def test_a_cached_session_without_access_is_still_refused_as_forbidden(server, youth, coach):
    path = entries_path(server, youth)
    with bearer(coach) as http:
        for _ in range(2):  # the second request takes the session from the worker's cache
            assert problem_of(http.get(path)) == (403, "forbidden")
            assert problem_of(http.post(path, json={"entry": str(uuid.uuid4())})) == (
                403,
                "forbidden",
            )
