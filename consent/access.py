"""The server-side enforcement point: load the facts for one request and decide.

Until the consent engine adds grants, only the owner of a dossier may touch it."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dossier.errors import Forbidden, NotFound
from dossier.store.catalogue import SECTIONS
from dossier.store.models import Dossier, Section


class AccessService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def owned_dossier(self, actor: uuid.UUID, dossier_id: uuid.UUID) -> Dossier:
        """The dossier if `actor` owns it; otherwise Forbidden, also when it does not exist,
        so the answer is no oracle for which dossier ids exist."""
        dossier = await self.db.get(Dossier, dossier_id)
        if dossier is None or dossier.owner_id != actor:
            raise Forbidden("not the owner of this dossier")
        return dossier

    async def section(self, actor: uuid.UUID, dossier_id: uuid.UUID, key: str) -> Section:
        """The section, loaded with its dossier's owner in one query, if `actor` may use it."""
        if key not in SECTIONS:
            raise NotFound("section")
        found = (
            await self.db.execute(
                select(Section, Dossier.owner_id)
                .join(Dossier, Dossier.id == Section.dossier_id)
                .where(Section.dossier_id == dossier_id, Section.key == key)
            )
        ).first()
        if found is None or found.owner_id != actor:
            raise Forbidden("no access to this section")
        section: Section = found.Section
        return section
