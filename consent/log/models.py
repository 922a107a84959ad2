"""The access log ("Wie keek in mijn rugzak?"): a hash chain per dossier, and the owner's
signed checkpoints. Event names are stable: the chain covers them."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dossier.accounts.models import utcnow
from dossier.db import Base


class LogEvent(Base):
    __tablename__ = "log_event"
    __table_args__ = (UniqueConstraint("dossier_id", "seq"),)

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    dossier_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("dossier.id", ondelete="CASCADE"), index=True
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
