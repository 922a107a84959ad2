"""The plans shared with a professional, for "Acties die binnenkort moeten" on the caseload:
each read is decided and logged in that youth's access log (`PlanService`), so a client
fetches them only when the professional asks. Ciphertext and public keys only."""

from __future__ import annotations

import uuid

from litestar import Controller, get
from litestar.params import FromPath

from consent.caseload.plans import PlanService
from consent.caseload.schemas import PlansOut, plan_out
from web.auth import CALLER_SECURITY, requires_login, requires_professional
from web.deps import CallerDep, DbSession


class PlansController(Controller):
    path = "/api/v1/grants/mine/plans"
    tags = ["grants"]
    guards = [requires_login, requires_professional]
    security = CALLER_SECURITY

    @get("/")
    async def plans(self, caller: CallerDep, db_session: DbSession) -> PlansOut:
        """The plan of every connected youth who shares it with me with read permission."""
        found = await PlanService(db_session).shared_plans(caller.account_id)
        return PlansOut(plans=[plan_out(p) for p in found])

    @get("/{dossier_id:uuid}")
    async def plan(
        self, dossier_id: FromPath[uuid.UUID], caller: CallerDep, db_session: DbSession
    ) -> PlansOut:
        """One youth's plan: 403 unless it is shared with me with read permission."""
        plan = await PlanService(db_session).plan(caller.account_id, dossier_id)
        return PlansOut(plans=[plan_out(plan)])


class LifeAreasController(Controller):
    """The ZRM strip on the caseload ("Toon scores"): the same reading as the plans, for every
    shared life area; one logged read per life area, only when the professional asks."""

    path = "/api/v1/grants/mine/lifeareas"
    tags = ["grants"]
    guards = [requires_login, requires_professional]
    security = CALLER_SECURITY

    @get("/")
    async def life_areas(self, caller: CallerDep, db_session: DbSession) -> PlansOut:
        """Every life area a connected youth shares with me with read permission."""
        found = await PlanService(db_session).shared_life_areas(caller.account_id)
        return PlansOut(plans=[plan_out(p) for p in found])
