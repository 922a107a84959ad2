"""Grants, revocation, section rotation, authors and party identities (nazorg step-down is
the sharing slice's: `web/api/sharing.py`)."""

from __future__ import annotations

import datetime as dt
import uuid

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from consent.authorisation import Logging
from consent.grants import schemas as s
from consent.grants.authors import authors_of
from consent.grants.ends import GrantEndService
from consent.grants.models import Grant
from consent.grants.rotation import RotationService
from consent.grants.service import GrantService, party_identity, state_of
from consent.log.actions import LogAction
from consent.policy import Action
from dossier import crypto
from dossier.errors import NotFound
from web.auth import CALLER_SECURITY, requires_login
from web.deps import Access, Accounts, CallerDep, DbSession


async def provide_grants(db_session: DbSession) -> GrantService:
    return GrantService(db_session)


async def provide_rotation(db_session: DbSession) -> RotationService:
    return RotationService(db_session)


Grants = NamedDependency[GrantService]
Rotations = NamedDependency[RotationService]


def grant_out(grant: Grant, now: dt.datetime) -> s.GrantOut:
    return s.GrantOut(
        id=str(grant.id),
        dossier_id=str(grant.dossier_id),
        section=grant.section,
        grantee_kind=grant.grantee_kind,
        grantee_id=str(grant.grantee_id),
        permissions=[p for p, ok in (("append", grant.can_append), ("read", grant.can_read)) if ok],
        purpose=grant.purpose,
        issued_at=grant.issued_at,
        expires_at=grant.expires_at,
        revoked_at=grant.revoked_at,
        state=state_of(grant, now),
        receipt=grant.receipt,
        envelope=None if grant.envelope is None else crypto.b64e(grant.envelope),
        envelope_key_version=grant.envelope_key_version,
        request_id=None if grant.request_id is None else str(grant.request_id),
        end_statement=grant.end_statement,
    )


def outs(grants: list[Grant]) -> list[s.GrantOut]:
    now = dt.datetime.now(dt.UTC)
    return [grant_out(g, now) for g in grants]


class GrantsController(Controller):
    path = "/api/v1"
    tags = ["grants"]
    guards = [requires_login]
    security = CALLER_SECURITY
    dependencies = {
        "grant_service": Provide(provide_grants),
        "rotations": Provide(provide_rotation),
    }

    @post("/dossiers/{dossier_id:uuid}/grants", status_code=201)
    async def create(
        self,
        dossier_id: FromPath[uuid.UUID],
        data: JSONBody[s.NewGrants],
        caller: CallerDep,
        access: Access,
        accounts: Accounts,
        grant_service: Grants,
    ) -> list[s.GrantOut]:
        dossier = await access.owned_dossier(caller.account_id, dossier_id)
        owner = await accounts.get(caller.account_id)
        return outs(await grant_service.create(owner, dossier, data.grants))

    @get("/dossiers/{dossier_id:uuid}/grants")
    async def of_dossier(
        self,
        dossier_id: FromPath[uuid.UUID],
        caller: CallerDep,
        access: Access,
        grant_service: Grants,
    ) -> list[s.GrantOut]:
        """The owner's overview, with every receipt (the youth can download each)."""
        await access.owned_dossier(caller.account_id, dossier_id)
        return outs(await grant_service.of_dossier(dossier_id))

    @post("/dossiers/{dossier_id:uuid}/grants/revoke", status_code=HTTP_200_OK)
    async def revoke(
        self,
        dossier_id: FromPath[uuid.UUID],
        data: JSONBody[s.Revoke],
        caller: CallerDep,
        access: Access,
        accounts: Accounts,
        grant_service: Grants,
    ) -> s.RotationDue:
        """Refused at once from here on; the owner's client then rotates the sections named."""
        await access.owned_dossier(caller.account_id, dossier_id)
        owner = await accounts.get(caller.account_id)
        sections = await grant_service.revoke(owner, dossier_id, data.grant_ids, LogAction.REVOKE)
        return s.RotationDue(sections=sections)

    @get("/dossiers/{dossier_id:uuid}/rotation-due")
    async def rotation_due(
        self,
        dossier_id: FromPath[uuid.UUID],
        caller: CallerDep,
        access: Access,
        grant_service: Grants,
    ) -> s.RotationDue:
        await access.owned_dossier(caller.account_id, dossier_id)
        return s.RotationDue(sections=await grant_service.rotation_due(dossier_id))

    @get("/dossiers/{dossier_id:uuid}/grant-ends/due")
    async def ends_due(
        self,
        dossier_id: FromPath[uuid.UUID],
        caller: CallerDep,
        access: Access,
        db_session: DbSession,
    ) -> s.EndsDue:
        """Revoked grants whose end the owner's client still has to sign."""
        await access.owned_dossier(caller.account_id, dossier_id)
        due = await GrantEndService(db_session).due(dossier_id)
        return s.EndsDue(
            ends=[s.EndDue(str(g.id), g.section, g.revoked_at) for g in due if g.revoked_at]
        )

    @post("/dossiers/{dossier_id:uuid}/grant-ends", status_code=HTTP_200_OK)
    async def record_ends(
        self,
        dossier_id: FromPath[uuid.UUID],
        data: JSONBody[s.GrantEnds],
        caller: CallerDep,
        access: Access,
        accounts: Accounts,
        db_session: DbSession,
    ) -> s.EndsStored:
        """Store the owner's signed ends of revoked grants, served with their receipts."""
        await access.owned_dossier(caller.account_id, dossier_id)
        owner = await accounts.get(caller.account_id)
        stored = await GrantEndService(db_session).record(owner, dossier_id, data.ends)
        return s.EndsStored(stored=stored)

    @post(
        "/dossiers/{dossier_id:uuid}/sections/{section:str}/rotate",
        status_code=HTTP_204_NO_CONTENT,
        request_max_body_size=64 * 1024 * 1024,
    )
    async def rotate(
        self,
        dossier_id: FromPath[uuid.UUID],
        section: FromPath[str],
        data: JSONBody[s.Rotation],
        caller: CallerDep,
        access: Access,
        accounts: Accounts,
        rotations: Rotations,
    ) -> None:
        allowed = await access.section(caller.account_id, dossier_id, section, Action.MANAGE)
        owner = await accounts.get(caller.account_id)
        await rotations.rotate(owner, allowed.section, data)

    @get("/dossiers/{dossier_id:uuid}/sections/{section:str}/authors")
    async def authors(
        self,
        dossier_id: FromPath[uuid.UUID],
        section: FromPath[str],
        caller: CallerDep,
        access: Access,
        db_session: DbSession,
    ) -> list[s.AuthorOut]:
        """Append receipts of this section with the identities that may sign under them."""
        allowed = await access.section(
            caller.account_id, dossier_id, section, Action.READ, own_entries=True, log=Logging.OFF
        )
        return await authors_of(db_session, allowed.section)

    @get("/grants/mine")
    async def mine(
        self, caller: CallerDep, access: Access, grant_service: Grants
    ) -> list[s.GrantOut]:
        """Valid grants to me or to an organisation I am an active member of."""
        return outs(await grant_service.mine(await access.actor(caller.account_id)))

    @get("/parties/{party_id:uuid}")
    async def party(self, party_id: FromPath[uuid.UUID], db_session: DbSession) -> s.PartyOut:
        """The public identity of a professional or organisation, to seal grants to."""
        for kind in ("person", "organisation"):
            try:
                identity = await party_identity(db_session, kind, party_id)
            except NotFound:
                continue
            return s.PartyOut(
                id=str(party_id),
                kind=kind,
                identity=identity.to_json(),
                fingerprint=crypto.format_fingerprint(identity.fingerprint()),
            )
        raise NotFound("party")
