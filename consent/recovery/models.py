"""Recovery-contact tables. The server holds its own share in the clear (alone it opens
nothing), the contacts' shares sealed to their box keys, the youth-signed setup record and a
copy of the key bundle sealed under the recovery key it cannot make."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from dossier.db import Base, utcnow


class RecoverySetup(Base):
    __tablename__ = "recovery_setup"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True)
    account_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), unique=True
    )
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    server_share: Mapped[bytes] = mapped_column(LargeBinary(32))
    bundle: Mapped[dict[str, Any]] = mapped_column(JSON)
    wait_seconds: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    stale_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    """Set when a contact was removed or their connection ended: the youth must rotate."""


class RecoveryShare(Base):
    __tablename__ = "recovery_share"
    __table_args__ = (UniqueConstraint("setup_id", "contact_id"),)

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    setup_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("recovery_setup.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    sealed: Mapped[bytes] = mapped_column(LargeBinary(80))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True
    )


class RecoveryRequest(Base):
    """One "Ik kom er niet meer in". `state`: waiting → released → done, or vetoed (by the
    youth) or cancelled (by the device, "Opnieuw beginnen"); a
    waiting request past `expires_at` is over (marked `expired` when the next one starts).
    The device holds a random token; the server keeps its SHA-256."""

    __tablename__ = "recovery_request"
    __table_args__ = (
        # At most one live request per account, also when two starts race.
        Index(
            "uq_recovery_request_live",
            "account_id",
            unique=True,
            postgresql_where=text("state IN ('waiting', 'released')"),
            sqlite_where=text("state IN ('waiting', 'released')"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    setup_id: Mapped[uuid.UUID | None] = mapped_column(
        GUID, ForeignKey("recovery_setup.id", ondelete="SET NULL"), nullable=True
    )
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    device_pk: Mapped[bytes] = mapped_column(LargeBinary(32))
    state: Mapped[str] = mapped_column(String(16), default="waiting")
    started_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    not_before: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    challenge: Mapped[bytes | None] = mapped_column(LargeBinary(16), nullable=True)
    challenge_by: Mapped[uuid.UUID | None] = mapped_column(GUID, nullable=True)
    approved_by: Mapped[uuid.UUID | None] = mapped_column(GUID, nullable=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True
    )
    resealed: Mapped[bytes | None] = mapped_column(LargeBinary(80), nullable=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
