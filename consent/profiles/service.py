"""Store and fetch a professional's own sealed profile card. The server checks only who may
store one (a professional, for themselves) and the size; the content is the client's."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.profiles.errors import ProfileMissing
from consent.profiles.models import ProfessionalProfile
from dossier.errors import Forbidden


class ProfileService:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def put(self, account_id: uuid.UUID, kind: str, card: bytes) -> ProfessionalProfile:
        if kind != "professional":
            raise Forbidden("only a professional has a profile card")
        profile = await self.db.get(ProfessionalProfile, account_id)
        if profile is None:
            profile = ProfessionalProfile(account_id=account_id, card=card)
            self.db.add(profile)
        else:
            profile.card = card
        await self.db.flush()
        return profile

    async def get(self, account_id: uuid.UUID) -> bytes | None:
        card: bytes | None = await self.db.scalar(
            select(ProfessionalProfile.card).where(ProfessionalProfile.account_id == account_id)
        )
        return card

    async def require(self, account_id: uuid.UUID) -> None:
        """Profile before invite: ProfileMissing unless this professional made their card."""
        if await self.get(account_id) is None:
            raise ProfileMissing("make your profile card before inviting")
