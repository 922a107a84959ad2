"""The in-app unread state: the notices a person has not seen, from metadata only (kinds,
ids, section keys, times). Opening a section marks its notices read, and the page marks the
entries that were new as "Nieuw" that once; "alles gelezen" marks all of them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Update, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dossier.db import changed_rows, utcnow
from dossier.notify.models import Notice
from dossier.sections.models import Entry

SHOWN = 50
"""The newest unread notices listed; the count covers all of them."""


@dataclass(frozen=True, slots=True)
class Unread:
    count: int
    notices: list[Notice]

    def sections(self, dossier_id: uuid.UUID | None = None) -> set[str]:
        """Section keys with something new (in one dossier, when given)."""
        return {
            n.section
            for n in self.notices
            if n.section is not None and (dossier_id is None or n.dossier_id == dossier_id)
        }


class InboxService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def count(self, account_id: uuid.UUID) -> int:
        total = await self.db.scalar(
            select(func.count(Notice.id)).where(
                Notice.account_id == account_id, Notice.read_at.is_(None)
            )
        )
        return int(total or 0)

    async def unread(self, account_id: uuid.UUID) -> Unread:
        rows = await self.db.scalars(
            select(Notice)
            .where(Notice.account_id == account_id, Notice.read_at.is_(None))
            .order_by(Notice.created_at.desc())
            .limit(SHOWN)
        )
        return Unread(await self.count(account_id), list(rows))

    async def mark_read(
        self,
        account_id: uuid.UUID,
        *,
        dossier_id: uuid.UUID | None = None,
        section: str | None = None,
        until: dt.datetime | None = None,
    ) -> int:
        """Everything (no filters), one dossier, or one section of it; returns how many."""
        query = self._unread(account_id, dossier_id, section)
        if until is not None:
            query = query.where(Notice.created_at <= until)
        changed = await changed_rows(self.db, query)
        await self.db.flush()
        return changed

    async def seen(
        self,
        account_id: uuid.UUID,
        *,
        dossier_id: uuid.UUID | None = None,
        section: str | None = None,
    ) -> set[str]:
        """`mark_read` for a page being opened; returns the ids of the entries that were new
        (`SealedEntry.entry_id`), so the page can mark them "Nieuw" this once. One statement
        when nothing was new, two when something was."""
        marked = await self.db.execute(
            self._unread(account_id, dossier_id, section).returning(Notice.kind, Notice.event_id)
        )
        versions = [event for kind, event in marked.all() if kind == "entry"]
        if not versions:
            return set()
        found = await self.db.scalars(select(Entry.entry_id).where(Entry.id.in_(versions)))
        return {str(entry_id) for entry_id in found}

    @staticmethod
    def _unread(account_id: uuid.UUID, dossier_id: uuid.UUID | None, section: str | None) -> Update:
        query = update(Notice).where(Notice.account_id == account_id, Notice.read_at.is_(None))
        if dossier_id is not None:
            query = query.where(Notice.dossier_id == dossier_id)
        if section is not None:
            query = query.where(Notice.section == section)
        return query.values(read_at=utcnow()).execution_options(synchronize_session=False)
