"""Which professional account an organisation's OpenID Connect subject signs in as.

A link is made by the professional themself (signed in with their passphrase, an active member
of the organisation) and names the provider's stable `sub` for that organisation's issuer. It
holds no key material: single sign-on only authenticates; the passphrase still opens the keys."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dossier.db import Base, utcnow


class OidcLink(Base):
    __tablename__ = "oidc_link"
    __table_args__ = (
        UniqueConstraint("org_id", "subject", name="uq_oidc_link_org_subject"),
        UniqueConstraint("org_id", "account_id", name="uq_oidc_link_org_account"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    org_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(String(255))
    account_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    issuer: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
