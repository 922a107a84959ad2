"""LogService against a real database (SQLite and PostgreSQL), inside a rolled-back
transaction: the chain it writes, the owner-only page, checkpoints and the export event."""

import itertools
import uuid

import msgspec
import pytest
from sqlalchemy import func, select

from consent.log.actions import LogAction
from consent.log.models import LogEvent
from consent.log.schemas import CheckpointIn
from consent.log.service import LogService
from dossier import crypto
from dossier.errors import Forbidden, InvalidInput
from dossier.sections.models import Dossier
from tests.support.factories import account_row


async def make_dossier(db, identity=None):
    identity = identity or crypto.Identity.generate()
    account = account_row(identity, kind="youth")
    dossier = Dossier(id=uuid.uuid4(), owner_id=account.id)
    db.add(account)
    await db.flush()
    db.add(dossier)
    await db.flush()
    return dossier


def as_json(page):
    return [msgspec.to_builtins(e) for e in page.events]


def checkpoint_in(identity, dossier_id, seq, hash_):
    signed = crypto.sign_checkpoint(identity, str(dossier_id), seq, hash_)
    return CheckpointIn(**signed.to_json())


async def test_seq_increases_and_each_event_links_to_the_previous(db):
    dossier = await make_dossier(db)
    log = LogService(db)
    actor = uuid.uuid4()
    events = [
        await log.record(dossier.id, actor, LogAction.READ, "verhaal"),
        await log.record(dossier.id, actor, LogAction.APPEND, "plan"),
        await log.record(dossier.id, actor, LogAction.LOGIN),
    ]
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == crypto.GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    page = await log.page(dossier.owner_id, dossier.id)
    assert crypto.verify_chain(as_json(page)) == events[-1].hash
    assert [e.action for e in page.events] == ["section:read", "section:append", "account:login"]
    assert page.events[2].section is None


async def test_two_dossiers_have_independent_chains(db):
    one, two = await make_dossier(db), await make_dossier(db)
    log = LogService(db)
    for _ in range(3):
        await log.record(one.id, one.owner_id, LogAction.LOGIN)
        await log.record(two.id, two.owner_id, LogAction.EXPORT)
    for dossier in (one, two):
        page = await log.page(dossier.owner_id, dossier.id)
        assert [e.seq for e in page.events] == [1, 2, 3]
        assert page.events[0].prev_hash == crypto.b64e(crypto.GENESIS)
        crypto.verify_chain(as_json(page))


async def test_a_rolled_back_record_leaves_nothing(db):
    dossier = await make_dossier(db)
    log = LogService(db)

    async def record_then_fail():
        async with db.begin_nested():
            await log.record(dossier.id, dossier.owner_id, LogAction.LOGIN)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        await record_then_fail()
    count = await db.scalar(
        select(func.count()).select_from(LogEvent).where(LogEvent.dossier_id == dossier.id)
    )
    assert count == 0
    event = await log.record(dossier.id, dossier.owner_id, LogAction.LOGIN)
    assert (event.seq, event.prev_hash) == (1, crypto.GENESIS)


async def test_pages_run_in_order_and_say_where_to_continue(db):
    dossier = await make_dossier(db)
    log = LogService(db)
    for _ in range(5):
        await log.record(dossier.id, dossier.owner_id, LogAction.LOGIN)
    first = await log.page(dossier.owner_id, dossier.id, after=0, limit=2)
    assert ([e.seq for e in first.events], first.next) == ([1, 2], 2)
    last = await log.page(dossier.owner_id, dossier.id, after=4, limit=2)
    assert ([e.seq for e in last.events], last.next) == ([5], None)
    clamped = await log.page(dossier.owner_id, dossier.id, limit=0)
    assert len(clamped.events) == 1


async def test_only_the_owner_reads_stores_or_exports(db):
    dossier = await make_dossier(db)
    log = LogService(db)
    event = await log.record(dossier.id, dossier.owner_id, LogAction.LOGIN)
    stranger = uuid.uuid4()
    body = checkpoint_in(crypto.Identity.generate(), dossier.id, 1, event.hash)
    with pytest.raises(Forbidden):
        await log.page(stranger, dossier.id)
    with pytest.raises(Forbidden):
        await log.page(dossier.owner_id, uuid.uuid4())
    with pytest.raises(Forbidden):
        await log.store_checkpoint(stranger, dossier.id, body)
    with pytest.raises(Forbidden):
        await log.export(stranger, dossier.id)


async def test_checkpoints_are_checked_stored_once_and_the_newest_is_served(db):
    owner = crypto.Identity.generate()
    dossier = await make_dossier(db, owner)
    log = LogService(db)
    first = await log.record(dossier.id, dossier.owner_id, LogAction.LOGIN)
    second = await log.export(dossier.owner_id, dossier.id)
    assert second.action == "dossier:export"
    assert (await log.page(dossier.owner_id, dossier.id)).checkpoint is None
    stored = await log.store_checkpoint(
        dossier.owner_id, dossier.id, checkpoint_in(owner, dossier.id, 2, crypto.b64d(second.hash))
    )
    older = checkpoint_in(owner, dossier.id, 1, first.hash)
    await log.store_checkpoint(dossier.owner_id, dossier.id, older)
    again = await log.store_checkpoint(dossier.owner_id, dossier.id, older)
    assert again.created_at is not None
    served = (await log.page(dossier.owner_id, dossier.id)).checkpoint
    assert served == stored
    crypto.Checkpoint.from_json(msgspec.to_builtins(served)).verify(owner.public.sign_pk)
    for bad in (
        checkpoint_in(crypto.Identity.generate(), dossier.id, 1, first.hash),
        checkpoint_in(owner, dossier.id, 2, first.hash),
        checkpoint_in(owner, dossier.id, 3, first.hash),
        checkpoint_in(owner, uuid.uuid4(), 1, first.hash),
        CheckpointIn(v=1, dossier=str(dossier.id), seq=1, hash="AAAA", signature="AAAA"),
    ):
        with pytest.raises(InvalidInput):
            await log.store_checkpoint(dossier.owner_id, dossier.id, bad)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_on_sqlite_an_append_after_a_stale_head_chains_to_the_current_one(db):
    """SQLite has no row lock: a head read before another writer's commit is stale, and the
    guarded INSERT then reads the head again under SQLite's write lock (GUARDED_EVENT).
    PostgreSQL reads the head under the dossier's row lock, so it never sees a stale one."""
    dossier = await make_dossier(db)
    log = LogService(db)
    actor = uuid.uuid4()
    first = await log.record(dossier.id, actor, LogAction.READ, "verhaal")
    late = await log.append(dossier.id, 0, None, actor, LogAction.APPEND, "plan")  # stale head
    assert (late.seq, late.prev_hash) == (2, first.hash)
    page = await log.page(dossier.owner_id, dossier.id)
    assert crypto.verify_chain(as_json(page)) == late.hash
