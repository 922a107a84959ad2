"""The access log over real HTTP on SQLite and PostgreSQL: owner events are logged, only the
owner reads the log, and a malicious server that edits, drops, reorders, re-hashes or rolls
back events is caught by the owner's client (DESIGN.md §7)."""

import uuid

import pytest

from dossier import crypto
from dossier.client import RugzakClient
from dossier.client.log import LogRollbackError
from tests.e2e.conftest import ADULT, PASSPHRASE, new_username
from tests.support.sql import sql

OF_USER = (
    "dossier_id = (SELECT d.id FROM dossier d JOIN account a ON a.id = d.owner_id "
    "WHERE a.username = :u)"
)


def username(client):
    return client.unlocked().username


def stored_events(url, client):
    return sql(
        url,
        f"SELECT id, seq, actor, action, section, at FROM log_event WHERE {OF_USER} ORDER BY seq",
        {"u": username(client)},
    )


def rechain(url, client):
    """What a careful malicious server does after an edit: renumber and recompute every hash
    so the chain links again. Only a checkpoint can tell this history from the real one."""
    head = crypto.GENESIS
    rows = stored_events(url, client)
    for position, (_, seq, *_) in enumerate(rows, start=1):
        if seq != position:
            edit(url, client, seq, "seq", position)
    for position, (row_id, _, actor, action, section, at) in enumerate(rows, start=1):
        event = {
            "seq": position,
            "dossier": client.unlocked().dossier_id,
            "actor": actor,
            "action": action,
            "section": section,
            "at": at,
        }
        new = crypto.log_hash(head, event)
        sql(
            url,
            "UPDATE log_event SET prev_hash = :p, hash = :h WHERE id = :id",
            {"p": head, "h": new, "id": row_id},
        )
        head = new


def drop_checkpoints(url, client):
    sql(url, f"DELETE FROM log_checkpoint WHERE {OF_USER}", {"u": username(client)})


def truncate(url, client, keep):
    sql(
        url,
        f"DELETE FROM log_event WHERE {OF_USER} AND seq > :k",
        {"u": username(client), "k": keep},
    )


def edit(url, client, seq, column, value):
    sql(
        url,
        f"UPDATE log_event SET {column} = :v WHERE {OF_USER} AND seq = :s",
        {"v": value, "u": username(client), "s": seq},
    )


def swap(url, client, a, b):
    for old, new in ((a, -1), (b, a), (-1, b)):
        edit(url, client, old, "seq", new)


def delete(url, client, seq):
    sql(
        url,
        f"DELETE FROM log_event WHERE {OF_USER} AND seq = :s",
        {"u": username(client), "s": seq},
    )


SECTIONS = ["verhaal", "wonen", "werk", "school", "netwerk"]


def write(client, n):
    """`n` append events that differ (by section), so a dropped or moved one shows."""
    for i in range(n):
        client.write(SECTIONS[i % len(SECTIONS)], {"tekst": f"stukje {i}"})


def fresh_device(client):
    """The same person on a new device: no remembered checkpoint. Logging in is an event."""
    other = RugzakClient(str(client.api.http.base_url))
    other.login(username(client), PASSPHRASE)
    return other


def raw(client, method, path, **kwargs):
    return client.api.http.request(method, path, headers=client.api.headers(), **kwargs)


def log_path(client):
    return f"/api/v1/dossiers/{client.unlocked().dossier_id}/log"


# -- what is logged ---------------------------------------------------------------------------


def test_owner_events_are_logged_and_the_chain_verifies(youth):
    me = youth.unlocked()
    youth.write("verhaal", {"tekst": "wie ik ben"})
    youth.entries("verhaal")  # the owner's own read is not an event
    youth.login(me.username, PASSPHRASE)
    youth.log_export()
    log = youth.access_log()
    assert [(e.seq, e.action, e.section) for e in log] == [
        (1, "section:append", "verhaal"),
        (2, "account:login", None),
        (3, "dossier:export", None),
    ]
    assert {e.actor for e in log} == {me.account_id}
    assert youth.known_checkpoint().seq == 3
    page = youth.api.call("GET", log_path(youth))
    assert page["checkpoint"]["seq"] == 3
    assert page["checkpoint"]["hash"] == log[-1].hash
    assert page["next"] is None
    # Nothing new: the same log verifies again against both checkpoints, none is added.
    assert youth.access_log() == log


def test_the_whole_log_is_fetched_page_by_page(youth):
    write(youth, 5)
    page = youth.api.call("GET", log_path(youth), params={"limit": 2, "after": 1})
    assert [e["seq"] for e in page["events"]] == [2, 3]
    assert page["next"] == 3
    youth.LOG_PAGE = 2
    assert [e.seq for e in youth.access_log()] == [1, 2, 3, 4, 5]


def test_a_new_log_is_empty_and_gets_no_checkpoint(youth):
    assert youth.access_log() == []
    assert youth.known_checkpoint() is None


# -- who may read it --------------------------------------------------------------------------


def test_only_the_owner_reads_checkpoints_or_exports(youth, server):
    write(youth, 1)
    youth.access_log()
    checkpoint = youth.known_checkpoint().to_json()
    with RugzakClient(server) as other:
        other.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
        for method, suffix, body in (
            ("GET", "", None),
            ("POST", "/checkpoints", checkpoint),
            ("POST", "/export", None),
        ):
            response = raw(other, method, log_path(youth) + suffix, json=body)
            assert response.status_code == 403, (method, suffix)
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["type"].endswith("/forbidden")
        unknown = raw(other, "GET", f"/api/v1/dossiers/{uuid.uuid4()}/log")
        assert unknown.status_code == 403
    anonymous = youth.api.http.get(log_path(youth))
    assert anonymous.status_code == 401


def test_the_server_refuses_a_checkpoint_that_is_not_the_owners_or_not_its_log(youth):
    write(youth, 2)
    me = youth.unlocked()
    [head] = youth.api.call("GET", log_path(youth), params={"after": 1})["events"]
    good = crypto.sign_checkpoint(me.identity, me.dossier_id, 2, crypto.b64d(head["hash"]))
    stranger = crypto.Identity.generate()
    bad = {
        "not the owner's key": crypto.sign_checkpoint(
            stranger, me.dossier_id, 2, crypto.b64d(head["hash"])
        ).to_json(),
        "another hash": crypto.sign_checkpoint(me.identity, me.dossier_id, 2, bytes(32)).to_json(),
        "no such event": crypto.sign_checkpoint(
            me.identity, me.dossier_id, 9, crypto.b64d(head["hash"])
        ).to_json(),
        "another dossier": crypto.sign_checkpoint(
            me.identity, str(uuid.uuid4()), 2, crypto.b64d(head["hash"])
        ).to_json(),
        "another version": {**good.to_json(), "v": 1},
    }
    for reason, body in bad.items():
        response = raw(youth, "POST", log_path(youth) + "/checkpoints", json=body)
        assert response.status_code == 400, reason
        assert response.headers["content-type"].startswith("application/problem+json")
    stored = youth.api.call("POST", log_path(youth) + "/checkpoints", json=good.to_json())
    again = youth.api.call("POST", log_path(youth) + "/checkpoints", json=good.to_json())
    assert stored == again
    assert stored["seq"] == 2


# -- a malicious server -----------------------------------------------------------------------

TAMPERINGS = {
    "edit action": lambda url, c: edit(url, c, 2, "action", "account:login"),
    "edit actor": lambda url, c: edit(url, c, 2, "actor", str(uuid.uuid4())),
    "edit section": lambda url, c: edit(url, c, 2, "section", "geld"),
    "delete": lambda url, c: delete(url, c, 2),
    "reorder": lambda url, c: swap(url, c, 1, 2),
}


@pytest.mark.parametrize("tamper", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_tampering_before_a_checkpoint_is_refused(youth, settings, tamper):
    write(youth, 3)
    youth.access_log()
    write(youth, 1)
    tamper(settings.database_url, youth)
    with pytest.raises(crypto.TamperedError):
        youth.access_log()


@pytest.mark.parametrize("who_remembers", ["server", "device"])
@pytest.mark.parametrize("tamper", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_a_rehashed_history_before_a_checkpoint_is_refused(youth, settings, tamper, who_remembers):
    """Re-hashing makes the chain link again; the owner-signed checkpoint (the server's
    stored one on a new device, or this device's memory after the server drops its own)
    still pins the real history."""
    url = settings.database_url
    write(youth, 3)
    youth.access_log()
    tamper(url, youth)
    if who_remembers == "server":
        reader = fresh_device(youth)
        write(youth, 1)  # keep the rehashed log at least as long as the checkpoint
    else:
        reader = youth
        drop_checkpoints(url, youth)
        write(youth, 1)
    rechain(url, youth)
    with pytest.raises(crypto.TamperedError):
        reader.access_log()
    if reader is not youth:
        reader.close()


def test_two_histories_are_caught_by_the_device_that_remembers_the_first(youth, settings):
    """The server rewrites checkpointed history, drops its checkpoint and lets a new device
    sign the rewrite. The first device now holds two valid checkpoints that disagree."""
    url = settings.database_url
    write(youth, 3)
    youth.access_log()
    edit(url, youth, 2, "section", "geld")
    drop_checkpoints(url, youth)
    with fresh_device(youth) as device:
        rechain(url, youth)
        device.access_log()  # nothing to compare with: it signs the rewritten log (seq 4)
    assert youth.api.call("GET", log_path(youth))["checkpoint"]["seq"] == 4
    with pytest.raises(crypto.TamperedError):
        youth.access_log()


def test_a_change_after_the_checkpoint_breaks_the_chain(youth, settings):
    write(youth, 2)
    youth.access_log()
    write(youth, 2)
    edit(settings.database_url, youth, 4, "action", "section:read")
    with pytest.raises(crypto.TamperedError):
        youth.access_log()


def test_known_limit_a_rehashed_tail_after_the_checkpoint_is_accepted(youth, settings):
    """Documented in docs/access-log.md: nothing pins events no checkpoint covers yet. Once
    the client has checkpointed the rewritten tail, that is the history it defends."""
    write(youth, 2)
    youth.access_log()
    write(youth, 2)
    edit(settings.database_url, youth, 4, "section", "geld")
    rechain(settings.database_url, youth)
    log = youth.access_log()
    assert log[-1].section == "geld"  # the real event 4 was an append to "wonen"
    assert youth.known_checkpoint().seq == 4


@pytest.mark.parametrize("server_keeps_checkpoint", [True, False])
def test_a_rolled_back_log_is_refused(youth, settings, server_keeps_checkpoint):
    write(youth, 4)
    youth.access_log()
    truncate(settings.database_url, youth, keep=2)
    if not server_keeps_checkpoint:
        drop_checkpoints(settings.database_url, youth)
    with pytest.raises(LogRollbackError):
        youth.access_log()


def test_a_rollback_is_refused_on_a_device_that_restored_its_memory(youth, settings):
    write(youth, 4)
    youth.access_log()
    state = youth.export_state()
    truncate(settings.database_url, youth, keep=2)
    drop_checkpoints(settings.database_url, youth)
    with fresh_device(youth) as device:  # its login is event 3: still short of checkpoint 4
        device.import_state(state)
        assert device.known_checkpoint().seq == 4
        with pytest.raises(LogRollbackError):
            device.access_log()


def test_a_forged_server_checkpoint_is_refused(youth, settings):
    write(youth, 2)
    youth.access_log()
    sql(
        settings.database_url,
        f"UPDATE log_checkpoint SET signature = :s WHERE {OF_USER}",
        {"s": bytes(64), "u": username(youth)},
    )
    with fresh_device(youth) as device, pytest.raises(crypto.TamperedError):
        device.access_log()


def test_client_state_round_trips_and_rejects_unknown_versions(youth):
    write(youth, 1)
    youth.access_log()
    state = youth.export_state()
    youth.import_state(state)
    assert youth.export_state() == state
    with pytest.raises(crypto.UnsupportedVersion):
        youth.import_state({"v": 2})


@pytest.mark.own_database
def test_login_without_a_dossier_is_not_logged(server, settings):
    with RugzakClient(server) as coach:
        coach.sign_up(new_username("coach"), PASSPHRASE, birth_date=ADULT, kind="professional")
        coach.login(coach.unlocked().username, PASSPHRASE)
    assert sql(settings.database_url, "SELECT count(*) FROM log_event")[0][0] == 0
