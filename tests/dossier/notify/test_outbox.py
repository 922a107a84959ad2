"""The outbox's own rules, on both databases: a notice and its rows are made once per
(kind, event, recipient), each channel only when the person has it, at the time the mode says."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from dossier.db import utcnow
from dossier.notify.models import MailAddress, Notice, Outbox, PushSubscription
from dossier.notify.outbox import enqueue, next_digest
from dossier.notify.worker import backoff
from tests.support.factories import add_account


async def rows(db, account_id):
    notices = await db.scalar(
        select(func.count()).select_from(Notice).where(Notice.account_id == account_id)
    )
    outbox = list(
        await db.execute(
            select(Outbox.channel, Outbox.purpose, Outbox.due_at).where(
                Outbox.account_id == account_id
            )
        )
    )
    return notices, outbox


async def with_mail(db, mode, *, confirmed=True):
    account = await add_account(db)
    db.add(
        MailAddress(
            account_id=account.id,
            address="x@example.test",
            mode=mode,
            confirmed_at=utcnow() if confirmed else None,
            unsubscribe_token=uuid.uuid4().hex,
        )
    )
    await db.flush()
    return account


async def test_enqueueing_the_same_event_twice_makes_one_notice_and_one_mail(db):
    account = await with_mail(db, "direct")
    event = uuid.uuid4()
    await enqueue(db, account.id, "entry", event, section="notities")
    await enqueue(db, account.id, "entry", event, section="notities")
    notices, outbox = await rows(db, account.id)
    assert notices == 1
    assert [(c, p) for c, p, _ in outbox] == [("email", "news")]


async def test_no_channel_means_an_in_app_notice_only(db):
    account = await add_account(db)
    await enqueue(db, account.id, "request", uuid.uuid4())
    assert await rows(db, account.id) == (1, [])


@pytest.mark.parametrize(
    ("mode", "confirmed", "kind", "expected"),
    [
        ("never", True, "entry", []),
        ("never", True, "new-device", [("email", "security", "now")]),
        ("daily", True, "entry", [("email", "news", "digest")]),
        ("daily", True, "passphrase", [("email", "security", "now")]),
        ("direct", False, "entry", []),
        ("direct", False, "new-device", []),
    ],
)
async def test_the_mode_decides_when_mail_goes_and_security_ignores_it(
    db, mode, confirmed, kind, expected
):
    account = await with_mail(db, mode, confirmed=confirmed)
    before = utcnow()
    await enqueue(db, account.id, kind, uuid.uuid4())
    _, outbox = await rows(db, account.id)
    when = {}
    for channel, purpose, due in outbox:
        due_utc = due.astimezone(dt.UTC)
        when[channel, purpose] = (
            "digest"
            if due_utc == next_digest(before)
            else ("now" if due_utc - before < dt.timedelta(minutes=1) else "?")
        )
    assert [(c, p, w) for (c, p), w in when.items()] == expected


async def test_a_device_gets_a_push_row_and_unknown_kinds_are_refused(db):
    account = await add_account(db)
    db.add(
        PushSubscription(
            account_id=account.id, endpoint="https://push.example/x", p256dh="p", auth="a"
        )
    )
    await db.flush()
    await enqueue(db, account.id, "grant", uuid.uuid4())
    _, outbox = await rows(db, account.id)
    assert [(c, p) for c, p, _ in outbox] == [("push", "news")]
    with pytest.raises(ValueError, match="gossip"):
        await enqueue(db, account.id, "gossip", uuid.uuid4())


def test_the_digest_is_the_next_seven_oclock_in_amsterdam():
    winter_evening = dt.datetime(2026, 12, 4, 20, 0, tzinfo=dt.UTC)
    assert next_digest(winter_evening) == dt.datetime(2026, 12, 5, 6, 0, tzinfo=dt.UTC)
    summer_dawn = dt.datetime(2026, 7, 1, 4, 0, tzinfo=dt.UTC)  # 06:00 in Amsterdam
    assert next_digest(summer_dawn) == dt.datetime(2026, 7, 1, 5, 0, tzinfo=dt.UTC)


def test_backoff_doubles_from_30_seconds_up_to_an_hour():
    assert [backoff(n).total_seconds() for n in (0, 1, 2, 3)] == [30, 60, 120, 240]
    assert backoff(50) == dt.timedelta(hours=1)
