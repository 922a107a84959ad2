"""The access log ("Wie keek in mijn rugzak?"): a hash chain per dossier, and the owner's
signed checkpoints. Event names are stable: the chain covers them."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import DDL, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from dossier.db import Base, utcnow


class LogEvent(Base):
    __tablename__ = "log_event"
    __table_args__ = (
        UniqueConstraint("dossier_id", "seq"),
        # A professional's last visit to a dossier (the caseload's "nieuw sinds je bezoek", one
        # per youth): a seek, not a walk over the dossier's whole log. The unique constraint
        # above already serves every lookup by dossier, so this replaces the plain index on it.
        Index("ix_log_event_dossier_actor", "dossier_id", "actor", "action", "at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    dossier_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("dossier.id", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    section: Mapped[str | None] = mapped_column(String(32), nullable=True)
    at: Mapped[str] = mapped_column(String(20))
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LogCheckpoint(Base):
    __tablename__ = "log_checkpoint"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    dossier_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    signature: Mapped[bytes] = mapped_column(LargeBinary(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)


# The dossier row carries the log's head (dossier.log_seq, dossier.log_head); this trigger
# moves it in the inserting transaction, so an append is one INSERT after the locking read.
# Used by migration 0003 and by `create_all` (tests/migrations/test_round_trip.py).
_MOVE_HEAD = "UPDATE dossier SET log_seq = NEW.seq, log_head = NEW.hash WHERE id = NEW.dossier_id"
TRIGGER_DDL: dict[str, list[str]] = {
    "postgresql": [
        (
            "CREATE FUNCTION log_event_head() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN {_MOVE_HEAD}; RETURN NEW; END $$"
        ),
        (
            "CREATE TRIGGER log_event_head AFTER INSERT ON log_event"
            " FOR EACH ROW EXECUTE FUNCTION log_event_head()"
        ),
    ],
    "sqlite": [
        f"CREATE TRIGGER log_event_head AFTER INSERT ON log_event BEGIN {_MOVE_HEAD}; END",
    ],
}
TRIGGER_DROP: dict[str, list[str]] = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS log_event_head ON log_event",
        "DROP FUNCTION IF EXISTS log_event_head()",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS log_event_head"],
}
for _dialect, _statements in TRIGGER_DDL.items():
    for _statement in _statements:
        event.listen(
            LogEvent.__table__,
            "after_create",
            DDL(_statement).execute_if(dialect=_dialect),  # type: ignore[no-untyped-call]
        )
