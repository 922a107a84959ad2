"""Recovery through a contact over real HTTP, through the Python client (docs/recovery.md):
one and two contacts, the server's clock and the waiting period, the veto, a removed contact,
a substituted device key, and what the server or a contact alone can do (nothing)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator

import pytest

from dossier import crypto
from dossier.client import RugzakClient
from dossier.client.api import ApiError
from dossier.client.recovery import RecoveryAttempt, setup_payload
from dossier.crypto import recovery as rc
from tests.e2e.conftest import ADULT, PASSPHRASE, connect, introduce, new_username, professional
from tests.support.sql import sql

NEW_PASSPHRASE = "groene-tram-langs-het-water-7"
WAIT = {"hours": 72, "minutes": 1}


_OPEN: list[RugzakClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    """Every client a test makes is closed, also when it fails half-way."""
    yield
    while _OPEN:
        _OPEN.pop().close()


class Youth(RugzakClient):
    """A youth's client that keeps the recovery code she was shown at sign-up."""

    recovery_code = ""


def _client(url: str) -> RugzakClient:
    client = RugzakClient(url)
    _OPEN.append(client)
    return client


def _people(url: str, contacts: int = 1) -> tuple[Youth, str, list[RugzakClient]]:
    youth = Youth(url)
    _OPEN.append(youth)
    username = new_username()
    youth.recovery_code = youth.sign_up(username, PASSPHRASE, birth_date=ADULT)
    helpers = [professional(url) for _ in range(contacts)]
    _OPEN.extend(helpers)
    for helper in helpers:
        connect(youth, helper)
        introduce(youth, helper)
    youth.set_up_recovery([h.unlocked().account_id for h in helpers])
    return youth, username, helpers


def _approve(helper: RugzakClient, device: RugzakClient, attempt) -> None:
    (asked,) = helper.recovery_asked()
    code = helper.recovery_challenge(asked["id"])
    shown = device.recovery_progress(attempt)["code"]
    assert shown == code
    receipt = helper.approve_recovery(asked["id"], shown)
    assert receipt["receipt"]["action"] == "recovery:approve"


def _refused(code: str, call, *args, **kwargs) -> ApiError:
    with pytest.raises(ApiError) as info:
        call(*args, **kwargs)
    assert info.value.code == code, info.value
    return info.value


def _actions(client: RugzakClient) -> list[str]:
    dossier = client.unlocked().dossier_id
    page = client.api.call("GET", f"/api/v1/dossiers/{dossier}/log")
    return [e["action"] for e in page["events"] if e["action"].startswith("recovery:")]


@pytest.mark.parametrize("contacts", [1, 2])
def test_full_recovery(clocked, contacts):
    url, clock, _ = clocked
    youth, username, helpers = _people(url, contacts)
    identity = youth.unlocked().identity
    old_code = youth.recovery_code
    with _client(url) as device:
        attempt = device.start_contact_recovery(username)
        (waiting,) = youth.recovery_status()["requests"]
        assert waiting["id"] == attempt.request_id
        assert device.recovery_progress(attempt)["code"] is None
        _approve(helpers[-1], device, attempt)
        _refused("recovery-waiting", device.open_recovery, attempt)
        clock.advance(**WAIT)
        new_code = device.finish_contact_recovery(attempt, NEW_PASSPHRASE)

        assert device.unlocked().identity.secret() == identity.secret()
        _refused("not-authenticated", youth.recovery_status)  # every other session ended
        assert device.check_recovery_code(new_code)
        assert not device.check_recovery_code(old_code)
        status = device.recovery_status()
        assert len(status["contacts"]) == contacts
        assert not status["stale"]
        assert status["setup"]["setup"] != waiting["id"]
        assert _actions(device) == [
            "recovery:setup",
            "recovery:start",
            "recovery:approve",
            "recovery:release",
            "recovery:complete",
            "recovery:code-check",
        ]
    youth.close()
    with _client(url) as again:
        _refused("invalid-credentials", again.login, username, PASSPHRASE)
        again.login(username, NEW_PASSPHRASE)
    # The rotated setup works: the other contact can help next time.
    with _client(url) as device2:
        attempt = device2.start_contact_recovery(username)
        _approve(helpers[0], device2, attempt)
        clock.advance(**WAIT)
        _, opened = device2.open_recovery(attempt)
        assert opened.secret() == identity.secret()
    for helper in helpers:
        helper.close()


def test_waiting_period_is_the_servers_clock(clocked):
    url, clock, _ = clocked
    youth, username, (coach,) = _people(url)
    with _client(url) as device:
        attempt = device.start_contact_recovery(username)
        _refused("recovery-waiting", device.open_recovery, attempt)  # no approval yet
        _approve(coach, device, attempt)
        clock.advance(hours=71, minutes=59)
        _refused("recovery-waiting", device.open_recovery, attempt)
        clock.advance(minutes=2)
        device.open_recovery(attempt)
        bad = _client(url)
        attempt.token = "x" * 43
        _refused("recovery-unavailable", bad.open_recovery, attempt)
        bad.close()
    youth.close()
    coach.close()


def test_contact_alone_is_refused_by_the_server_and_its_share_opens_nothing(clocked):
    """The contact holds its share and knows the name; it starts a request itself and
    approves it. Before the wait the server refuses; the youth says "Dit ben ik niet", and
    the server refuses for good. Its share alone opens nothing."""
    url, clock, settings = clocked
    youth, username, (coach,) = _people(url)
    with _client(url) as rogue:
        attempt = rogue.start_contact_recovery(username)
        _approve(coach, rogue, attempt)
        _refused("recovery-waiting", rogue.open_recovery, attempt)
        (request,) = youth.recovery_status()["requests"]
        assert youth.veto_recovery(request["id"])["receipt"]["action"] == "recovery:veto"
        clock.advance(**WAIT)
        _refused("recovery-ended", rogue.open_recovery, attempt)
    (sealed,) = sql(settings.database_url, "SELECT sealed FROM recovery_share")
    share = rc.open_share(coach.unlocked().identity.box, bytes(sealed[0]))
    (bundle,) = sql(settings.database_url, "SELECT bundle FROM recovery_setup")
    sealed_bundle = crypto.SealedBundle.from_json(_json(bundle[0]))
    for guess in (bytes(32), share):
        with pytest.raises(crypto.TamperedError):
            rc.open_contact_bundle(sealed_bundle, guess, share, youth.unlocked().account_id)
    youth.close()
    coach.close()


def test_veto_stops_the_request_and_tells_the_contact(clocked):
    url, clock, settings = clocked
    youth, username, (coach,) = _people(url)
    with _client(url) as device:
        attempt = device.start_contact_recovery(username)
        (request,) = youth.recovery_status()["requests"]
        youth.veto_recovery(request["id"])
        assert coach.recovery_asked() == []
        assert device.recovery_progress(attempt)["state"] == "vetoed"
        _refused("recovery-ended", youth.veto_recovery, request["id"])
        clock.advance(**WAIT)
        _refused("recovery-ended", device.open_recovery, attempt)
    rows = sql(settings.database_url, "SELECT account_id, kind FROM notice")
    flat = {(_hex(account), kind) for account, kind in rows}
    coach_id = coach.unlocked().account_id.replace("-", "")
    youth_id = youth.unlocked().account_id.replace("-", "")
    assert (youth_id, "recovery-start") in flat
    assert (coach_id, "recovery-help") in flat
    assert (coach_id, "recovery-veto") in flat
    assert _actions(youth) == ["recovery:setup", "recovery:start", "recovery:veto"]
    youth.close()
    coach.close()


def test_the_device_can_end_its_own_request_and_start_again(clocked):
    """ "Opnieuw beginnen": only the request token ends the request; then a new one can
    start (one live request per account) and the contact is told the old one stopped."""
    url, _, settings = clocked
    youth, username, (coach,) = _people(url)
    with _client(url) as device, _client(url) as other:
        first = device.start_contact_recovery(username)
        _refused("conflict", other.start_contact_recovery, username)
        stranger = RecoveryAttempt(username, first.request_id, "y" * 43, first.device)
        _refused("recovery-unavailable", other.cancel_contact_recovery, stranger)
        receipt = device.cancel_contact_recovery(first)
        assert receipt["receipt"]["action"] == "recovery:cancel"
        assert device.recovery_progress(first)["state"] == "cancelled"
        _refused("recovery-ended", device.cancel_contact_recovery, first)
        assert coach.recovery_asked() == []
        second = device.start_contact_recovery(username)
        assert device.recovery_progress(second)["state"] == "waiting"
        assert [r["id"] for r in coach.recovery_asked()] == [second.request_id]
    rows = sql(settings.database_url, "SELECT account_id, kind FROM notice")
    coach_id = coach.unlocked().account_id.replace("-", "")
    assert (coach_id, "recovery-veto") in {(_hex(a), k) for a, k in rows}
    assert _actions(youth) == [
        "recovery:setup",
        "recovery:start",
        "recovery:cancel",
        "recovery:start",
    ]
    youth.close()
    coach.close()


def test_a_removed_contact_or_an_ended_connection_is_refused(clocked):
    url, clock, _ = clocked
    youth, username, (coach, aunt) = _people(url, 2)
    with _client(url) as device:
        attempt = device.start_contact_recovery(username)
        _approve(coach, device, attempt)
        youth.remove_recovery_contact(coach.unlocked().account_id)
        status = youth.recovery_status()
        assert status["stale"]
        assert [c["revoked"] for c in status["contacts"]].count(True) == 1
        assert coach.recovery_asked() == []
        _refused(
            "not-a-contact",
            coach.api.call,
            "POST",
            f"/api/v1/recovery/asked/{attempt.request_id}/approve",
            json={"challenge": crypto.b64e(bytes(16)), "resealed": crypto.b64e(bytes(80))},
        )
        clock.advance(**WAIT)
        _refused("recovery-waiting", device.open_recovery, attempt)  # approval taken back
        (connection,) = [c for c in youth.connections() if c.other_id == aunt.unlocked().account_id]
        youth.end_connection(connection.id)
        assert aunt.recovery_asked() == []
        _refused("not-a-contact", _challenge, aunt, attempt.request_id)
    youth.close()
    coach.close()
    aunt.close()


def test_a_substituted_device_key_fails_the_short_code(clocked):
    """A server that swaps the device key for one of its own: the contact's app shows a code
    for that key, the youth's device another, and the contact approves nothing."""
    url, _, settings = clocked
    youth, username, (coach,) = _people(url)
    with _client(url) as device:
        attempt = device.start_contact_recovery(username)
        server_key = crypto.Identity.generate().public.box_pk
        sql(
            settings.database_url,
            "UPDATE recovery_request SET device_pk = :pk",
            {"pk": server_key},
        )
        (asked,) = coach.recovery_asked()
        expected = coach.recovery_challenge(asked["id"])
        shown = device.recovery_progress(attempt)["code"]
        assert shown != expected
        with pytest.raises(crypto.TamperedError):
            coach.approve_recovery(asked["id"], shown)
        assert device.recovery_progress(attempt)["approved"] is False
        # An approval for a challenge the contact's app did not make now is refused.
        _refused(
            "short-code-mismatch",
            coach.api.call,
            "POST",
            f"/api/v1/recovery/asked/{asked['id']}/approve",
            json={"challenge": crypto.b64e(bytes(16)), "resealed": crypto.b64e(bytes(80))},
        )
    youth.close()
    coach.close()


def test_the_server_alone_opens_nothing(clocked):
    """A full copy of the database, the server's share included: every 32-byte value in it,
    XORed with the server share or used as the contact share, opens no bundle copy; the
    contact share and the recovery key never appear in it."""
    url, _, settings = clocked
    youth, _, (coach,) = _people(url)
    account = youth.unlocked().account_id
    (row,) = sql(settings.database_url, "SELECT server_share, bundle FROM recovery_setup")
    server_share, bundle = bytes(row[0]), crypto.SealedBundle.from_json(_json(row[1]))
    (sealed,) = sql(settings.database_url, "SELECT sealed FROM recovery_share")
    contact_share = rc.open_share(coach.unlocked().identity.box, bytes(sealed[0]))
    key = rc.xor_shares(server_share, contact_share)
    candidates = set()
    for table in _tables(settings.database_url):
        for values in sql(settings.database_url, f"SELECT * FROM {table}"):
            dump = repr(values).encode() + b"".join(v for v in values if isinstance(v, bytes))
            for needle in (
                contact_share,
                key,
                crypto.b64e(contact_share).encode(),
                crypto.b64e(key).encode(),
            ):
                assert needle not in dump, table
            candidates |= _byte_values(values)
    assert server_share in candidates
    tried = 0
    for guess in candidates:
        for share in (guess, rc.xor_shares(guess, server_share)):
            with pytest.raises(crypto.TamperedError):
                rc.open_contact_bundle(bundle, server_share, share, account)
            tried += 1
    assert tried > 20
    youth.close()
    coach.close()


def test_yearly_check_and_a_new_code(clocked):
    url, _, _ = clocked
    youth, username, (coach,) = _people(url)
    status = youth.recovery_status()
    assert status["code_checked_at"] is None
    assert not status["code_check_due"]
    assert not youth.check_recovery_code("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA")
    assert youth.check_recovery_code(youth.recovery_code)
    assert youth.recovery_status()["code_checked_at"] is not None
    _refused("invalid-credentials", youth.new_recovery_code, "verkeerde-wachtwoordzin")
    new = youth.new_recovery_code(PASSPHRASE)
    assert not youth.check_recovery_code(youth.recovery_code)
    assert youth.check_recovery_code(new)
    assert _actions(youth)[-3:] == [
        "recovery:code-check",
        "recovery:code-new",
        "recovery:code-check",
    ]
    with _client(url) as other:
        _refused("invalid-credentials", other.recover, username, youth.recovery_code, "x" * 20)
        other.recover(username, new, NEW_PASSPHRASE)
    coach.close()
    youth.close()


def test_who_may_do_what(clocked):
    """Every route checks its caller: a professional sets up nothing, nobody vetoes another's
    request, an unknown name has no recovery, a setup naming a stranger is refused."""
    url, _, _ = clocked
    youth, username, (coach,) = _people(url)
    stranger = professional(url)
    _OPEN.append(stranger)
    me = youth.unlocked()
    body = setup_payload(
        coach.unlocked().identity,
        coach.unlocked().account_id,
        [(me.account_id, me.identity.public)],
        rc.DEFAULT_WAIT,
    )
    _refused("forbidden", coach.api.call, "PUT", "/api/v1/recovery/setup", json=body)
    with _client(url) as device:
        _refused("recovery-unavailable", device.start_contact_recovery, "bestaat-niet")
        attempt = device.start_contact_recovery(username)
        _refused("conflict", device.start_contact_recovery, username)
        _refused("forbidden", coach.veto_recovery, attempt.request_id)
        _refused("not-a-contact", _challenge, stranger, attempt.request_id)
        _refused("conflict", youth.set_up_recovery, [coach.unlocked().account_id])
        youth.veto_recovery(attempt.request_id)
    introduce(youth, stranger)
    with pytest.raises(KeyError):
        youth.set_up_recovery([stranger.unlocked().account_id])  # not a connection
    for client in (youth, coach, stranger):
        client.close()


def _hex(value) -> str:
    """An id column as 32 hex digits (SQLite stores a GUID as 16 bytes, PostgreSQL as uuid)."""
    if isinstance(value, (bytes, memoryview)):
        return uuid.UUID(bytes=bytes(value)).hex
    return str(value).replace("-", "")


def _challenge(client: RugzakClient, request_id: str) -> None:
    client.api.call(
        "POST",
        f"/api/v1/recovery/asked/{request_id}/challenge",
        json={"challenge": crypto.b64e(bytes(16))},
    )


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _tables(url: str) -> list[str]:
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        if url.startswith("sqlite")
        else "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    )
    return [r[0] for r in sql(url, query)]


def _byte_values(values) -> set[bytes]:
    """Every 32-byte value in a row: raw bytes, and base64url strings anywhere in text/JSON."""
    out = set()
    for v in values:
        if isinstance(v, (bytes, memoryview)) and len(bytes(v)) == 32:
            out.add(bytes(v))
        for token in re.findall(r"[A-Za-z0-9_-]{43}", repr(v)):
            try:
                raw = crypto.b64d(token)
            except crypto.CryptoError:
                continue
            if len(raw) == 32:
                out.add(raw)
    return out


def _trusted_person(url: str, youth: RugzakClient) -> RugzakClient:
    """A person she trusts makes an account, shows a "vertrouwd persoon" invite; she accepts
    it and both compare key codes. The connection is for recovery only."""
    trusted = professional(url)
    _OPEN.append(trusted)
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
    youth = _client(url)
    username = new_username()
    youth.sign_up(username, PASSPHRASE, birth_date=ADULT)
    trusted = _trusted_person(url, youth)
    youth.set_up_recovery([trusted.unlocked().account_id])
    with _client(url) as device:
        attempt = device.start_contact_recovery(username)
        _approve(trusted, device, attempt)
        clock.advance(**WAIT)
        device.finish_contact_recovery(attempt, NEW_PASSPHRASE)
    with _client(url) as again:
        again.login(username, NEW_PASSPHRASE)
        assert again.recovery_status()["contacts"][0]["account"] == trusted.unlocked().account_id


def test_a_trusted_person_reads_nothing(clocked):
    url, _, _ = clocked
    youth = _client(url)
    youth.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
    trusted = _trusted_person(url, youth)
    dossier = youth.unlocked().dossier_id
    _refused("forbidden", trusted.request_access, dossier, ["plan"], purpose="meekijken")
    with pytest.raises(ApiError) as info:
        trusted.section("plan", dossier)
    assert info.value.status in (403, 404)
    (shown,) = youth.sharing()["connections"]
    assert shown["purpose"] == "recovery"  # the Delen page leaves it out (SharingService)
    # A recovery invite carries no organisation.
    _refused("invalid-input", trusted.create_invite, str(uuid.uuid4()), "recovery")


def test_a_stranger_cannot_become_a_contact(clocked):
    """Someone with an account but no accepted invite is refused by the server, even when
    the youth's own app signs a setup naming them; a stranger cannot approve either."""
    url, _, _ = clocked
    youth = _client(url)
    username = new_username()
    youth.sign_up(username, PASSPHRASE, birth_date=ADULT)
    trusted = _trusted_person(url, youth)
    stranger = professional(url)
    _OPEN.append(stranger)
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
    with _client(url) as device:
        device.start_contact_recovery(username)
        assert stranger.recovery_asked() == []
        assert len(trusted.recovery_asked()) == 1
