"""How a worker takes due outbox rows and writes back what became of them.

The lease is the row's own `due_at`: claiming moves it to `now + lease`, so no other worker
sees the row as due until the lease ends, and a worker that died holding it gives it back by
doing nothing. One statement claims (`UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)
RETURNING …`) and commits at once: on PostgreSQL two workers skip each other's locked rows,
and a row another worker has just claimed is no longer due when the lock is released; on
SQLite the statement takes the database's write lock before it reads, so a second worker
waits instead of reading the same rows (run one worker per SQLite file anyway).

What happened is written back in batches (`Outcome`): one `UPDATE … WHERE id IN (…)` marks
every message sent since the last write, in one commit with the rows to retry, drop, and the
confirmation hashes. docs/notifications.md, "Sent once", says what that costs after a crash.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dossier.db import utcnow
from dossier.notify.models import MailAddress, Notice, Outbox, PushSubscription

LEASE = dt.timedelta(minutes=10)
"""How long a claim keeps rows from other workers. A worker starts no send after half of it
has passed (`Worker`), so the other half covers the send in flight and the final write."""


@dataclass(frozen=True, slots=True)
class Claimed:
    id: uuid.UUID
    account_id: uuid.UUID
    channel: str
    purpose: str
    attempts: int
    notice_id: uuid.UUID | None


async def claim(
    db: AsyncSession, now: dt.datetime, limit: int, lease: dt.timedelta = LEASE
) -> list[Claimed]:
    """Take up to `limit` due rows for `lease` and commit, so the claim holds before any send."""
    due = (
        select(Outbox.id)
        .where(Outbox.sent_at.is_(None), Outbox.due_at <= now)
        .order_by(Outbox.due_at, Outbox.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite renders no FOR UPDATE
    )
    statement = (
        update(Outbox)
        .where(Outbox.id.in_(due.scalar_subquery()))
        .values(due_at=now + lease)
        .returning(
            Outbox.id,
            Outbox.account_id,
            Outbox.channel,
            Outbox.purpose,
            Outbox.attempts,
            Outbox.notice_id,
        )
    )
    rows = [Claimed(*row) for row in (await (await db.connection()).execute(statement)).all()]
    await db.commit()
    rows.sort(key=lambda r: r.id)
    return rows


async def details(
    db: AsyncSession, rows: list[Claimed]
) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, tuple[str, str]]]:
    """The notices' kinds, and each account's address and unsubscribe token (read once per
    claim, not per message)."""
    notices = [r.notice_id for r in rows if r.notice_id is not None]
    kinds: dict[uuid.UUID, str] = {}
    if notices:
        kinds = dict(
            (await db.execute(select(Notice.id, Notice.kind).where(Notice.id.in_(notices)))).all()  # type: ignore[arg-type]
        )
    accounts = {r.account_id for r in rows if r.channel == "email"}
    mails: dict[uuid.UUID, tuple[str, str]] = {}
    if accounts:
        found = await db.execute(
            select(
                MailAddress.account_id, MailAddress.address, MailAddress.unsubscribe_token
            ).where(MailAddress.account_id.in_(accounts))
        )
        mails = {account: (address, token) for account, address, token in found.all()}
    await db.commit()
    return kinds, mails


@dataclass(slots=True)
class Outcome:
    """What became of the messages since the last write, applied in one transaction."""

    sent: list[uuid.UUID] = field(default_factory=list)
    dropped: list[uuid.UUID] = field(default_factory=list)
    released: list[uuid.UUID] = field(default_factory=list)
    retry: list[tuple[list[uuid.UUID], int, dt.datetime]] = field(default_factory=list)
    confirm_hashes: dict[uuid.UUID, bytes] = field(default_factory=dict)
    gone_devices: list[uuid.UUID] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sent) + len(self.dropped) + len(self.retry)

    async def write(self, db: AsyncSession, now: dt.datetime) -> None:
        """Apply and commit; afterwards this outcome is empty again. Every statement but the
        retries is one per batch, whatever its size."""
        connection = await db.connection()
        pending = Outbox.sent_at.is_(None)
        if self.sent:
            await connection.execute(
                update(Outbox).where(Outbox.id.in_(self.sent)).values(sent_at=utcnow())
            )
        for account_id, digest in self.confirm_hashes.items():
            await connection.execute(
                update(MailAddress)
                .where(MailAddress.account_id == account_id)
                .values(confirm_hash=digest)
            )
        for ids, attempts, due in self.retry:
            await connection.execute(
                update(Outbox)
                .where(Outbox.id.in_(ids), pending)
                .values(attempts=attempts, due_at=due)
            )
        if self.released:  # not tried: due again at once, no attempt counted
            await connection.execute(
                update(Outbox).where(Outbox.id.in_(self.released), pending).values(due_at=now)
            )
        if self.dropped:
            await connection.execute(delete(Outbox).where(Outbox.id.in_(self.dropped)))
        if self.gone_devices:
            await connection.execute(
                delete(PushSubscription).where(PushSubscription.id.in_(self.gone_devices))
            )
        await db.commit()
        self.sent, self.dropped, self.released, self.retry = [], [], [], []
        self.confirm_hashes, self.gone_devices = {}, []
