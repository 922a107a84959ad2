"""What a contact, the server or a caller without the right can do alone in a recovery, over
real HTTP: nothing. The contact's share opens nothing, a substituted device key fails the short
code, a full copy of the database opens no bundle, and every route checks its caller."""

from __future__ import annotations

import json
import re

import pytest

from dossier import crypto
from dossier.client.recovery import setup_payload
from dossier.crypto import recovery as rc
from tests.e2e.conftest import OPENED, introduce, professional
from tests.e2e.recovery_support import (
    WAIT,
    approve,
    ask_challenge,
    new_client,
    people,
    refused,
)
from tests.support.sql import sql

pytestmark = pytest.mark.usefixtures("close_opened")


def test_contact_alone_is_refused_by_the_server_and_its_share_opens_nothing(clocked):
    """The contact holds its share and knows the name; it starts a request itself and
    approves it. Before the wait the server refuses; the youth says "Dit ben ik niet", and
    the server refuses for good. Its share alone opens nothing."""
    url, clock, settings = clocked
    youth, username, (coach,) = people(url)
    with new_client(url) as rogue:
        attempt = rogue.start_contact_recovery(username)
        approve(coach, rogue, attempt)
        refused("recovery-waiting", rogue.open_recovery, attempt)
        (request,) = youth.recovery_status()["requests"]
        assert youth.veto_recovery(request["id"])["receipt"]["action"] == "recovery:veto"
        clock.advance(**WAIT)
        refused("recovery-ended", rogue.open_recovery, attempt)
    (sealed,) = sql(settings.database_url, "SELECT sealed FROM recovery_share")
    share = rc.open_share(coach.unlocked().identity.box, bytes(sealed[0]))
    (bundle,) = sql(settings.database_url, "SELECT bundle FROM recovery_setup")
    sealed_bundle = crypto.SealedBundle.from_json(_json(bundle[0]))
    for guess in (bytes(32), share):
        with pytest.raises(crypto.TamperedError):
            rc.open_contact_bundle(sealed_bundle, guess, share, youth.unlocked().account_id)
    youth.close()
    coach.close()


def test_a_substituted_device_key_fails_the_short_code(clocked):
    """A server that swaps the device key for one of its own: the contact's app shows a code
    for that key, the youth's device another, and the contact approves nothing."""
    url, _, settings = clocked
    youth, username, (coach,) = people(url)
    with new_client(url) as device:
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
        refused(
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
    youth, _, (coach,) = people(url)
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


def test_who_may_do_what(clocked):
    """Every route checks its caller: a professional sets up nothing, nobody vetoes another's
    request, an unknown name has no recovery, a setup naming a stranger is refused."""
    url, _, _ = clocked
    youth, username, (coach,) = people(url)
    stranger = professional(url)
    OPENED.append(stranger)
    me = youth.unlocked()
    body = setup_payload(
        coach.unlocked().identity,
        coach.unlocked().account_id,
        [(me.account_id, me.identity.public)],
        rc.DEFAULT_WAIT,
    )
    refused("forbidden", coach.api.call, "PUT", "/api/v1/recovery/setup", json=body)
    with new_client(url) as device:
        refused("recovery-unavailable", device.start_contact_recovery, "bestaat-niet")
        attempt = device.start_contact_recovery(username)
        refused("conflict", device.start_contact_recovery, username)
        refused("forbidden", coach.veto_recovery, attempt.request_id)
        refused("not-a-contact", ask_challenge, stranger, attempt.request_id)
        refused("conflict", youth.set_up_recovery, [coach.unlocked().account_id])
        youth.veto_recovery(attempt.request_id)
    introduce(youth, stranger)
    with pytest.raises(KeyError):
        youth.set_up_recovery([stranger.unlocked().account_id])  # not a connection
    for client in (youth, coach, stranger):
        client.close()


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
