"""A recovery request over real HTTP: the waiting period runs on the server's clock, the
youth's veto stops the request and tells the contact, and the device can end its own request
and start again."""

from __future__ import annotations

import uuid

import pytest

from dossier.client.recovery import RecoveryAttempt
from tests.e2e.recovery_support import (
    WAIT,
    approve,
    new_client,
    people,
    recovery_actions,
    refused,
)
from tests.support.sql import sql

pytestmark = pytest.mark.usefixtures("close_opened")


def test_waiting_period_is_the_servers_clock(clocked):
    url, clock, _ = clocked
    youth, username, (coach,) = people(url)
    with new_client(url) as device:
        attempt = device.start_contact_recovery(username)
        refused("recovery-waiting", device.open_recovery, attempt)  # no approval yet
        approve(coach, device, attempt)
        clock.advance(hours=71, minutes=59)
        refused("recovery-waiting", device.open_recovery, attempt)
        clock.advance(minutes=2)
        device.open_recovery(attempt)
        bad = new_client(url)
        attempt.token = "x" * 43
        refused("recovery-unavailable", bad.open_recovery, attempt)
        bad.close()
    youth.close()
    coach.close()


def test_veto_stops_the_request_and_tells_the_contact(clocked):
    url, clock, settings = clocked
    youth, username, (coach,) = people(url)
    with new_client(url) as device:
        attempt = device.start_contact_recovery(username)
        (request,) = youth.recovery_status()["requests"]
        youth.veto_recovery(request["id"])
        assert coach.recovery_asked() == []
        assert device.recovery_progress(attempt)["state"] == "vetoed"
        refused("recovery-ended", youth.veto_recovery, request["id"])
        clock.advance(**WAIT)
        refused("recovery-ended", device.open_recovery, attempt)
    rows = sql(settings.database_url, "SELECT account_id, kind FROM notice")
    flat = {(_hex(account), kind) for account, kind in rows}
    coach_id = coach.unlocked().account_id.replace("-", "")
    youth_id = youth.unlocked().account_id.replace("-", "")
    assert (youth_id, "recovery-start") in flat
    assert (coach_id, "recovery-help") in flat
    assert (coach_id, "recovery-veto") in flat
    assert recovery_actions(youth) == ["recovery:setup", "recovery:start", "recovery:veto"]
    youth.close()
    coach.close()


def test_the_device_can_end_its_own_request_and_start_again(clocked):
    """ "Opnieuw beginnen": only the request token ends the request; then a new one can
    start (one live request per account) and the contact is told the old one stopped."""
    url, _, settings = clocked
    youth, username, (coach,) = people(url)
    with new_client(url) as device, new_client(url) as other:
        first = device.start_contact_recovery(username)
        refused("conflict", other.start_contact_recovery, username)
        stranger = RecoveryAttempt(username, first.request_id, "y" * 43, first.device)
        refused("recovery-unavailable", other.cancel_contact_recovery, stranger)
        receipt = device.cancel_contact_recovery(first)
        assert receipt["receipt"]["action"] == "recovery:cancel"
        assert device.recovery_progress(first)["state"] == "cancelled"
        refused("recovery-ended", device.cancel_contact_recovery, first)
        assert coach.recovery_asked() == []
        second = device.start_contact_recovery(username)
        assert device.recovery_progress(second)["state"] == "waiting"
        assert [r["id"] for r in coach.recovery_asked()] == [second.request_id]
    rows = sql(settings.database_url, "SELECT account_id, kind FROM notice")
    coach_id = coach.unlocked().account_id.replace("-", "")
    assert (coach_id, "recovery-veto") in {(_hex(a), k) for a, k in rows}
    assert recovery_actions(youth) == [
        "recovery:setup",
        "recovery:start",
        "recovery:cancel",
        "recovery:start",
    ]
    youth.close()
    coach.close()


def _hex(value) -> str:
    """An id column as 32 hex digits (SQLite stores a GUID as 16 bytes, PostgreSQL as uuid)."""
    if isinstance(value, (bytes, memoryview)):
        return uuid.UUID(bytes=bytes(value)).hex
    return str(value).replace("-", "")
