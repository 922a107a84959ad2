"""Consent requests: a party asks a youth for sections, for a purpose, for a period."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from dossier.db import Base, utcnow


class ConsentRequest(Base):
    """`kind` is "access" (a request for sections), "aftercare" (a nazorg proposal: saying
    yes also ends everything else the grantee may do in this dossier, a step-down) or
    "handover" (the requester proposes another professional as grantee; a yes connects the
    youth with them and, with `step_down`, ends the requester's grants)."""

    __tablename__ = "consent_request"
    __table_args__ = (
        # My requests (by requester), and my latest of a kind in one dossier (the caseload's
        # nazorg state, once per youth): one seek, not a walk over all my requests.
        Index(
            "ix_consent_request_requester_dossier",
            "requester_id",
            "dossier_id",
            "kind",
            "created_at",
            "id",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    dossier_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    requester_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(16), default="access", server_default="access")
    grantee_kind: Mapped[str] = mapped_column(String(16))
    grantee_id: Mapped[uuid.UUID] = mapped_column(GUID)
    sections: Mapped[list[str]] = mapped_column(JSON)
    permissions: Mapped[list[str]] = mapped_column(JSON)
    purpose: Mapped[str] = mapped_column(Text)
    period_days: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="open")
    granted_sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    answered_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True
    )
    receipts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    note_owner: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    """A handover's note, signed by the requester and sealed to the youth: the server cannot
    read it (docs/professionals.md)."""
    note_grantee: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    """The same note sealed to the proposed professional."""
    step_down: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
