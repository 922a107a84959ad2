"""Recovery through a contact over real HTTP, through the Python client (docs/recovery.md):
the whole way with one and with two contacts, from the request on a new device to a new
passphrase, and the rotated setup that serves the next time."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PASSPHRASE
from tests.e2e.recovery_support import (
    NEW_PASSPHRASE,
    WAIT,
    approve,
    new_client,
    people,
    recovery_actions,
    refused,
)

pytestmark = pytest.mark.usefixtures("close_opened")


@pytest.mark.parametrize("contacts", [1, 2])
def test_full_recovery(clocked, contacts):
    url, clock, _ = clocked
    youth, username, helpers = people(url, contacts)
    identity = youth.unlocked().identity
    old_code = youth.recovery_code
    with new_client(url) as device:
        attempt = device.start_contact_recovery(username)
        (waiting,) = youth.recovery_status()["requests"]
        assert waiting["id"] == attempt.request_id
        assert device.recovery_progress(attempt)["code"] is None
        approve(helpers[-1], device, attempt)
        refused("recovery-waiting", device.open_recovery, attempt)
        clock.advance(**WAIT)
        new_code = device.finish_contact_recovery(attempt, NEW_PASSPHRASE)

        assert device.unlocked().identity.secret() == identity.secret()
        refused("not-authenticated", youth.recovery_status)  # every other session ended
        assert device.check_recovery_code(new_code)
        assert not device.check_recovery_code(old_code)
        status = device.recovery_status()
        assert len(status["contacts"]) == contacts
        assert not status["stale"]
        assert status["setup"]["setup"] != waiting["id"]
        assert recovery_actions(device) == [
            "recovery:setup",
            "recovery:start",
            "recovery:approve",
            "recovery:release",
            "recovery:complete",
            "recovery:code-check",
        ]
    youth.close()
    with new_client(url) as again:
        refused("invalid-credentials", again.login, username, PASSPHRASE)
        again.login(username, NEW_PASSPHRASE)
    # The rotated setup works: the other contact can help next time.
    with new_client(url) as device2:
        attempt = device2.start_contact_recovery(username)
        approve(helpers[0], device2, attempt)
        clock.advance(**WAIT)
        _, opened = device2.open_recovery(attempt)
        assert opened.secret() == identity.secret()
    for helper in helpers:
        helper.close()
