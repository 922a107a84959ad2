"""Appending to a dossier's hash-chained access log, inside the caller's transaction.

Each event hashes `prev_hash ‖ canonical(event)` (dossier.crypto.log_hash), so a server that
edits, drops or reorders an event breaks every later hash; the owner's signed checkpoints pin
the history. Appends for one dossier are serialised by locking the dossier row (PostgreSQL)
or by SQLite's single writer."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.log.actions import LogAction
from consent.log.models import LogEvent
from dossier import crypto
from dossier.store.models import Dossier


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
        await self.db.execute(select(Dossier.id).where(Dossier.id == dossier_id).with_for_update())
        last = (
            await self.db.execute(
                select(LogEvent.seq, LogEvent.hash)
                .where(LogEvent.dossier_id == dossier_id)
                .order_by(LogEvent.seq.desc())
                .limit(1)
            )
        ).first()
        seq, prev = (1, crypto.GENESIS) if last is None else (last.seq + 1, last.hash)
        fields = {
            "seq": seq,
            "dossier": str(dossier_id),
            "actor": str(actor),
            "action": str(action),
            "section": section,
            "at": crypto.format_time(at or dt.datetime.now(dt.UTC)),
        }
        event = LogEvent(
            dossier_id=dossier_id,
            seq=seq,
            actor=fields["actor"],
            action=fields["action"],
            section=section,
            at=fields["at"],
            prev_hash=prev,
            hash=crypto.log_hash(prev, fields),
        )
        self.db.add(event)
        await self.db.flush()
        return event
