"""Organisations, their key versions and their members.

An organisation has an X25519 + Ed25519 identity whose private half is sealed to each active
member's box key. Removing a member rotates it: a new version, sealed to the remaining members,
and every grant made to the organisation re-wrapped to the new public key."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dossier.db import Base, utcnow


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(24))
    key_version: Mapped[int] = mapped_column(Integer, default=1)
    box_pk: Mapped[bytes] = mapped_column(LargeBinary(32))
    sign_pk: Mapped[bytes] = mapped_column(LargeBinary(32))
    oidc_issuer: Mapped[str | None] = mapped_column(String(300), nullable=True)
    oidc_client_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)


class OrgKeyVersion(Base):
    """Every public identity an organisation has had, so a receipt naming an older one can
    still be checked after a rotation."""

    __tablename__ = "org_key_version"
    __table_args__ = (UniqueConstraint("org_id", "version"),)

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    org_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    box_pk: Mapped[bytes] = mapped_column(LargeBinary(32))
    sign_pk: Mapped[bytes] = mapped_column(LargeBinary(32))
    # Signed by the previous version's key (`crypto.sign_succession`); None for version 1.
    succession: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("org_id", "account_id"),)

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    org_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="active")
    key_version: Mapped[int] = mapped_column(Integer)
    sealed_org_key: Mapped[bytes] = mapped_column(LargeBinary)
    # Signed with the org key by the client that sealed it (`crypto.sign_membership`); None
    # only for rows older than attestations, which a rotation refuses to seal to.
    attestation: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    removed_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True
    )


class MemberInvite(Base):
    """A link an admin sends a colleague: `open` until a professional accepts it (`accepted`,
    who is then known), `added` once an admin's client sealed the org key to them, or
    `withdrawn`. The token is stored only as its SHA-256; it works once and for a week."""

    __tablename__ = "member_invite"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    org_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="open")
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), nullable=True
    )
    accepted_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True
    )
