"""Account and login-session tables.

The server stores only what DESIGN.md §4 allows: KDF parameters, Argon2id hashes of the login
proofs, key bundles sealed under keys it never sees, and the public identity keys.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, Date, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from dossier.db import Base, utcnow


class Account(Base):
    __tablename__ = "account"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    kdf: Mapped[dict[str, Any]] = mapped_column(JSON)
    auth_hash: Mapped[str] = mapped_column(String(255))
    recovery_auth_hash: Mapped[str] = mapped_column(String(255))
    bundle: Mapped[dict[str, Any]] = mapped_column(JSON)
    recovery_bundle: Mapped[dict[str, Any]] = mapped_column(JSON)
    box_pk: Mapped[bytes] = mapped_column(LargeBinary(32))
    sign_pk: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    recovery_checked_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True
    )
    """When the youth last showed (on her device) that she still has the recovery code."""


class LoginSession(Base):
    """A login session; the client holds a random token, the server only its SHA-256."""

    __tablename__ = "login_session"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    absolute_expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
