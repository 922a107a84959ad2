"""Campaign tables. What the server holds per student is the school's own reference, the
name sealed to the school's organisation key (it cannot open it), the SHA-256 of the personal
link token, and the answer's state: never content, never contact details."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dossier.db import Base, utcnow


class Campaign(Base):
    __tablename__ = "campaign"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    school_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    receiver_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    sections: Mapped[list[str]] = mapped_column(JSON)
    purpose: Mapped[str] = mapped_column(Text)
    period_days: Mapped[int] = mapped_column(Integer)
    closes_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    school_text: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """The school's contact person (name, phone or e-mail), printed on every sheet."""
    created_by: Mapped[str] = mapped_column(String(64))
    """`account:<id>` or `partner:<client id>`: who made it, for the school's own audit."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)


class CampaignEntry(Base):
    """One student of a campaign. `youth_id` is set when a logged-in youth answers: from then
    on the link is used up and the answer is changed from the youth's own rugzak."""

    __tablename__ = "campaign_entry"
    __table_args__ = (UniqueConstraint("campaign_id", "reference"),)

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    reference: Mapped[str] = mapped_column(String(64))
    sealed_name: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    sealed_group: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    """The class or programme, sealed like the name: sorts and splits the print run."""
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    code_hash: Mapped[bytes | None] = mapped_column(
        LargeBinary(32), unique=True, index=True, nullable=True
    )
    """The short code to type instead of the link (`service.new_code`), hashed like the token."""
    state: Mapped[str] = mapped_column(String(16), default="not_opened")
    youth_id: Mapped[uuid.UUID | None] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="SET NULL"), nullable=True, index=True
    )
    opened_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True
    )


class PartnerClient(Base):
    """An OAuth 2.0 client of a school's student information system. The secret is random
    (256 bits) and kept only as its SHA-256: shown once, never stored."""

    __tablename__ = "partner_client"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    org_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    secret_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_by: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE")
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True
    )


class PartnerToken(Base):
    __tablename__ = "partner_token"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    client_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("partner_client.id", ondelete="CASCADE"), index=True
    )
    scopes: Mapped[list[str]] = mapped_column(JSON)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
