"""The plans behind "Acties die binnenkort moeten" on the caseload. A professional reads a
youth's plan here exactly as on the youth's page: `AccessService` decides and logs one
`section:read` per youth, so this runs only when the professional asks (a button), never on
every caseload view. The due dates are inside the ciphertext: the browser opens the entries
and picks the open actions; the server never sees them."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.authorisation import AccessService
from consent.caseload.grants import held_by
from consent.caseload.service import YOUTHS
from consent.caseload.views import SharedPlan, identity_json
from consent.caseload.youth import held_grants, section_keys
from consent.connections.models import Connection
from consent.entries import SealedEntry
from consent.grants.models import Grant
from consent.policy import Action
from dossier.accounts.models import Account
from dossier.crypto import b64e
from dossier.errors import Forbidden
from dossier.sections.catalogue import LIFE_AREAS
from dossier.sections.service import DossierService

PLAN = "plan"


def _card(sealed: bytes | None) -> str | None:
    return None if sealed is None else b64e(sealed)


class PlanService:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db
        self.access = AccessService(db)
        self.dossiers = DossierService(db)

    async def shared_plans(self, me: uuid.UUID) -> list[SharedPlan]:
        """The plan of every youth in my caseload (`YOUTHS`: connected, or sharing with an
        organisation I am an active member of) who shares it with me (or with such an
        organisation) with read permission; youths who do not are left out."""
        now = dt.datetime.now(dt.UTC)
        readable = exists().where(
            Grant.dossier_id == YOUTHS.c.dossier,
            Grant.section == PLAN,
            Grant.can_read.is_(True),
            held_by(me, now),
        )
        found = await self.db.execute(
            select(YOUTHS.c.dossier, YOUTHS.c.card)
            .where(readable)
            .order_by(YOUTHS.c.since, YOUTHS.c.dossier),
            {"me": me, "now": now},
        )
        plans = []
        for dossier_id, card in found.tuples():
            try:
                plans.append(await self._read(me, dossier_id, _card(card)))
            except Forbidden:
                continue  # the policy has the last word; a refusal is logged nowhere
        return plans

    async def shared_life_areas(self, me: uuid.UUID) -> list[SharedPlan]:
        """For the ZRM strip ("Toon scores"): every life area a youth in my caseload shares
        with me with read permission, each read decided and logged like the plans (one
        `section:read` per life area). The scores are inside the ciphertext; the browser picks
        the latest."""
        now = dt.datetime.now(dt.UTC)
        found = await self.db.execute(
            select(YOUTHS.c.dossier, YOUTHS.c.card, Grant.section)
            .join(Grant, Grant.dossier_id == YOUTHS.c.dossier)
            .where(
                Grant.section.in_(LIFE_AREAS),
                Grant.can_read.is_(True),
                held_by(me, now),
            )
            .distinct()
            .order_by(YOUTHS.c.dossier, Grant.section),
            {"me": me, "now": now},
        )
        areas = []
        for dossier_id, card, section in found.tuples():
            try:
                areas.append(await self._read(me, dossier_id, _card(card), section))
            except Forbidden:
                continue
        return areas

    async def plan(self, me: uuid.UUID, dossier_id: uuid.UUID) -> SharedPlan:
        """One youth's plan; Forbidden (and nothing logged) unless it is shared with me with
        read permission, also for an unknown dossier."""
        card = await self.db.scalar(
            select(Connection.youth_card).where(
                Connection.dossier_id == dossier_id,
                Connection.professional_id == me,
                Connection.ended_at.is_(None),
            )
        )
        return await self._read(me, dossier_id, None if card is None else b64e(card))

    async def _read(
        self, me: uuid.UUID, dossier_id: uuid.UUID, card: str | None, section: str = PLAN
    ) -> SharedPlan:
        allowed = await self.access.section(me, dossier_id, section, Action.READ)
        owner = await self.db.get_one(Account, allowed.owner_id)
        grants = await held_grants(self.db, me, dossier_id, section)
        rows = await self.dossiers.latest_entries(allowed.section)
        return SharedPlan(
            dossier_id=str(dossier_id),
            owner_id=str(owner.id),
            owner_identity=identity_json(owner.box_pk, owner.sign_pk),
            card=card,
            keys=await section_keys(self.db, me, allowed.section, grants),
            entries=[SealedEntry.of(r, me) for r in rows],
            section=section,
        )
