"""The entries API gives every entry's server time in one form, whichever path read it: the
owner's read (one statement; on PostgreSQL arrays decoded by the driver, on SQLite one packed
text parsed in Python), `mine=true`, a grantee's read, `versions=all` and an entry's
versions. Clients parse these times (dossier/client `fromisoformat`, the browser's export
`new Date`), so a faster read path must not change a byte of them: RFC 3339 in UTC with
`Z`, microseconds when there are any (docs/performance.md, "Session 6")."""

import datetime as dt
import uuid

import msgspec
from sqlalchemy import update

from dossier.sections.models import Entry
from tests.e2e.conftest import introduce
from tests.e2e.test_round_trips import bearer, entries_path
from tests.support.notes import sealed_entry
from tests.support.sql import on_db

# Whole seconds (no fraction), trailing zeros, a single microsecond, the last one.
TIMES = [
    dt.datetime(2026, 3, 1, 9, 30, 0, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 1, 9, 30, 1, 120000, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 1, 9, 30, 2, 1, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 1, 9, 30, 3, 999999, tzinfo=dt.UTC),
]


def sealed_version(client, owner, entry_id, version, body):
    view = client.section("verhaal", owner.unlocked().dossier_id)
    return sealed_entry(client, view, body, entry=entry_id, version=version).to_json()


def set_time(settings, entry_id, version, at):
    async def work(connection):
        await connection.execute(
            update(Entry)
            .where(Entry.entry_id == uuid.UUID(entry_id), Entry.version == version)
            .values(created_at=at)
        )

    on_db(settings.database_url, work)


def times(items):
    """entry id -> (version, created_at as sent) of a list of the entries API."""
    return {i["entry"]["entry"]: (i["entry"]["version"], i["created_at"]) for i in items}


def test_every_read_path_sends_the_same_times(server, settings, youth, coach):
    introduce(youth, coach)
    youth.share(["verhaal"], coach.unlocked().account_id, permissions=("read",), purpose="Lezen")
    path = entries_path(server, youth)
    ids = [str(uuid.uuid4()) for _ in TIMES]
    with bearer(youth) as http:
        for entry_id in ids:
            http.post(
                path, json=sealed_version(youth, youth, entry_id, 1, {"t": 1})
            ).raise_for_status()
        # A later version of the first entry: its list item carries `first` as well.
        http.post(path, json=sealed_version(youth, youth, ids[0], 2, {"t": 2})).raise_for_status()
        for entry_id, at in zip(ids, TIMES, strict=True):
            set_time(settings, entry_id, 2 if entry_id == ids[0] else 1, at)
        owner = http.get(path).json()["entries"]
        mine = http.get(path, params={"mine": "true"}).json()["entries"]
        every = http.get(path, params={"versions": "all"}).json()["entries"]
        history = http.get(f"{path}/{ids[0]}/versions").json()
    with bearer(coach) as http:
        grantee = http.get(path).json()["entries"]

    expected = {
        entry_id: (2 if entry_id == ids[0] else 1, msgspec.json.encode(at).decode().strip('"'))
        for entry_id, at in zip(ids, TIMES, strict=True)
    }
    assert expected[ids[0]][1] == "2026-03-01T09:30:00Z"
    assert expected[ids[1]][1] == "2026-03-01T09:30:01.120000Z"
    assert times(owner) == expected
    assert times(mine) == expected
    assert times(grantee) == expected
    newest: dict[str, tuple[int, str]] = {}
    for entry_id, (version, at) in (
        (i["entry"]["entry"], times([i])[i["entry"]["entry"]]) for i in every
    ):
        if version > newest.get(entry_id, (0, ""))[0]:
            newest[entry_id] = (version, at)
    assert newest == expected
    assert history[-1]["created_at"] == expected[ids[0]][1]
    # Oldest first, by the server's time, on every path.
    assert [i["entry"]["entry"] for i in owner] == ids
    assert [i["entry"]["entry"] for i in grantee] == ids
    assert [i["first"] is not None for i in owner] == [True, False, False, False]
    # The Python client reads back exactly the stored times.
    opened = youth.entries("verhaal")
    assert {o.entry: o.created_at for o in opened} == dict(zip(ids, TIMES, strict=True))
