"""Grants: creation from owner-signed receipts, listing, revocation and nazorg step-down.

The server checks every receipt it stores (signature by the owner, fields equal to the grant
row, grantee key fingerprint equal to the grantee's current key, expiry within the owner's
27th birthday unless renewed) and enforces every grant itself: a revoked grant is refused at
once (`consent.policy`), before the owner's client has rotated the section key."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from consent.grants.errors import PastAgeCap
from consent.grants.limits import MAX_AGE_YEARS, birthday
from consent.grants.models import Grant
from consent.grants.schemas import GrantIn
from consent.log.actions import LogAction
from consent.log.service import LogService
from consent.notify import events
from consent.parties.models import Organisation
from consent.policy import Actor
from dossier import crypto
from dossier.accounts.models import Account
from dossier.accounts.service import parse_uuid
from dossier.db import utcnow
from dossier.errors import Conflict, InvalidInput, NotFound
from dossier.sections.models import Dossier, Section


def state_of(grant: Grant, now: dt.datetime) -> str:
    if grant.revoked_at is not None:
        return "revoked"
    return "expired" if now >= grant.expires_at else "active"


async def party_identity(
    db: AsyncSession, kind: str, party_id: uuid.UUID, *, lock: bool = False
) -> crypto.PublicIdentity:
    """The current public identity of a person (a professional account) or organisation."""
    if kind == "person":
        account = await db.get(Account, party_id)
        if account is None or account.kind != "professional":
            raise NotFound("grantee")
        return crypto.PublicIdentity(box_pk=account.box_pk, sign_pk=account.sign_pk)
    # With `lock`, the organisation row is locked: a grant checked against its key must not
    # race a rotation of that key (the rotation re-wraps every grant it can see).
    query = select(Organisation).where(Organisation.id == party_id)
    org = await db.scalar(query.with_for_update() if lock else query)
    if org is None:
        raise NotFound("grantee")
    return crypto.PublicIdentity(box_pk=org.box_pk, sign_pk=org.sign_pk)


class GrantService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session
        self.log = LogService(session)

    async def create(
        self,
        owner: Account,
        dossier: Dossier,
        items: Iterable[GrantIn],
        *,
        request_id: uuid.UUID | None = None,
        action: LogAction = LogAction.GRANT,
    ) -> list[Grant]:
        sections = {
            s.key: s
            for s in await self.db.scalars(select(Section).where(Section.dossier_id == dossier.id))
        }
        made = []
        for item in items:
            grant = await self._checked(owner, dossier, sections, item)
            grant.request_id = request_id
            self.db.add(grant)
            made.append(grant)
            await self.log.record(dossier.id, owner.id, action, grant.section)
        if not made:
            raise InvalidInput("no grants given")
        await self.db.flush()
        if request_id is None:  # an answer to a request is one notice, made by RequestService
            await events.grants_changed(self.db, "grant", made)
        return made

    async def _checked(
        self, owner: Account, dossier: Dossier, sections: dict[str, Section], item: GrantIn
    ) -> Grant:
        section = sections.get(item.section)
        if section is None:
            raise NotFound("section")
        try:
            receipt = crypto.ConsentReceipt.from_json(item.receipt)
            receipt.verify(owner.sign_pk)
        except crypto.CryptoError as exc:
            raise InvalidInput("receipt is malformed or not signed by the owner") from exc
        grant_id = parse_uuid(item.id, "grant id")
        grantee_id = parse_uuid(item.grantee_id, "grantee id")
        expected = (item.id, str(dossier.id), item.section, item.grantee_id, section.key_version)
        found = (
            receipt.grant,
            receipt.dossier,
            receipt.section,
            receipt.grantee,
            receipt.key_version,
        )
        if found != expected:
            raise InvalidInput("receipt does not match the grant")
        grantee = await party_identity(self.db, item.grantee_kind, grantee_id, lock=True)
        if grantee.fingerprint() != receipt.grantee_key_fingerprint:
            raise InvalidInput("receipt names another key than the grantee's")
        issued = crypto.parse_time(receipt.issued_at)
        expires = crypto.parse_time(receipt.expires_at)
        cap = None if owner.birth_date is None else birthday(owner.birth_date, MAX_AGE_YEARS)
        if cap is not None and expires > cap and not item.renewed_past_27:
            raise PastAgeCap("a grant ends at the latest on the owner's 27th birthday")
        can_read = "read" in receipt.permissions
        if can_read != (item.envelope is not None):
            raise InvalidInput("a read grant carries an envelope, an append-only grant none")
        if await self.db.get(Grant, grant_id) is not None:
            raise Conflict("grant exists")
        return Grant(
            id=grant_id,
            dossier_id=dossier.id,
            section_id=section.id,
            section=section.key,
            grantee_kind=item.grantee_kind,
            grantee_id=grantee_id,
            can_read=can_read,
            can_append="append" in receipt.permissions,
            purpose=receipt.purpose,
            issued_at=issued,
            expires_at=expires,
            receipt=receipt.to_json(),
            envelope=None if item.envelope is None else crypto.b64d(item.envelope),
            envelope_key_version=section.key_version if can_read else None,
        )

    async def of_dossier(self, dossier_id: uuid.UUID) -> list[Grant]:
        rows = await self.db.scalars(
            select(Grant).where(Grant.dossier_id == dossier_id).order_by(Grant.issued_at)
        )
        return list(rows)

    async def mine(self, actor: Actor) -> list[Grant]:
        """Valid grants to this actor or to an organisation it is an active member of."""
        rows = await self.db.scalars(
            select(Grant).where(
                Grant.grantee_id.in_(actor.parties()),
                Grant.revoked_at.is_(None),
                Grant.expires_at > utcnow(),
            )
        )
        return list(rows)

    async def revoke(
        self, owner: Account, dossier_id: uuid.UUID, ids: Iterable[str], action: LogAction
    ) -> list[str]:
        """Mark grants revoked at once; returns the sections the owner must now rotate."""
        grant_ids = [parse_uuid(i, "grant id") for i in ids]
        rows = list(
            await self.db.scalars(
                select(Grant).where(Grant.id.in_(grant_ids), Grant.dossier_id == dossier_id)
            )
        )
        if len(rows) != len(set(grant_ids)):
            raise NotFound("grant")
        now = utcnow()
        ended = [g for g in rows if g.revoked_at is None]
        for grant in ended:
            grant.revoked_at = now
            await self.log.record(dossier_id, owner.id, action, grant.section)
        await self.db.flush()
        await events.grants_changed(self.db, "revoke", ended)
        return sorted({g.section for g in rows if g.can_read})

    async def open_ids(self, dossier_id: uuid.UUID, grantee_id: uuid.UUID) -> list[str]:
        """Every grant this dossier still gives one party (not revoked; expired ones too, so
        ending them is recorded)."""
        ids = await self.db.scalars(
            select(Grant.id).where(
                Grant.dossier_id == dossier_id,
                Grant.grantee_id == grantee_id,
                Grant.revoked_at.is_(None),
            )
        )
        return [str(i) for i in ids]

    async def revoke_for(
        self, owner: Account, dossier_id: uuid.UUID, grantee_id: uuid.UUID
    ) -> list[str]:
        """Revoke every grant this dossier still gives one party (ending a connection)."""
        ids = await self.open_ids(dossier_id, grantee_id)
        return await self.revoke(owner, dossier_id, ids, LogAction.REVOKE)

    async def step_down(
        self, owner: Account, dossier: Dossier, revoke: Iterable[str], items: Iterable[GrantIn]
    ) -> list[str]:
        """Nazorg: end the wide grants and make the narrow ones in one transaction; returns
        the sections the owner's client must now rotate."""
        sections = await self.revoke(owner, dossier.id, revoke, LogAction.STEP_DOWN)
        items = list(items)
        if items:
            await self.create(owner, dossier, items, action=LogAction.STEP_DOWN)
        return sections

    async def step_down_party(
        self, owner: Account, dossier: Dossier, party_id: uuid.UUID, items: Iterable[GrantIn]
    ) -> list[str]:
        """The youth puts one party "op de achtergrond": everything it may do now ends, and
        only the narrow grants given here (all to that party) remain."""
        items = list(items)
        if not items or any(i.grantee_id != str(party_id) for i in items):
            raise InvalidInput("a step-down gives narrow grants to the same party")
        ended = await self.open_ids(dossier.id, party_id)
        if not ended:
            raise InvalidInput("this party has nothing to step down from")
        return await self.step_down(owner, dossier, ended, items)

    async def rotation_due(self, dossier_id: uuid.UUID) -> list[str]:
        """Sections holding a read grant that ended (revoked or expired) whose key has not
        been rotated since: the owner's client rotates them on its next unlock."""
        now = utcnow()
        rows = await self.db.scalars(
            select(Grant.section).where(
                Grant.dossier_id == dossier_id,
                Grant.can_read,
                Grant.rotated_out.is_(False),
                (Grant.revoked_at.is_not(None)) | (Grant.expires_at <= now),
            )
        )
        return sorted(set(rows))

    async def mark_rotated(self, section: Section) -> None:
        now = utcnow()
        await self.db.execute(
            update(Grant)
            .where(
                Grant.section_id == section.id,
                (Grant.revoked_at.is_not(None)) | (Grant.expires_at <= now),
            )
            .values(rotated_out=True)
        )
