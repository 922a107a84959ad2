"""The recovery services against a real database (SQLite and PostgreSQL), rolled back per test:
each rule of docs/recovery.md by name, and a refusal writes nothing."""

from __future__ import annotations

import uuid

import msgspec
import pytest

from consent.connections.models import Connection
from consent.connections.service import ConnectionService
from consent.recovery import schemas as s
from consent.recovery.errors import (
    NotAContact,
    RecoveryEnded,
    RecoveryUnavailable,
    RecoveryWaiting,
    ShortCodeMismatch,
)
from consent.recovery.service import RecoveryService
from consent.recovery.setup import SetupService
from dossier import crypto
from dossier.client.recovery import setup_payload
from dossier.crypto import recovery as rc
from dossier.errors import Conflict, Forbidden, InvalidInput
from dossier.sections.models import Dossier
from tests.support.clock import MovableClock
from tests.support.factories import add_account, row_counts


async def _world(db, contacts=1):
    youth_id = crypto.Identity.generate()
    youth = await add_account(db, youth_id, kind="youth")
    dossier = Dossier(id=uuid.uuid4(), owner_id=youth.id)
    db.add(dossier)
    await db.flush()
    helpers = []
    for _ in range(contacts):
        ident = crypto.Identity.generate()
        helper = await add_account(db, ident)
        db.add(
            Connection(
                youth_id=youth.id,
                professional_id=helper.id,
                dossier_id=dossier.id,
                youth_card=bytes(200),
            )
        )
        helpers.append((helper, ident))
    await db.flush()
    return youth, youth_id, helpers


def _setup_in(youth, ident, helpers) -> s.SetupIn:
    body = setup_payload(
        ident, str(youth.id), [(str(h.id), i.public) for h, i in helpers], rc.MIN_WAIT
    )
    return msgspec.convert(body, s.SetupIn)


async def _started(db, clock, contacts=1):
    youth, ident, helpers = await _world(db, contacts)
    await SetupService(db, clock).set_up(youth.id, _setup_in(youth, ident, helpers))
    device = crypto.Identity.generate()
    service = RecoveryService(db, clock)
    started = await service.start(
        s.StartIn(username=youth.username, device_pk=crypto.b64e(device.public.box_pk))
    )
    return youth, helpers, device, service, started


async def _approve(service, helper, ident, request_id, device):
    (asked,) = await service.asked(helper.id)
    challenge = rc.new_challenge()
    await service.challenge(helper.id, request_id, s.ChallengeIn(crypto.b64e(challenge)))
    resealed = rc.reseal_share(ident.box, crypto.b64d(asked.sealed), device.public.box_pk)
    return await service.approve(
        helper.id,
        request_id,
        s.ApproveIn(challenge=crypto.b64e(challenge), resealed=crypto.b64e(resealed)),
    )


async def test_a_setup_names_only_connected_people_with_the_compared_key(db):
    youth, ident, helpers = await _world(db)
    setups = SetupService(db, MovableClock())
    before = await row_counts(db)
    stranger = await add_account(db, crypto.Identity.generate())
    stranger_ident = crypto.Identity.generate()
    with pytest.raises(Forbidden):
        await setups.set_up(youth.id, _setup_in(youth, ident, [(stranger, stranger_ident)]))
    (helper, _), other_key = helpers[0], crypto.Identity.generate()
    with pytest.raises(InvalidInput):  # a key the youth did not compare
        await setups.set_up(youth.id, _setup_in(youth, ident, [(helper, other_key)]))
    with pytest.raises(InvalidInput):  # signed by someone else
        await setups.set_up(youth.id, _setup_in(youth, other_key, helpers))
    data = _setup_in(youth, ident, helpers)
    data.shares[0].sealed = crypto.b64e(bytes(80))
    with pytest.raises(InvalidInput):  # a share the youth did not sign
        await setups.set_up(youth.id, data)
    after = await row_counts(db)
    assert {k: v for k, v in after.items() if k != "account"} == {
        k: v for k, v in before.items() if k != "account"
    }
    with pytest.raises(Forbidden):  # only a youth
        await setups.set_up(helper.id, _setup_in(helper, other_key, [(youth, ident)]))


async def test_the_server_share_waits_for_an_approval_and_the_servers_clock(db):
    clock = MovableClock()
    youth, helpers, device, service, started = await _started(db, clock)
    request_id = uuid.UUID(started.id)
    with pytest.raises(RecoveryWaiting):
        await service.release(request_id, started.token)
    (helper, ident) = helpers[0]
    await _approve(service, helper, ident, request_id, device)
    clock.advance(hours=23, minutes=59)
    with pytest.raises(RecoveryWaiting):
        await service.release(request_id, started.token)
    with pytest.raises(RecoveryUnavailable):
        await service.release(request_id, "x" * 43)
    clock.advance(minutes=2)
    out = await service.release(request_id, started.token)
    share = rc.open_share(device.box, crypto.b64d(out.resealed))
    bundle = crypto.SealedBundle.from_json(out.bundle)
    with pytest.raises(crypto.TamperedError):  # a bundle copy of another identity? no: wrong AD
        rc.open_contact_bundle(bundle, crypto.b64d(out.server_share), share, "another")
    with pytest.raises(Conflict):  # one live request per account
        await service.start(s.StartIn(username=youth.username, device_pk=crypto.b64e(bytes(32))))


async def test_only_the_challenge_the_contact_made_is_approved(db):
    clock = MovableClock()
    _, helpers, device, service, started = await _started(db, clock, contacts=2)
    request_id = uuid.UUID(started.id)
    (first, _), (second, _) = helpers
    await service.challenge(first.id, request_id, s.ChallengeIn(crypto.b64e(bytes(16))))
    with pytest.raises(ShortCodeMismatch):  # another contact's challenge
        await service.approve(
            second.id,
            request_id,
            s.ApproveIn(challenge=crypto.b64e(bytes(16)), resealed=crypto.b64e(bytes(80))),
        )
    with pytest.raises(NotAContact):
        await service.challenge(uuid.uuid4(), request_id, s.ChallengeIn(crypto.b64e(bytes(16))))
    assert device.public.box_pk


async def test_a_veto_ends_the_request_for_good(db):
    clock = MovableClock()
    youth, helpers, device, service, started = await _started(db, clock)
    request_id = uuid.UUID(started.id)
    helper, ident = helpers[0]
    await _approve(service, helper, ident, request_id, device)
    with pytest.raises(Forbidden):
        await service.veto(helper.id, request_id)
    receipt = await service.veto(youth.id, request_id)
    assert receipt.receipt is not None
    assert receipt.receipt.action == "recovery:veto"
    clock.advance(days=3)
    with pytest.raises(RecoveryEnded):
        await service.release(request_id, started.token)
    assert await service.asked(helper.id) == []


async def test_an_ended_connection_revokes_the_share_and_the_approval(db):
    clock = MovableClock()
    youth, helpers, device, service, started = await _started(db, clock)
    request_id = uuid.UUID(started.id)
    helper, ident = helpers[0]
    await _approve(service, helper, ident, request_id, device)
    (connection,) = [v.connection for v in await ConnectionService(db).list_for(youth.id)]
    await ConnectionService(db).end(youth.id, connection.id)
    status = await SetupService(db, clock).status(youth.id)
    assert status.stale
    assert [c.revoked for c in status.contacts] == [True]
    clock.advance(days=2)
    with pytest.raises(RecoveryWaiting):  # the approval went with the share
        await service.release(request_id, started.token)
    with pytest.raises(NotAContact):
        await service.challenge(helper.id, request_id, s.ChallengeIn(crypto.b64e(bytes(16))))


async def test_an_unapproved_request_expires_and_a_new_one_may_start(db):
    clock = MovableClock()
    youth, _, _, service, started = await _started(db, clock)
    again = s.StartIn(username=youth.username, device_pk=crypto.b64e(bytes(32)))
    with pytest.raises(Conflict):
        await service.start(again)
    clock.advance(days=14, minutes=1)
    second = await service.start(again)
    assert second.id != started.id
    old = await service.device_status(uuid.UUID(started.id), started.token)
    assert old.state == "expired"
    with pytest.raises(RecoveryEnded):
        await service.release(uuid.UUID(started.id), started.token)
