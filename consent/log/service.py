"""Appending to a dossier's hash-chained access log, inside the caller's transaction.

Each event hashes `prev_hash ‖ canonical(event)` (dossier.crypto.log_hash), so a server that
edits, drops or reorders an event breaks every later hash; the owner's signed checkpoints pin
the history. Appends for one dossier are serialised by locking the dossier row (PostgreSQL)
or by SQLite's single writer, with an INSERT that checks the head it was chained to.

Only the owner reads the log (`page`), stores checkpoints or records an export; to anyone else
these answer Forbidden, also for a dossier that does not exist, so they are no oracle. The
server checks a checkpoint's signature and that it names a stored event, but it is the owner's
client, not this service, that decides whether a log is trustworthy."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import cast

import msgspec
from sqlalchemy import CTE, Table, bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.log.actions import LogAction
from consent.log.models import LogCheckpoint, LogEvent
from consent.log.schemas import CheckpointIn, CheckpointOut, LogEventOut, LogPage
from dossier import crypto
from dossier.accounts.models import Account
from dossier.db import changed_rows
from dossier.errors import Forbidden, InvalidInput
from dossier.sections.models import Dossier

PAGE_LIMIT = 1000

_EVENT = cast(Table, LogEvent.__table__)
# Prebuilt: the append's INSERT (values as parameters), the same as a data-modifying CTE that
# rides along with the caller's next statement on PostgreSQL (`LogService.pending`), and the
# locking read of the log's head.
INSERT_EVENT = insert(_EVENT)
EVENT_CTE: CTE = (
    insert(_EVENT)
    .values({c.key: bindparam(f"log_{c.key}", type_=c.type) for c in _EVENT.columns})
    .cte("logged")
)
HEAD = (
    select(Dossier.log_seq, Dossier.log_head)
    .where(Dossier.id == bindparam("dossier_id", type_=Dossier.id.type))
    .with_for_update()
)


# SQLite: the append's INSERT only while the log's head is still the one the event was
# chained to. SQLite ignores FOR UPDATE, and Python's sqlite3 starts the transaction only at
# the first write, so a head read before it can be stale; this INSERT takes SQLite's write
# lock either way, so after 0 rows a fresh read of the head stays the head (`append`).
GUARDED_EVENT = insert(_EVENT).from_select(
    [c.key for c in _EVENT.columns],
    select(*(bindparam(c.key, type_=c.type) for c in _EVENT.columns)).where(
        select(Dossier.log_seq + 1)
        .where(Dossier.id == bindparam("dossier_id", type_=Dossier.id.type))
        .scalar_subquery()
        == bindparam("seq", type_=_EVENT.c.seq.type)
    ),
)


def event_json(event: LogEvent) -> dict[str, object]:
    return {
        "seq": event.seq,
        "dossier": str(event.dossier_id),
        "actor": event.actor,
        "action": event.action,
        "section": event.section,
        "at": event.at,
        "prev_hash": crypto.b64e(event.prev_hash),
        "hash": crypto.b64e(event.hash),
    }


def event_out(event: LogEvent) -> LogEventOut:
    return LogEventOut(
        seq=event.seq,
        dossier=str(event.dossier_id),
        actor=event.actor,
        action=event.action,
        section=event.section,
        at=event.at,
        prev_hash=crypto.b64e(event.prev_hash),
        hash=crypto.b64e(event.hash),
    )


def _row(event: LogEvent) -> dict[str, object]:
    return {c.key: getattr(event, c.key) for c in _EVENT.columns}


def checkpoint_out(row: LogCheckpoint) -> CheckpointOut:
    return CheckpointOut(
        v=crypto.VERSION,
        dossier=str(row.dossier_id),
        seq=row.seq,
        hash=crypto.b64e(row.hash),
        signature=crypto.b64e(row.signature),
        created_at=row.created_at,
    )


class LogService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def record(
        self,
        dossier_id: uuid.UUID,
        actor: uuid.UUID | str,
        action: LogAction,
        section: str | None = None,
        at: dt.datetime | None = None,
    ) -> LogEvent:
        """Lock the dossier and read the log's head in one statement, then append."""
        seq, head = await self.head(dossier_id)
        return await self.append(dossier_id, seq, head, actor, action, section, at)

    async def head(self, dossier_id: uuid.UUID) -> tuple[int, bytes | None]:
        """The log's head (`dossier.log_seq`, `dossier.log_head`), with the dossier's row lock
        that keeps it the head until this transaction ends (PostgreSQL)."""
        seq, head = (await self.db.execute(HEAD, {"dossier_id": dossier_id})).one()
        return seq, head

    async def pending(
        self,
        dossier_id: uuid.UUID,
        actor: uuid.UUID | str,
        action: LogAction,
        section: str | None = None,
    ) -> tuple[CTE, dict[str, object]]:
        """Lock and read the head, and return the next event as `EVENT_CTE` and its
        parameters, for the caller to send WITH its next statement (PostgreSQL runs a
        data-modifying CTE whether or not the statement reads it): one round trip less than
        `record`. The caller must send it in this transaction, or the event is lost."""
        seq, head = await self.head(dossier_id)
        return self.pending_after(dossier_id, seq, head, actor, action, section)

    def pending_after(
        self,
        dossier_id: uuid.UUID,
        head_seq: int,
        head_hash: bytes | None,
        actor: uuid.UUID | str,
        action: LogAction,
        section: str | None = None,
    ) -> tuple[CTE, dict[str, object]]:
        """`pending` for a head the caller already read under the dossier's row lock."""
        event = self.event(dossier_id, head_seq, head_hash, actor, action, section)
        return EVENT_CTE, {f"log_{key}": value for key, value in _row(event).items()}

    @staticmethod
    def event(
        dossier_id: uuid.UUID,
        head_seq: int,
        head_hash: bytes | None,
        actor: uuid.UUID | str,
        action: LogAction,
        section: str | None = None,
        at: dt.datetime | None = None,
    ) -> LogEvent:
        """The event after the head (`head_seq`, `head_hash`), its hash chained to the head."""
        seq, prev = head_seq + 1, head_hash or crypto.GENESIS
        fields = {
            "seq": seq,
            "dossier": str(dossier_id),
            "actor": str(actor),
            "action": str(action),
            "section": section,
            "at": crypto.format_time(at or dt.datetime.now(dt.UTC)),
        }
        return LogEvent(
            id=uuid.uuid4(),
            dossier_id=dossier_id,
            seq=seq,
            actor=fields["actor"],
            action=fields["action"],
            section=section,
            at=fields["at"],
            prev_hash=prev,
            hash=crypto.log_hash(prev, fields),
        )

    async def append(
        self,
        dossier_id: uuid.UUID,
        head_seq: int,
        head_hash: bytes | None,
        actor: uuid.UUID | str,
        action: LogAction,
        section: str | None = None,
        at: dt.datetime | None = None,
    ) -> LogEvent:
        """One INSERT after the head (`dossier.log_seq`, `dossier.log_head`) was read under
        the dossier's row lock (PostgreSQL; on SQLite the INSERT is guarded, see
        `GUARDED_EVENT`). A trigger moves the head
        (consent/log/models.py); the unique (dossier, seq) refuses a forked chain."""
        event = self.event(dossier_id, head_seq, head_hash, actor, action, section, at)
        if self.db.get_bind().dialect.name != "sqlite":
            await self.db.execute(INSERT_EVENT, _row(event))
            return event
        if await changed_rows(self.db, GUARDED_EVENT, _row(event)) == 1:
            return event
        # Another writer moved the head after it was read; this transaction now holds SQLite's
        # write lock, so the head read again is current (two more round trips, only then).
        seq, head = await self.head(dossier_id)
        event = self.event(dossier_id, seq, head, actor, action, section, at)
        await self.db.execute(INSERT_EVENT, _row(event))
        return event

    async def _owned(self, actor: uuid.UUID, dossier_id: uuid.UUID) -> Dossier:
        dossier = await self.db.get(Dossier, dossier_id)
        if dossier is None or dossier.owner_id != actor:
            raise Forbidden("only the owner reads this log")
        return dossier

    async def page(
        self, actor: uuid.UUID, dossier_id: uuid.UUID, after: int = 0, limit: int = PAGE_LIMIT
    ) -> LogPage:
        """Events with `seq > after`, oldest first, and the newest stored checkpoint."""
        await self._owned(actor, dossier_id)
        limit = max(1, min(limit, PAGE_LIMIT))
        rows = list(
            await self.db.scalars(
                select(LogEvent)
                .where(LogEvent.dossier_id == dossier_id, LogEvent.seq > after)
                .order_by(LogEvent.seq)
                .limit(limit + 1)
            )
        )
        more = len(rows) > limit
        rows = rows[:limit]
        latest = await self.latest_checkpoint(dossier_id)
        return LogPage(
            events=[event_out(e) for e in rows],
            checkpoint=None if latest is None else checkpoint_out(latest),
            next=rows[-1].seq if more else None,
        )

    async def latest_checkpoint(self, dossier_id: uuid.UUID) -> LogCheckpoint | None:
        latest: LogCheckpoint | None = await self.db.scalar(
            select(LogCheckpoint)
            .where(LogCheckpoint.dossier_id == dossier_id)
            .order_by(LogCheckpoint.seq.desc(), LogCheckpoint.created_at.desc())
            .limit(1)
        )
        return latest

    async def store_checkpoint(
        self, actor: uuid.UUID, dossier_id: uuid.UUID, data: CheckpointIn
    ) -> CheckpointOut:
        """Keep a checkpoint the owner signed over an event this server stores. Storing the
        same `seq` twice keeps the first row."""
        dossier = await self._owned(actor, dossier_id)
        owner = await self.db.get_one(Account, dossier.owner_id)
        try:
            checkpoint = crypto.Checkpoint.from_json(msgspec.structs.asdict(data))
            checkpoint.verify(owner.sign_pk)
        except crypto.CryptoError as exc:
            raise InvalidInput("checkpoint is malformed or not signed by the owner") from exc
        if checkpoint.dossier != str(dossier_id):
            raise InvalidInput("checkpoint names another dossier")
        stored = await self.db.scalar(
            select(LogEvent.hash).where(
                LogEvent.dossier_id == dossier_id, LogEvent.seq == checkpoint.seq
            )
        )
        if stored is None or stored != checkpoint.hash:
            raise InvalidInput("checkpoint does not match a stored event")
        row = await self.db.scalar(
            select(LogCheckpoint).where(
                LogCheckpoint.dossier_id == dossier_id, LogCheckpoint.seq == checkpoint.seq
            )
        )
        if row is None:
            row = LogCheckpoint(
                dossier_id=dossier_id,
                seq=checkpoint.seq,
                hash=checkpoint.hash,
                signature=checkpoint.signature,
            )
            self.db.add(row)
            await self.db.flush()
        return checkpoint_out(row)

    async def export(self, actor: uuid.UUID, dossier_id: uuid.UUID) -> LogEventOut:
        """The owner's client is exporting the dossier (GDPR art. 20): an event of its own."""
        await self._owned(actor, dossier_id)
        return event_out(await self.record(dossier_id, actor, LogAction.EXPORT))
