"""The recovery code over real HTTP: the yearly check, a new code that replaces the old one,
and recovering with it."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PASSPHRASE
from tests.e2e.recovery_support import (
    NEW_PASSPHRASE,
    new_client,
    people,
    recovery_actions,
    refused,
)

pytestmark = pytest.mark.usefixtures("close_opened")


def test_yearly_check_and_a_new_code(clocked):
    url, _, _ = clocked
    youth, username, (coach,) = people(url)
    status = youth.recovery_status()
    assert status["code_checked_at"] is None
    assert not status["code_check_due"]
    assert not youth.check_recovery_code("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA")
    assert youth.check_recovery_code(youth.recovery_code)
    assert youth.recovery_status()["code_checked_at"] is not None
    refused("invalid-credentials", youth.new_recovery_code, "verkeerde-wachtwoordzin")
    new = youth.new_recovery_code(PASSPHRASE)
    assert not youth.check_recovery_code(youth.recovery_code)
    assert youth.check_recovery_code(new)
    assert recovery_actions(youth)[-3:] == [
        "recovery:code-check",
        "recovery:code-new",
        "recovery:code-check",
    ]
    with new_client(url) as other:
        refused("invalid-credentials", other.recover, username, youth.recovery_code, "x" * 20)
        other.recover(username, new, NEW_PASSPHRASE)
    coach.close()
    youth.close()
