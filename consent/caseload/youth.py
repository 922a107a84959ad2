"""One youth as a professional sees them: exactly the sections shared with me (each with my
rights and expiry, its signed key, my envelope and receipt, and the entries as ciphertext) and
the other sections as not shared. Every section read goes through `AccessService`, which
decides and writes the access-log event the youth sees in "Wie keek in mijn rugzak?"."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.authorisation import AccessService
from consent.caseload.grants import held_by, shared_of, soon_after
from consent.caseload.names import organisation_names, professional_names
from consent.caseload.views import (
    HandoverNote,
    RequestRow,
    SectionBlock,
    SectionKeys,
    SharedSection,
    YouthPage,
    day,
    identity_json,
)
from consent.connections.models import Connection
from consent.entries import EntryService, SealedEntry
from consent.grants.authors import authors_of, receipt_items
from consent.grants.models import Grant
from consent.parties.models import Membership, Organisation
from consent.policy import Action
from consent.requests.models import ConsentRequest
from consent.requests.schemas import request_out
from consent.requests.service import RequestService
from dossier.accounts.models import Account
from dossier.crypto import VERSION, b64e
from dossier.errors import Forbidden
from dossier.sections.catalogue import SECTIONS
from dossier.sections.models import Dossier, Section
from dossier.sections.service import DossierService


@dataclass(frozen=True, slots=True)
class HeldGrant:
    """A grant I hold, with its organisation's name (None for a personal grant)."""

    grant: Grant
    org: str | None

    @property
    def section(self) -> str:
        return self.grant.section

    @property
    def can_read(self) -> bool:
        return self.grant.can_read

    @property
    def can_append(self) -> bool:
        return self.grant.can_append

    @property
    def expires_at(self) -> dt.datetime:
        return self.grant.expires_at


async def held_grants(
    db: AsyncSession, me: uuid.UUID, dossier_id: uuid.UUID, section: str | None = None
) -> list[HeldGrant]:
    """My valid grants in one dossier, whole (receipts and envelopes), with org names."""
    query = (
        select(Grant, Organisation.name)
        .outerjoin(
            Organisation,
            (Organisation.id == Grant.grantee_id) & (Grant.grantee_kind == "organisation"),
        )
        .where(Grant.dossier_id == dossier_id, held_by(me, dt.datetime.now(dt.UTC)))
    )
    if section is not None:
        query = query.where(Grant.section == section)
    return [HeldGrant(g, org) for g, org in (await db.execute(query)).tuples()]


async def section_keys(
    db: AsyncSession, me: uuid.UUID, section: Section, grants: Sequence[HeldGrant]
) -> SectionKeys:
    """My envelope for the section's current key (a grant whose envelope was re-sealed at the
    last rotation), its receipt, the authors' receipts and, for an organisation grant, my
    sealed copy of the organisation key with the identity it must match."""
    mine = [g.grant for g in grants if g.section == section.key]
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
        org_key = await _org_key(db, me, reader.grantee_id)
    receipts = receipt_items(await authors_of(db, section))
    return SectionKeys(
        section=section,
        receipts=json.dumps(receipts),
        envelope=None if reader is None or reader.envelope is None else b64e(reader.envelope),
        receipt=json.dumps((reader or mine[0]).receipt),
        org_key=org_key,
    )


async def _org_key(db: AsyncSession, me: uuid.UUID, org_id: uuid.UUID) -> str | None:
    found = (
        await db.execute(
            select(Membership.sealed_org_key, Organisation.box_pk, Organisation.sign_pk)
            .join(Organisation, Organisation.id == Membership.org_id)
            .where(
                Membership.org_id == org_id,
                Membership.account_id == me,
                Membership.state == "active",
            )
        )
    ).first()
    if found is None:
        return None
    sealed, box_pk, sign_pk = found
    identity = {"v": VERSION, "box_pk": b64e(box_pk), "sign_pk": b64e(sign_pk)}
    return json.dumps({"sealed": b64e(sealed), "identity": identity, "org": str(org_id)})


class YouthService:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db
        self.access = AccessService(db)
        self.dossiers = DossierService(db)

    async def page(self, me: uuid.UUID, dossier_id: uuid.UUID) -> YouthPage:
        """Forbidden without a connection or a valid grant, also for an unknown dossier."""
        dossier = await self.db.get(Dossier, dossier_id)
        connection = await self.db.scalar(
            select(Connection).where(
                Connection.dossier_id == dossier_id,
                Connection.professional_id == me,
                Connection.ended_at.is_(None),
                Connection.purpose == "care",
            )
        )
        grants = await held_grants(self.db, me, dossier_id)
        if dossier is None or (connection is None and not grants):
            raise Forbidden("no connection or grant for this dossier")
        owner = await self.db.get_one(Account, dossier.owner_id)
        shared = shared_of(grants, soon_after(dt.datetime.now(dt.UTC)))
        blocks = [await self._block(me, dossier_id, s, grants) for s in shared]
        keys = {s.key for s in shared}
        requests = list(
            await self.db.scalars(
                select(ConsentRequest)
                .where(ConsentRequest.dossier_id == dossier_id, ConsentRequest.requester_id == me)
                .order_by(ConsentRequest.created_at.desc())
            )
        )
        names = await self._names(blocks, requests, str(owner.id))
        return YouthPage(
            dossier=dossier,
            owner_id=str(owner.id),
            owner_identity=identity_json(owner.box_pk, owner.sign_pk),
            card=None if connection is None else b64e(connection.youth_card),
            contact_person=bool(connection and connection.contact_person),
            connected=connection is not None,
            blocks=blocks,
            not_shared=[k for k in SECTIONS if k not in keys],
            requests=[
                RequestRow(
                    list(r.sections),
                    r.purpose,
                    r.period_days,
                    r.state,
                    day(r.created_at),
                    r.kind,
                    id=str(r.id),
                    to=names.get(str(r.grantee_id)) if r.kind == "handover" else None,
                    to_id=str(r.grantee_id) if r.kind == "handover" else None,
                )
                for r in requests
            ],
            handovers=await self._handovers(me, dossier),
            authors=names,
        )

    async def _names(
        self, blocks: list[SectionBlock], requests: list[ConsentRequest], owner: str
    ) -> dict[str, str]:
        """The server's names for the other professionals on this page (`consent.caseload.
        names`): the authors of entries, and the next professional or organisation of my
        handovers. Two queries at most, whatever the number of entries."""
        authors = {e.author_id for b in blocks for e in b.entries if not e.mine}
        authors.discard(owner)
        people = authors | {
            str(r.grantee_id)
            for r in requests
            if r.kind == "handover" and r.grantee_kind == "person"
        }
        orgs = [
            r.grantee_id
            for r in requests
            if r.kind == "handover" and r.grantee_kind == "organisation"
        ]
        return await professional_names(self.db, people) | await organisation_names(self.db, orgs)

    async def _handovers(self, me: uuid.UUID, dossier: Dossier) -> list[HandoverNote]:
        """Handovers to me (or to an organisation I am an active member of) the youth said yes
        to, newest first (`RequestService.visible`: nothing before her yes)."""
        rows = await RequestService(self.db).visible(me, dossier)
        orgs = set(
            await self.db.scalars(
                select(Membership.org_id).where(
                    Membership.account_id == me, Membership.state == "active"
                )
            )
        )
        return [
            HandoverNote(
                requester_id=str(r.requester_id),
                request=msgspec.json.encode(request_out(r)).decode(),
                sealed=b64e(r.note_grantee),
                created=day(r.created_at),
            )
            for r in reversed(rows)
            if r.kind == "handover"
            and r.state == "answered"  # my own open proposal to an organisation is not to me
            and (r.grantee_id == me or (r.grantee_kind == "organisation" and r.grantee_id in orgs))
            and r.note_grantee is not None
        ]

    async def _block(
        self,
        me: uuid.UUID,
        dossier_id: uuid.UUID,
        shared: SharedSection,
        grants: list[HeldGrant],
    ) -> SectionBlock:
        allowed = await self.access.section(
            me, dossier_id, shared.key, Action.READ, own_entries=not shared.can_read
        )
        section = allowed.section
        rows = await self.dossiers.latest_entries(section, None if shared.can_read else me)
        return SectionBlock(
            shared=shared,
            keys=await section_keys(self.db, me, section, grants),
            entries=[SealedEntry.of(r, me) for r in rows],
        )

    async def write(
        self, me: Account, dossier_id: uuid.UUID, key: str, sealed: dict[str, object]
    ) -> YouthPage:
        """Append as the author (the server checks the grant, the place, the version and my
        signature in `DossierService`), then the page as it is now."""
        await EntryService(self.db).append(me.id, me.sign_pk, dossier_id, key, sealed)
        return await self.page(me.id, dossier_id)
