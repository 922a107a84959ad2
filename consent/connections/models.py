"""Invites and connections between a youth and a professional (or a trusted person whose
connection is for recovery only, `purpose = "recovery"`).

A connection shares nothing by itself: it carries the two profile cards, each sealed to the
other side's box key (signed, then sealed), and who the youth's fixed contact person is."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import Boolean, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dossier.db import Base, utcnow


class Invite(Base):
    __tablename__ = "invite"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    professional_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    org_id: Mapped[uuid.UUID | None] = mapped_column(
        GUID, ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    connection_id: Mapped[uuid.UUID | None] = mapped_column(GUID, nullable=True)
    purpose: Mapped[str] = mapped_column(String(16), default="care", server_default="care")
    """"care" (a professional) or "recovery" (a trusted person, recovery contact only)."""
    card: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    """The professional's profile card sealed to the token's key (dossier/crypto/invites.py):
    the invite page shows who invites; the server cannot read it."""


class Connection(Base):
    __tablename__ = "connection"
    __table_args__ = (UniqueConstraint("youth_id", "professional_id"),)

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    youth_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    professional_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    dossier_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    org_id: Mapped[uuid.UUID | None] = mapped_column(
        GUID, ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True
    )
    youth_card: Mapped[bytes] = mapped_column(LargeBinary)
    professional_card: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    contact_person: Mapped[bool] = mapped_column(Boolean, default=False)
    purpose: Mapped[str] = mapped_column(String(16), default="care", server_default="care")
    """"recovery": a trusted person connected only to be a recovery contact (docs/recovery.md):
    they cannot ask for consent, are not in a caseload and are not offered for sharing."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
