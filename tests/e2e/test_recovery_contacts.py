"""Who is a recovery contact, over real HTTP: a removed contact or an ended connection is
refused, a trusted person ("vertrouwd persoon") approves a recovery but reads nothing, and a
stranger cannot become a contact."""

from __future__ import annotations

import uuid

import pytest

from dossier import crypto
from dossier.client import RugzakClient
from dossier.client.api import ApiError
from dossier.client.recovery import setup_payload
from dossier.crypto import recovery as rc
from tests.e2e.conftest import ADULT, OPENED, PASSPHRASE, introduce, new_username, professional
from tests.e2e.recovery_support import (
    NEW_PASSPHRASE,
    WAIT,
    approve,
    ask_challenge,
    new_client,
    people,
    refused,
)

pytestmark = pytest.mark.usefixtures("close_opened")


def test_a_removed_contact_or_an_ended_connection_is_refused(clocked):
    url, clock, _ = clocked
    youth, username, (coach, aunt) = people(url, 2)
    with new_client(url) as device:
        attempt = device.start_contact_recovery(username)
        approve(coach, device, attempt)
        youth.remove_recovery_contact(coach.unlocked().account_id)
        status = youth.recovery_status()
        assert status["stale"]
        assert [c["revoked"] for c in status["contacts"]].count(True) == 1
        assert coach.recovery_asked() == []
        refused(
            "not-a-contact",
            coach.api.call,
            "POST",
            f"/api/v1/recovery/asked/{attempt.request_id}/approve",
            json={"challenge": crypto.b64e(bytes(16)), "resealed": crypto.b64e(bytes(80))},
        )
        clock.advance(**WAIT)
        refused("recovery-waiting", device.open_recovery, attempt)  # approval taken back
        (connection,) = [c for c in youth.connections() if c.other_id == aunt.unlocked().account_id]
        youth.end_connection(connection.id)
        assert aunt.recovery_asked() == []
        refused("not-a-contact", ask_challenge, aunt, attempt.request_id)
    youth.close()
    coach.close()
    aunt.close()


def _trusted_person(url: str, youth: RugzakClient) -> RugzakClient:
    """A person she trusts makes an account, shows a "vertrouwd persoon" invite; she accepts
    it and both compare key codes. The connection is for recovery only."""
    trusted = professional(url)
    OPENED.append(trusted)
    trusted.set_profile("Tante Ria", "", "vertrouwd persoon", "06 12345678")
    invite = trusted.create_invite(purpose="recovery")
    assert youth.invite_info(invite.token).card is not None
    connection = youth.accept_invite(invite.token, "Sam", "WhatsApp")
    introduce(youth, trusted)
    (mine,) = [c for c in youth.api.call("GET", "/api/v1/connections") if c["id"] == connection]
    assert mine["purpose"] == "recovery"
    return trusted


def test_a_trusted_person_approves_a_recovery(clocked):
    url, clock, _ = clocked
    youth = new_client(url)
    username = new_username()
    youth.sign_up(username, PASSPHRASE, birth_date=ADULT)
    trusted = _trusted_person(url, youth)
    youth.set_up_recovery([trusted.unlocked().account_id])
    with new_client(url) as device:
        attempt = device.start_contact_recovery(username)
        approve(trusted, device, attempt)
        clock.advance(**WAIT)
        device.finish_contact_recovery(attempt, NEW_PASSPHRASE)
    with new_client(url) as again:
        again.login(username, NEW_PASSPHRASE)
        assert again.recovery_status()["contacts"][0]["account"] == trusted.unlocked().account_id


def test_a_trusted_person_reads_nothing(clocked):
    url, _, _ = clocked
    youth = new_client(url)
    youth.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
    trusted = _trusted_person(url, youth)
    dossier = youth.unlocked().dossier_id
    refused("forbidden", trusted.request_access, dossier, ["plan"], purpose="meekijken")
    with pytest.raises(ApiError) as info:
        trusted.section("plan", dossier)
    assert info.value.status in (403, 404)
    (shown,) = youth.sharing()["connections"]
    assert shown["purpose"] == "recovery"  # the Delen page leaves it out (SharingService)
    # A recovery invite carries no organisation.
    refused("invalid-input", trusted.create_invite, str(uuid.uuid4()), "recovery")


def test_a_stranger_cannot_become_a_contact(clocked):
    """Someone with an account but no accepted invite is refused by the server, even when
    the youth's own app signs a setup naming them; a stranger cannot approve either."""
    url, _, _ = clocked
    youth = new_client(url)
    username = new_username()
    youth.sign_up(username, PASSPHRASE, birth_date=ADULT)
    trusted = _trusted_person(url, youth)
    stranger = professional(url)
    OPENED.append(stranger)
    introduce(youth, stranger)
    me = youth.unlocked()
    body = setup_payload(
        me.identity,
        me.account_id,
        [(stranger.unlocked().account_id, stranger.unlocked().identity.public)],
        rc.DEFAULT_WAIT,
    )
    with pytest.raises(ApiError) as info:
        youth.api.call("PUT", "/api/v1/recovery/setup", json=body)
    assert info.value.status in (403, 409, 422), info.value
    youth.set_up_recovery([trusted.unlocked().account_id])
    with new_client(url) as device:
        device.start_contact_recovery(username)
        assert stranger.recovery_asked() == []
        assert len(trusted.recovery_asked()) == 1
