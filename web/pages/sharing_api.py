"""JSON routes of the sharing pages, for the browser only: authenticated by the HttpOnly page
cookie, unsafe methods by the CSRF header (docs/web-app.md, "one transport per phase"). They
answer the same shapes as the JSON API and refuse with problem+json (Dutch `title`), so the
page scripts can show the message. Everything sent here was sealed or signed in the browser:
receipts, envelopes, rotations and statements."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import HTTPException, ValidationException
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from consent.connections.service import ConnectionService
from consent.grants import schemas as g
from consent.grants.authors import authors_of
from consent.grants.rotation import RotationService
from consent.grants.service import GrantService, party_identity
from consent.log.actions import LogAction
from consent.policy import Action
from consent.requests import schemas as r
from consent.requests.service import RequestService
from dossier import crypto
from dossier import errors as d
from web.api.dossiers import entry_out
from web.api.grants import outs
from web.api.requests import answered_out
from web.auth import requires_login
from web.deps import Access, Accounts, CallerDep, DbSession, Dossiers
from web.errors import HTTP_CODES, domain_error_handler, problem
from web.pages.sharing_view import Sharing
from web.pages.view import Pages

MAX_ROTATION_BYTES = 64 * 1024 * 1024


def json_http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, ValidationException):
        return problem("validation", str(exc.detail)).to_response(request)
    code = HTTP_CODES.get(exc.status_code, d.InvalidInput.code)
    return problem(code).to_response(request)


JSON_ERRORS: dict[int | type[Exception], Any] = {
    d.DomainError: domain_error_handler,
    HTTPException: json_http_error,
}


class SharingData(Controller):
    path = "/delen/data"
    guards = [requires_login]
    include_in_schema = False
    exception_handlers = JSON_ERRORS

    @get("/staat")
    async def state(
        self, caller: CallerDep, accounts: Accounts, db_session: DbSession
    ) -> dict[str, Any]:
        owner = await accounts.get(caller.account_id)
        return await Sharing(db_session).state(owner)

    @get("/secties/{section:str}")
    async def section(
        self,
        section: FromPath[str],
        caller: CallerDep,
        access: Access,
        dossiers: Dossiers,
        db_session: DbSession,
    ) -> dict[str, Any]:
        """Every version of every entry (for rotation and export) and who may have written."""
        dossier = await Pages(db_session).own_dossier(caller.account_id)
        allowed = await access.section(caller.account_id, dossier.id, section, Action.MANAGE)
        rows = await dossiers.all_entries(allowed.section)
        return {
            "section": allowed.section.key,
            "key_version": allowed.section.key_version,
            "entries": [entry_out(e) for e in rows],
            "authors": await authors_of(db_session, allowed.section),
        }

    @get("/partijen/{party_id:uuid}")
    async def party(self, party_id: FromPath[uuid.UUID], db_session: DbSession) -> g.PartyOut:
        """A professional's or organisation's public identity; the browser compares it with
        the key it pinned before sealing anything to it."""
        for kind in ("person", "organisation"):
            try:
                identity = await party_identity(db_session, kind, party_id)
            except d.NotFound:
                continue
            return g.PartyOut(
                id=str(party_id),
                kind=kind,
                identity=identity.to_json(),
                fingerprint=crypto.format_fingerprint(identity.fingerprint()),
            )
        raise d.NotFound("party")

    @get("/rotatie")
    async def rotation_due(self, caller: CallerDep, db_session: DbSession) -> g.RotationDue:
        dossier = await Pages(db_session).own_dossier(caller.account_id)
        return g.RotationDue(sections=await GrantService(db_session).rotation_due(dossier.id))

    @post("/delen", status_code=201)
    async def share(
        self,
        data: JSONBody[g.NewGrants],
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
    ) -> list[g.GrantOut]:
        owner = await accounts.get(caller.account_id)
        dossier = await Pages(db_session).own_dossier(owner.id)
        return outs(await GrantService(db_session).create(owner, dossier, data.grants))

    @post("/partijen/{party_id:uuid}/nazorg", status_code=HTTP_200_OK)
    async def step_down(
        self,
        party_id: FromPath[uuid.UUID],
        data: JSONBody[g.NewGrants],
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
    ) -> g.RotationDue:
        """ "Op de achtergrond": everything this party may do ends, the narrow grants made in
        the browser begin, in one transaction; the browser then rotates the sections named."""
        owner = await accounts.get(caller.account_id)
        dossier = await Pages(db_session).own_dossier(owner.id)
        grants = GrantService(db_session)
        return g.RotationDue(
            sections=await grants.step_down_party(owner, dossier, party_id, data.grants)
        )

    @post("/intrekken", status_code=HTTP_200_OK)
    async def revoke(
        self,
        data: JSONBody[g.Revoke],
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
    ) -> g.RotationDue:
        """Refused by the server from this moment; the browser rotates the sections named
        right after, in the same tap."""
        owner = await accounts.get(caller.account_id)
        dossier = await Pages(db_session).own_dossier(owner.id)
        sections = await GrantService(db_session).revoke(
            owner, dossier.id, data.grant_ids, LogAction.REVOKE
        )
        return g.RotationDue(sections=sections)

    @post("/verbindingen/{connection_id:uuid}/verbreken", status_code=HTTP_200_OK)
    async def end_connection(
        self,
        connection_id: FromPath[uuid.UUID],
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
    ) -> g.RotationDue:
        """One tap: the connection ends and every grant to that person is revoked, in one
        transaction; the browser rotates the sections named right after."""
        owner = await accounts.get(caller.account_id)
        dossier = await Pages(db_session).own_dossier(owner.id)
        ended = await ConnectionService(db_session).end(owner.id, connection_id)
        grants = GrantService(db_session)
        return g.RotationDue(
            sections=await grants.revoke_for(owner, dossier.id, ended.professional_id)
        )

    @post(
        "/secties/{section:str}/rotatie",
        status_code=HTTP_204_NO_CONTENT,
        request_max_body_size=MAX_ROTATION_BYTES,
    )
    async def rotate(
        self,
        section: FromPath[str],
        data: JSONBody[g.Rotation],
        caller: CallerDep,
        access: Access,
        accounts: Accounts,
        db_session: DbSession,
    ) -> None:
        owner = await accounts.get(caller.account_id)
        dossier = await Pages(db_session).own_dossier(owner.id)
        allowed = await access.section(owner.id, dossier.id, section, Action.MANAGE)
        await RotationService(db_session).rotate(owner, allowed.section, data)

    @post("/verzoeken/{request_id:uuid}/antwoord", status_code=HTTP_200_OK)
    async def answer(
        self,
        request_id: FromPath[uuid.UUID],
        data: JSONBody[r.Answer],
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
    ) -> r.Answered:
        owner = await accounts.get(caller.account_id)
        return answered_out(*await RequestService(db_session).answer(owner, request_id, data))

    @post("/verzoeken/{request_id:uuid}/intrekken", status_code=HTTP_200_OK)
    async def withdraw(
        self,
        request_id: FromPath[uuid.UUID],
        data: JSONBody[r.Withdraw],
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
    ) -> r.Withdrawn:
        owner = await accounts.get(caller.account_id)
        sections = await RequestService(db_session).withdraw(owner, request_id, data)
        return r.Withdrawn(sections=sections)
