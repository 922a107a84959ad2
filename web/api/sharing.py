"""The owner's sharing as one answer, and putting one party "op de achtergrond".

The Delen page's scripts and the Python client call these the same way (docs/design.md,
"Doors"); everything in a body was signed or sealed by the owner's client."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from consent.grants import schemas as g
from consent.requests.schemas import request_out
from consent.sharing.schemas import SharingOut
from consent.sharing.service import SharingService
from web.api.connections import connection_out
from web.api.dossiers import dossier_out
from web.api.grants import outs
from web.auth import CALLER_SECURITY, requires_login
from web.deps import Accounts, CallerDep, DbSession

Sharing = NamedDependency[SharingService]


async def provide_sharing(db_session: DbSession) -> SharingService:
    return SharingService(db_session)


class SharingController(Controller):
    path = "/api/v1/dossiers/{dossier_id:uuid}"
    tags = ["grants"]
    guards = [requires_login]
    security = CALLER_SECURITY
    dependencies = {"sharing": Provide(provide_sharing)}

    @get("/sharing")
    async def state(
        self,
        dossier_id: FromPath[uuid.UUID],
        caller: CallerDep,
        accounts: Accounts,
        sharing: Sharing,
    ) -> SharingOut:
        """Only for the owner: what the owner's client shares, revokes, rotates and exports."""
        owner = await accounts.get(caller.account_id)
        state = await sharing.state(owner, dossier_id)
        return SharingOut(
            dossier=dossier_out(state.dossier.id, owner, state.sections),
            grants=outs(state.grants),
            requests=[request_out(r) for r in state.requests],
            connections=[connection_out(v) for v in state.connections],
        )

    @post("/parties/{party_id:uuid}/step-down", status_code=HTTP_200_OK)
    async def step_down(
        self,
        dossier_id: FromPath[uuid.UUID],
        party_id: FromPath[uuid.UUID],
        data: JSONBody[g.NewGrants],
        caller: CallerDep,
        accounts: Accounts,
        sharing: Sharing,
    ) -> g.RotationDue:
        """Everything this party may do ends and only the narrow grants given here begin, in
        one transaction; the owner's client then rotates the sections named."""
        owner = await accounts.get(caller.account_id)
        sections = await sharing.step_down_party(owner, dossier_id, party_id, data.grants)
        return g.RotationDue(sections=sections)
