"""Consent requests: ask, list, answer (yes / partly / no), withdraw."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from consent.requests import handover
from consent.requests import schemas as s
from consent.requests.models import ConsentRequest
from consent.requests.schemas import request_out
from consent.requests.service import RequestService
from dossier import crypto
from dossier.errors import Forbidden
from web.api.campaigns import org_out
from web.auth import CALLER_SECURITY, requires_login, requires_professional
from web.deps import Accounts, CallerDep, DbSession, Dossiers


async def provide_requests(db_session: DbSession) -> RequestService:
    return RequestService(db_session)


Requests = NamedDependency[RequestService]


def candidate_out(found: handover.Candidate) -> s.Candidate:
    if found.account is None:  # the organisation, with its key code as a campaign receiver's
        org = org_out(found.org)
        return s.Candidate(
            id=org.id,
            username="",
            org_id=org.id,
            org_name=org.name,
            identity=org.identity,
            fingerprint=org.fingerprint,
            kind="organisation",
        )
    identity = crypto.PublicIdentity(box_pk=found.account.box_pk, sign_pk=found.account.sign_pk)
    return s.Candidate(
        id=str(found.account.id),
        username=found.account.username,
        org_id=str(found.org.id),
        org_name=found.org.name,
        identity=identity.to_json(),
        fingerprint=crypto.format_fingerprint(identity.fingerprint()),
    )


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

    @get("/handover-candidates", guards=[requires_professional])
    async def candidates(
        self,
        caller: CallerDep,
        requests: Requests,
        q: Annotated[str, QueryParameter(max_length=120)] = "",
    ) -> list[s.Candidate]:
        """Overdragen: find the next organisation by name, or professional by organisation
        (or username), each with the key code the proposer's browser recomputes and compares."""
        found = await requests.handover_candidates(caller.account_id, q)
        return [candidate_out(c) for c in found]

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

    @post("/requests/{request_id:uuid}/retract", status_code=HTTP_200_OK)
    async def retract(
        self,
        request_id: FromPath[uuid.UUID],
        data: JSONBody[s.Retract],
        caller: CallerDep,
        accounts: Accounts,
        requests: Requests,
    ) -> s.RequestOut:
        """The asker withdraws an unanswered request ("Voorstel intrekken"); 404 for anyone
        else, 409 `request-answered` once the youth answered."""
        asker = await accounts.get(caller.account_id)
        return request_out(await requests.retract(asker, request_id, data))
