"""A professional's profile card, signed and sealed by their client to their own box key.
The server stores it and cannot read it; the professional's client reopens it to seal a copy
to an invite (`Invite.card`) or to a connected youth (`Connection.professional_card`)."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import ForeignKey, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from dossier.db import Base, utcnow


class ProfessionalProfile(Base):
    __tablename__ = "professional_profile"

    account_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    card: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTimeUTC(timezone=True), default=utcnow, onupdate=utcnow
    )
