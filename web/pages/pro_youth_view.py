"""One youth as a professional sees them: exactly the sections shared with me (each with my
rights and expiry, its signed key, my envelope and receipt, and the entries as ciphertext) and
the others as "niet gedeeld". Every section read goes through `AccessService`, which decides
and writes the access-log event the youth sees."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.access import AccessService
from consent.connections.models import Connection
from consent.grants.models import Grant
from consent.parties.models import Membership, Organisation
from consent.policy import Action
from consent.requests.models import ConsentRequest
from dossier.accounts.models import Account
from dossier.crypto import b64e
from dossier.errors import Forbidden
from dossier.store.catalogue import LIFE_AREAS, SECTIONS
from dossier.store.models import Dossier, Section
from dossier.store.service import DossierService
from web.pages.pro_view import ProView, SharedSection, day, shared_of
from web.pages.view import EntryView, identity_json, receipts_json

REQUEST_STATES = {
    "open": "wacht op antwoord",
    "answered": "ja gezegd",
    "declined": "nee gezegd",
    "withdrawn": "ingetrokken",
}


@dataclass
class SectionBlock:
    shared: SharedSection
    section: Section
    entries: list[EntryView]
    receipts: str
    envelope: str | None
    receipt: str
    org_key: str | None

    @property
    def key(self) -> str:
        return self.shared.key

    @property
    def signed_key(self) -> str:
        return json.dumps(self.section.signed_key)

    @property
    def kind(self) -> str:
        if self.key in LIFE_AREAS:
            return "leefgebied"
        return self.key if self.key in {"notities", "plan", "contact", "verhaal"} else "anders"


@dataclass
class YouthPage:
    dossier: Dossier
    owner: Account
    card: str | None
    contact_person: bool
    connected: bool
    blocks: list[SectionBlock]
    not_shared: list[tuple[str, str]]
    requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def owner_identity(self) -> str:
        return identity_json(self.owner)


def _org_key(member: Membership | None, org: Organisation | None) -> str | None:
    """My sealed copy of the organisation key, with the identity it must match."""
    if member is None or org is None:
        return None
    identity = {"v": 1, "box_pk": b64e(org.box_pk), "sign_pk": b64e(org.sign_pk)}
    return json.dumps(
        {"sealed": b64e(member.sealed_org_key), "identity": identity, "org": str(org.id)}
    )


class YouthView:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db
        self.access = AccessService(db)
        self.dossiers = DossierService(db)

    async def page(self, me: uuid.UUID, dossier_id: uuid.UUID) -> YouthPage:
        dossier = await self.db.get(Dossier, dossier_id)
        connection = await self.db.scalar(
            select(Connection).where(
                Connection.dossier_id == dossier_id,
                Connection.professional_id == me,
                Connection.ended_at.is_(None),
            )
        )
        grants, org_names = await ProView(self.db).valid_grants(me, [dossier_id])
        if dossier is None or (connection is None and not grants):
            raise Forbidden("no connection or grant for this dossier")
        owner = await self.db.get_one(Account, dossier.owner_id)
        shared = shared_of(grants, org_names, dt.datetime.now(dt.UTC))
        blocks = [await self._block(me, dossier_id, s, grants) for s in shared]
        keys = {s.key for s in shared}
        requests = await self.db.scalars(
            select(ConsentRequest)
            .where(ConsentRequest.dossier_id == dossier_id, ConsentRequest.requester_id == me)
            .order_by(ConsentRequest.created_at.desc())
        )
        return YouthPage(
            dossier=dossier,
            owner=owner,
            card=None if connection is None else b64e(connection.youth_card),
            contact_person=bool(connection and connection.contact_person),
            connected=connection is not None,
            blocks=blocks,
            not_shared=[(k, label) for k, label in SECTIONS.items() if k not in keys],
            requests=[
                {
                    "sections": ", ".join(SECTIONS.get(s, s) for s in r.sections),
                    "purpose": r.purpose,
                    "days": str(r.period_days),
                    "state": REQUEST_STATES.get(r.state, r.state),
                    "asked": day(r.created_at),
                }
                for r in requests
            ],
        )

    async def _block(
        self, me: uuid.UUID, dossier_id: uuid.UUID, shared: SharedSection, grants: list[Grant]
    ) -> SectionBlock:
        allowed = await self.access.section(
            me, dossier_id, shared.key, Action.READ, own_entries=not shared.can_read
        )
        section = allowed.section
        author = None if shared.can_read else me
        rows = await self.dossiers.latest_entries(section, author)
        mine = [g for g in grants if g.section == shared.key]
        reader = next(
            (
                g
                for g in mine
                if g.envelope is not None and g.envelope_key_version == section.key_version
            ),
            None,
        )
        org_key = None
        if reader is not None and reader.grantee_kind == "organisation":
            member = await self.db.scalar(
                select(Membership).where(
                    Membership.org_id == reader.grantee_id,
                    Membership.account_id == me,
                    Membership.state == "active",
                )
            )
            org_key = _org_key(member, await self.db.get(Organisation, reader.grantee_id))
        return SectionBlock(
            shared=shared,
            section=section,
            entries=[EntryView.of(r, me) for r in rows],
            receipts=await receipts_json(self.db, section),
            envelope=None if reader is None or reader.envelope is None else b64e(reader.envelope),
            receipt=json.dumps((reader or mine[0]).receipt),
            org_key=org_key,
        )

    async def add_entry(
        self, me: Account, dossier_id: uuid.UUID, key: str, sealed: dict[str, object]
    ) -> None:
        """Append as the author; the server checks the grant, the place, the version and my
        signature (DossierService)."""
        allowed = await self.access.section(me.id, dossier_id, key, Action.APPEND)
        await self.dossiers.add_entry(allowed.section, me.id, me.sign_pk, sealed)
