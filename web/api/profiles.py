"""My profile card as a professional: stored sealed to myself, so my client can seal copies to
an invite and to each connected youth. No invite without it (`ConnectionService`)."""

from __future__ import annotations

from litestar import Controller, get, put
from litestar.params import JSONBody

from consent.connections import schemas as s
from consent.connections.service import decode_card
from consent.profiles.service import ProfileService
from dossier.crypto import b64e
from web.auth import CALLER_SECURITY, requires_login
from web.deps import CallerDep, DbSession


class ProfileController(Controller):
    path = "/api/v1/profile"
    tags = ["connections"]
    guards = [requires_login]
    security = CALLER_SECURITY

    @get("/")
    async def mine(self, caller: CallerDep, db_session: DbSession) -> s.ProfileOut:
        card = await ProfileService(db_session).get(caller.account_id)
        return s.ProfileOut(card=None if card is None else b64e(card))

    @put("/", status_code=204)
    async def store(
        self, data: JSONBody[s.ProfileIn], caller: CallerDep, db_session: DbSession
    ) -> None:
        await ProfileService(db_session).put(caller.account_id, caller.kind, decode_card(data.card))
