"""The owner's view of their sharing and the actions that touch one party as a whole.

Each method is one use case, called by the `/api/v1` handler (web/api/sharing.py) that the
page scripts and the Python client both use, or by the Delen page itself. Nothing here reads a
name: professionals' names are in sealed profile cards only the browser opens."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from consent.authorisation import AccessService
from consent.connections.service import ConnectionService, ConnectionView
from consent.grants.models import Grant
from consent.grants.schemas import GrantIn
from consent.grants.service import GrantService, state_of
from consent.parties.service import PartiesService
from consent.requests.models import ConsentRequest
from consent.requests.service import RequestService
from dossier.accounts.models import Account
from dossier.db import utcnow
from dossier.errors import NotFound
from dossier.sections.catalogue import SECTIONS
from dossier.sections.models import Dossier, Section
from dossier.sections.service import DossierService


@dataclass(frozen=True)
class SharingState:
    """Everything the owner's client needs to share, revoke, rotate and export: the sections
    with the owner's sealed keys, every grant with its receipt, every request with its signed
    statements, every connection (ended ones too) with its sealed card."""

    dossier: Dossier
    owner: Account
    sections: list[tuple[Section, int, int]]
    grants: list[Grant]
    requests: list[ConsentRequest]
    connections: list[ConnectionView]


@dataclass(frozen=True)
class SharedWith:
    """Per open connection, the grants in force for that person."""

    view: ConnectionView
    grants: list[Grant]


@dataclass(frozen=True)
class Overview:
    """What the Delen page lists: the open connections with their active grants, active
    grants to anyone else (an organisation by its public name), and the requests."""

    dossier: Dossier
    parties: list[SharedWith]
    others: list[tuple[str | None, Grant]]
    requests: list[ConsentRequest]


@dataclass(frozen=True)
class Coverage:
    """The sections a party's active grants cover: readable, and only appendable."""

    dossier: Dossier
    readable: list[str]
    append_only: list[str]


def _in_catalogue_order(keys: Iterable[str]) -> list[str]:
    order = list(SECTIONS)
    return sorted(set(keys), key=order.index)


class SharingService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session
        self.access = AccessService(session)
        self.dossiers = DossierService(session)
        self.grants = GrantService(session)
        self.connections = ConnectionService(session)
        self.requests = RequestService(session)

    async def own_dossier(self, owner_id: uuid.UUID) -> Dossier:
        dossier = await self.dossiers.of_owner(owner_id)
        if dossier is None:
            raise NotFound("dossier")
        return dossier

    async def state(self, owner: Account, dossier_id: uuid.UUID) -> SharingState:
        """Only for the owner: anyone else is refused as if the dossier did not exist."""
        dossier = await self.access.owned_dossier(owner.id, dossier_id)
        return SharingState(
            dossier=dossier,
            owner=owner,
            sections=await self.dossiers.sections(dossier.id),
            grants=await self.grants.of_dossier(dossier.id),
            requests=await self.requests.visible(owner.id, dossier),
            connections=await self.connections.list_for(owner.id),
        )

    async def overview(self, owner: Account) -> Overview:
        dossier = await self.own_dossier(owner.id)
        now = utcnow()
        active = [g for g in await self.grants.of_dossier(dossier.id) if _active(g, now)]
        views = [
            v
            for v in await self.connections.list_for(owner.id)
            # A trusted person (recovery only) is not offered for sharing (docs/recovery.md).
            if v.connection.ended_at is None and v.connection.purpose == "care"
        ]
        known = {v.other.id for v in views}
        return Overview(
            dossier=dossier,
            parties=[
                SharedWith(v, [g for g in active if g.grantee_id == v.other.id]) for v in views
            ],
            others=[(await self._org_name(g), g) for g in active if g.grantee_id not in known],
            requests=await self.requests.visible(owner.id, dossier),
        )

    async def _org_name(self, grant: Grant) -> str | None:
        """An organisation's public name; None for anyone else we are not connected to."""
        if grant.grantee_kind == "organisation":
            with contextlib.suppress(NotFound):
                return (await PartiesService(self.db).organisation(grant.grantee_id)).name
        return None

    async def coverage(self, owner: Account, party_id: uuid.UUID) -> Coverage:
        """What one party may see now ("Bekijk als"): the owner reads it, nothing is logged."""
        dossier = await self.own_dossier(owner.id)
        now = utcnow()
        valid = [
            g
            for g in await self.grants.of_dossier(dossier.id)
            if g.grantee_id == party_id and _active(g, now)
        ]
        readable = _in_catalogue_order(g.section for g in valid if g.can_read)
        rest = _in_catalogue_order({g.section for g in valid} - set(readable))
        return Coverage(dossier=dossier, readable=readable, append_only=rest)

    async def step_down_party(
        self,
        owner: Account,
        dossier_id: uuid.UUID,
        party_id: uuid.UUID,
        items: Iterable[GrantIn],
    ) -> list[str]:
        """ "Op de achtergrond": everything this party may do ends and only the narrow grants
        made by the owner's client begin, in one transaction. Returns the sections the
        owner's client must rotate next."""
        dossier = await self.access.owned_dossier(owner.id, dossier_id)
        return await self.grants.step_down_party(owner, dossier, party_id, items)

    async def end_connection(self, owner: Account, connection_id: uuid.UUID) -> list[str]:
        """One tap: the connection ends and every grant of the owner's dossier to that person
        is revoked, in one transaction. Returns the sections to rotate next."""
        ended = await self.connections.end(owner.id, connection_id)
        return await self.grants.revoke_for(owner, ended.dossier_id, ended.professional_id)


def _active(grant: Grant, now: dt.datetime) -> bool:
    return state_of(grant, now) == "active"
