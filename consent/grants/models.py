"""Grants: per section, to a person or an organisation, read and/or append, with a purpose,
an expiry and the owner-signed receipt. A read grant carries the section private key sealed to
the grantee; an append-only grant carries nothing secret."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dossier.db import Base, utcnow


class Grant(Base):
    __tablename__ = "consent_grant"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True)
    dossier_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    section: Mapped[str] = mapped_column(String(32))
    grantee_kind: Mapped[str] = mapped_column(String(16))
    grantee_id: Mapped[uuid.UUID] = mapped_column(GUID, index=True)
    can_read: Mapped[bool] = mapped_column(Boolean)
    can_append: Mapped[bool] = mapped_column(Boolean)
    purpose: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True
    )
    rotated_out: Mapped[bool] = mapped_column(Boolean, default=False)
    request_id: Mapped[uuid.UUID | None] = mapped_column(GUID, nullable=True, index=True)
    receipt: Mapped[dict[str, Any]] = mapped_column(JSON)
    envelope: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    envelope_key_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The owner's signed grant end (crypto.sign_grant_end), served with the receipt so that
    # readers refuse entries the grantee signs after it (consent/grants/ends.py).
    end_statement: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
