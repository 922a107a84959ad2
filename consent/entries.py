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

from consent.authorisation import AccessService
from consent.notify import events
from consent.policy import Action
from dossier.sections.models import Entry
from dossier.sections.service import DossierService, EntryRow


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
        self.access = AccessService(db)
        self.dossiers = DossierService(db)

    async def append(
        self,
        author_id: uuid.UUID,
        author_sign_pk: bytes,
        dossier_id: uuid.UUID,
        section: str,
        sealed: dict[str, Any],
    ) -> Entry:
        """Refused with `AccessDenied` (no grant, revoked, expired, read-only), `NotFound` (no
        such section), `InvalidInput` (another place or author, a bad signature) or
        `VersionConflict` (a stale key or entry version); nothing is stored then, and the
        request's rollback takes the log event with it."""
        allowed = await self.access.section(author_id, dossier_id, section, Action.APPEND)
        entry = await self.dossiers.add_entry(allowed.section, author_id, author_sign_pk, sealed)
        await events.entry_appended(self.access.db, allowed.owner_id, section, entry)
        return entry
