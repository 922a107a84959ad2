"""Helpers shared by the recovery journeys (tests/e2e/test_recovery_*.py, docs/recovery.md):
a youth with one or two contacts set up, a contact's approval after comparing the short code,
a refusal by its problem code. Every client made here is listed in OPENED and closed by the
`close_opened` fixture (tests/e2e/conftest.py)."""

from __future__ import annotations

import pytest

from dossier import crypto
from dossier.client import RugzakClient
from dossier.client.api import ApiError
from tests.e2e.conftest import (
    ADULT,
    OPENED,
    PASSPHRASE,
    connect,
    introduce,
    new_username,
    professional,
)

NEW_PASSPHRASE = "groene-tram-langs-het-water-7"
WAIT = {"hours": 72, "minutes": 1}


class Youth(RugzakClient):
    """A youth's client that keeps the recovery code she was shown at sign-up."""

    recovery_code = ""


def new_client(url: str) -> RugzakClient:
    """A client that is closed after the test."""
    client = RugzakClient(url)
    OPENED.append(client)
    return client


def people(url: str, contacts: int = 1) -> tuple[Youth, str, list[RugzakClient]]:
    """A youth (and her username) whose recovery contacts are `contacts` professionals, each
    connected and pinned both ways."""
    youth = Youth(url)
    OPENED.append(youth)
    username = new_username()
    youth.recovery_code = youth.sign_up(username, PASSPHRASE, birth_date=ADULT)
    helpers = [professional(url) for _ in range(contacts)]
    OPENED.extend(helpers)
    for helper in helpers:
        connect(youth, helper)
        introduce(youth, helper)
    youth.set_up_recovery([h.unlocked().account_id for h in helpers])
    return youth, username, helpers


def approve(helper: RugzakClient, device: RugzakClient, attempt) -> None:
    (asked,) = helper.recovery_asked()
    code = helper.recovery_challenge(asked["id"])
    shown = device.recovery_progress(attempt)["code"]
    assert shown == code
    receipt = helper.approve_recovery(asked["id"], shown)
    assert receipt["receipt"]["action"] == "recovery:approve"


def refused(code: str, call, *args, **kwargs) -> ApiError:
    with pytest.raises(ApiError) as info:
        call(*args, **kwargs)
    assert info.value.code == code, info.value
    return info.value


def recovery_actions(client: RugzakClient) -> list[str]:
    dossier = client.unlocked().dossier_id
    page = client.api.call("GET", f"/api/v1/dossiers/{dossier}/log")
    return [e["action"] for e in page["events"] if e["action"].startswith("recovery:")]


def ask_challenge(client: RugzakClient, request_id: str) -> None:
    client.api.call(
        "POST",
        f"/api/v1/recovery/asked/{request_id}/challenge",
        json={"challenge": crypto.b64e(bytes(16))},
    )
