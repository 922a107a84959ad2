"""Appending an entry to a section: the one use case behind the API's `POST …/entries`, the
youth's section form and the professional's note. `AccessService` decides (owner, or a valid
grant with append, directly or through an active organisation membership) and logs the
append; `DossierService` then checks the place, the author, the signed time, the key version,
the entry version (a later one only from the first version's author) and the author's
signature. The server never opens the entry."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from consent.authorisation import SESSION_LIVE, AccessService, Along, Logging
from consent.policy import Action
from dossier.sections.models import Entry, Section
from dossier.sections.queries import (
    EntryRow,
    known_latest,
    owner_entries,
    with_latest_version,
    with_owner_entries,
)
from dossier.sections.service import DossierService, Prechecked


def signed_time(at: dt.datetime) -> str:
    """The `data-at` form the browser checks receipts against (UTC, whole seconds)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class SealedEntry:
    """One sealed entry as a page shows it: what the browser needs to verify and open it.
    `mine` is relative to the viewer; `via` names the organisation an author wrote for (a
    member under its append grant), when the page knows it; `first` is the first version of a
    later one, for the browser's same-author check (issue 19)."""

    entry_id: str
    version: int
    author_id: str
    ciphertext: str
    at: str
    has_blob: bool
    mine: bool
    via: str | None = None
    first: str | None = None

    @classmethod
    def of(cls, row: EntryRow | Entry, me: uuid.UUID, first: str | None = None) -> SealedEntry:
        """`first`: the entry's first version, for a history (a list row carries its own)."""
        payload = json.loads(row.payload)
        author = str(payload["author"])
        return cls(
            entry_id=str(payload["entry"]),
            version=int(payload["version"]),
            author_id=author,
            ciphertext=row.payload,
            at=signed_time(row.created_at),
            has_blob=row.blob_id is not None,
            mine=author == str(me),
            first=row.first if isinstance(row, EntryRow) else first,
        )


class EntryService:
    def __init__(self, db: AsyncSession) -> None:
        self.dialect = db.get_bind().dialect.name
        self.access = AccessService(db)
        self.dossiers = DossierService(db)

    async def append(
        self,
        author_id: uuid.UUID,
        author_sign_pk: bytes,
        dossier_id: uuid.UUID,
        section: str,
        sealed: dict[str, Any],
        *,
        session: bytes | None = None,
    ) -> Entry:
        """Refused with `AccessDenied` (no grant, revoked, expired, read-only), `NotFound` (no
        such section), `InvalidInput` (another place or author, a bad signature) or
        `VersionConflict` (a stale key or entry version); nothing is stored then, and the
        request's rollback takes the log event with it.

        The decision, the dossier lock, the log's head and the entry's newest version are one
        statement; the log event and the entry one INSERT each, or on PostgreSQL one
        statement (the log event as a CTE of the entry's INSERT; docs/performance.md).
        `session`: see `Along`."""
        entry_id = _entry_id(sealed)
        pre = Prechecked.of(sealed, author_sign_pk)  # before the dossier's lock, not under it
        allowed = await self.access.section(
            author_id,
            dossier_id,
            section,
            Action.APPEND,
            log=Logging.DEFERRED if self.dialect == "postgresql" else Logging.NOW,
            along=Along(session, None if entry_id is None else with_latest_version(entry_id)),
        )
        known = None if entry_id is None else known_latest(allowed.rows)
        return await self.dossiers.add_entry(
            allowed.section,
            author_id,
            author_sign_pk,
            pre,
            known=known,
            along=allowed.pending_log,
        )

    async def latest(
        self,
        reader_id: uuid.UUID,
        dossier_id: uuid.UUID,
        section: str,
        *,
        mine: bool = False,
        session: bytes | None = None,
    ) -> tuple[Section, list[EntryRow]]:
        """The newest version of every entry (`mine`: only the reader's own). The owner's
        read is one statement; anyone else's is decided, logged, then read (on PostgreSQL
        the log's INSERT rides along with the read as a CTE)."""
        author = reader_id if mine else None
        live = None if session is None else SESSION_LIVE
        allowed = await self.access.section(
            reader_id,
            dossier_id,
            section,
            Action.READ,
            own_entries=mine,
            log=Logging.DEFERRED if self.dialect == "postgresql" else Logging.NOW,
            along=Along(
                session,
                with_owner_entries(author, live, self.dialect),
            ),
        )
        if allowed.owner_id == reader_id:
            return allowed.section, owner_entries(allowed.rows)
        return allowed.section, await self.dossiers.latest_entries(
            allowed.section, author, along=allowed.pending_log
        )


def _entry_id(sealed: dict[str, Any]) -> uuid.UUID | None:
    """The entry id a sealed entry names, if it is one (`add_entry` refuses it otherwise)."""
    try:
        return uuid.UUID(str(sealed.get("entry")))
    except ValueError:
        return None
