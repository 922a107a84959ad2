"""Notice, outbox and channel tables. Nothing here holds content: a notice names a kind, the
event's id, and where in the dossier it happened (ids and a section key the server already
keeps). The mail address is the one plaintext personal datum; it has a table of its own and
goes with the account (ON DELETE CASCADE, and `dossier.deletion` deletes it explicitly)."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dossier.db import Base, utcnow


class Notice(Base):
    """One event for one recipient: the in-app "nieuw" state (`read_at`) and the source of the
    outbox rows. Unique per (kind, event, recipient), so enqueueing twice is harmless."""

    __tablename__ = "notice"
    __table_args__ = (
        UniqueConstraint("kind", "event_id", "account_id"),
        # My unread notices (the badge, the inbox) and, with the dossier, whether I have one
        # about a youth (the caseload's "Nieuw", one EXISTS per row: without the dossier in the
        # index that EXISTS walked all my unread notices, most of the caseload's SQL time).
        Index("ix_notice_account_unread", "account_id", "read_at", "dossier_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[uuid.UUID] = mapped_column(GUID)
    dossier_id: Mapped[uuid.UUID | None] = mapped_column(
        GUID, ForeignKey("dossier.id", ondelete="CASCADE"), nullable=True
    )
    section: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class Outbox(Base):
    """One message to send on one channel, written in the event's transaction. `notice_id` is
    None for a confirmation mail; unique per (notice, channel), so a notice is queued once.
    The worker sets `sent_at` in the transaction that follows a successful send; a failure
    moves `due_at` on (backoff) and never drops the row."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("notice_id", "channel"),
        Index("ix_outbox_pending", "sent_at", "due_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    notice_id: Mapped[uuid.UUID | None] = mapped_column(
        GUID, ForeignKey("notice.id", ondelete="CASCADE"), nullable=True
    )
    channel: Mapped[str] = mapped_column(String(8))
    purpose: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)


class MailAddress(Base):
    """A person's address for notices. `confirm_hash` is the SHA-256 of the double opt-in
    token the worker made when it sent the confirmation (the token itself is never stored);
    `unsubscribe_token` is in every message's one-click unsubscribe link and can only remove
    this row. Never logged."""

    __tablename__ = "mail_address"

    account_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    address: Mapped[str] = mapped_column(String(254))
    mode: Mapped[str] = mapped_column(String(8), default="direct")
    confirm_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32), nullable=True)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True
    )
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)


class PushSubscription(Base):
    """One device's Web Push subscription (RFC 8030): the push service's endpoint and the
    browser's public keys. A 410 from the push service deletes the row."""

    __tablename__ = "push_subscription"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    endpoint: Mapped[str] = mapped_column(Text)
    p256dh: Mapped[str] = mapped_column(String(128))
    auth: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
