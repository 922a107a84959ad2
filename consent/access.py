"""The server-side enforcement point: load the facts for one request and ask `policy.may`.

Until the consent engine adds grants, only the owner of a dossier may touch it.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from dossier.errors import Forbidden
from dossier.store.models import Dossier


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
