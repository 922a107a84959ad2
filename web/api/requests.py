"""Consent requests: ask, list, answer (yes / partly / no), withdraw."""

from __future__ import annotations

import uuid

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from consent.requests import schemas as s
from consent.requests.models import ConsentRequest
from consent.requests.schemas import request_out
from consent.requests.service import RequestService
from dossier.errors import Forbidden
from web.auth import CALLER_SECURITY, requires_login
from web.deps import Accounts, CallerDep, DbSession, Dossiers


async def provide_requests(db_session: DbSession) -> RequestService:
    return RequestService(db_session)


Requests = NamedDependency[RequestService]


def answered_out(r: ConsentRequest, rotation_due: list[str]) -> s.Answered:
    return s.Answered(**msgspec.structs.asdict(request_out(r)), rotation_due=rotation_due)


class RequestsController(Controller):
    path = "/api/v1"
    tags = ["requests"]
    guards = [requires_login]
    security = CALLER_SECURITY
    dependencies = {"requests": Provide(provide_requests)}

    @post("/dossiers/{dossier_id:uuid}/requests", status_code=201)
    async def ask(
        self,
        dossier_id: FromPath[uuid.UUID],
        data: JSONBody[s.NewRequest],
        caller: CallerDep,
        requests: Requests,
    ) -> s.RequestOut:
        return request_out(await requests.create(caller.account_id, dossier_id, data))

    @get("/dossiers/{dossier_id:uuid}/requests")
    async def of_dossier(
        self,
        dossier_id: FromPath[uuid.UUID],
        caller: CallerDep,
        dossiers: Dossiers,
        requests: Requests,
    ) -> list[s.RequestOut]:
        """The owner sees every request; a professional sees its own."""
        dossier = await dossiers.get_or_none(dossier_id)
        if dossier is None:
            raise Forbidden("no access to this dossier")
        return [request_out(r) for r in await requests.visible(caller.account_id, dossier)]

    @post("/requests/{request_id:uuid}/answer", status_code=HTTP_200_OK)
    async def answer(
        self,
        request_id: FromPath[uuid.UUID],
        data: JSONBody[s.Answer],
        caller: CallerDep,
        accounts: Accounts,
        requests: Requests,
    ) -> s.Answered:
        """A yes to an aftercare request also ends the grantee's other grants: the owner's
        client then rotates the sections in `rotation_due`."""
        owner = await accounts.get(caller.account_id)
        return answered_out(*await requests.answer(owner, request_id, data))

    @post("/requests/{request_id:uuid}/withdraw", status_code=HTTP_200_OK)
    async def withdraw(
        self,
        request_id: FromPath[uuid.UUID],
        data: JSONBody[s.Withdraw],
        caller: CallerDep,
        accounts: Accounts,
        requests: Requests,
    ) -> s.Withdrawn:
        owner = await accounts.get(caller.account_id)
        return s.Withdrawn(sections=await requests.withdraw(owner, request_id, data))
