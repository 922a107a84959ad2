"""Dossier, section and entry tables. Every payload here is ciphertext or a public key.

An entry row holds the whole sealed entry (DESIGN.md §4) as JSON text, passed to readers
as it is; the server reads only the routing fields (ids, version, author, key version) that
it also keeps in columns.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dossier.db import Base, utcnow


class Dossier(Base):
    __tablename__ = "dossier"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("account.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    # The access log's head, moved by a trigger on every log_event insert (consent/log/models.py)
    # so that one locking read gives the decision and the next event's seq and prev hash.
    log_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    log_head: Mapped[bytes | None] = mapped_column(LargeBinary(32), nullable=True)


class Section(Base):
    """One section of a dossier: its owner-signed public key and the private key sealed to the
    owner's box key (the owner holds every section key)."""

    __tablename__ = "section"
    __table_args__ = (UniqueConstraint("dossier_id", "key"),)

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    dossier_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(32))
    key_version: Mapped[int] = mapped_column(Integer)
    signed_key: Mapped[dict[str, Any]] = mapped_column(JSON)
    owner_sealed_sk: Mapped[bytes] = mapped_column(LargeBinary)
    # The owner's newest signed manifest of this section (dossier/sections/manifests.py).
    manifest: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)


class Entry(Base):
    """One version of one entry. Versions are append-only; a delete is a new, empty version."""

    __tablename__ = "entry"
    __table_args__ = (
        UniqueConstraint("entry_id", "version"),
        # A section's entries, and its newest by someone else (the caseload's last activity,
        # once per youth): walked back from the newest, not over the section's whole history.
        Index("ix_entry_section_created", "section_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    dossier_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("section.id", ondelete="CASCADE")
    )
    entry_id: Mapped[uuid.UUID] = mapped_column(GUID, index=True)
    version: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[uuid.UUID] = mapped_column(GUID, index=True)
    key_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    blob_id: Mapped[uuid.UUID | None] = mapped_column(
        GUID, ForeignKey("blob.id", ondelete="SET NULL"), nullable=True
    )
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), default=utcnow)
    # NULL until `rugzak worker` has made the entry's notices (consent/notify/events.py): the
    # entry table is the outbox of its own notices, so a write costs no notice statement.
    notified_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True, index=True
    )
