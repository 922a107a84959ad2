"""Page data for professionals, assembled in a handful of queries (a caseload is 30 to 80 youths;
the page must not cost a query per youth). Only ciphertext and public facts leave here: the
youth's display name is in the sealed profile card the browser opens.

A read model, not business rules: who may see what is still decided by `consent.access` for
every section read or written (see `ProPages` in pro_youth.py)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.access import AccessService
from consent.connections.models import Connection, Invite
from consent.grants.models import Grant
from consent.log.actions import LogAction
from consent.log.models import LogEvent
from consent.parties.models import Organisation
from dossier.accounts.models import Account
from dossier.crypto import b64e
from dossier.store.catalogue import SECTIONS
from dossier.store.models import Entry
from web.pages.view import PERMISSION_LABELS

SOON_DAYS = 30
LIGHT_COLUMNS = (
    Grant.id,
    Grant.dossier_id,
    Grant.section,
    Grant.grantee_kind,
    Grant.grantee_id,
    Grant.can_read,
    Grant.can_append,
    Grant.expires_at,
)


def day(at: dt.datetime) -> str:
    return at.strftime("%d-%m-%Y")


def utc(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class SharedSection:
    key: str
    label: str
    permissions: str
    can_read: bool
    can_append: bool
    expires: str
    ends_soon: bool
    via: str | None


@dataclass
class YouthRow:
    connection_id: str
    youth_id: str
    dossier_id: str
    card: str
    identity: str
    contact_person: bool
    org: str | None
    connected: str
    shared: list[SharedSection] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    last_visit: str | None = None

    @property
    def search_text(self) -> str:
        return " ".join(s.label for s in self.shared)


@dataclass(frozen=True)
class InviteRow:
    id: str
    org: str | None
    created: str
    expires: str
    used: bool


def shared_of(
    grants: list[Grant], org_names: dict[uuid.UUID, str], now: dt.datetime
) -> list[SharedSection]:
    """One line per section, merging a personal and an organisation grant on the same section."""
    by_key: dict[str, list[Grant]] = {}
    for grant in grants:
        by_key.setdefault(grant.section, []).append(grant)
    out = []
    for key in SECTIONS:
        found = by_key.get(key)
        if not found:
            continue
        read = any(g.can_read for g in found)
        append = any(g.can_append for g in found)
        expires = max(utc(g.expires_at) for g in found)
        perms = [p for p, ok in (("read", read), ("append", append)) if ok]
        via = next(
            (org_names.get(g.grantee_id) for g in found if g.grantee_kind == "organisation"), None
        )
        out.append(
            SharedSection(
                key=key,
                label=SECTIONS[key],
                permissions=" en ".join(PERMISSION_LABELS[p] for p in perms),
                can_read=read,
                can_append=append,
                expires=day(expires),
                ends_soon=expires - now < dt.timedelta(days=SOON_DAYS),
                via=via,
            )
        )
    return out


class ProView:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def valid_grants(
        self, account_id: uuid.UUID, dossier_ids: list[uuid.UUID], *, light: bool = False
    ) -> tuple[list[Grant], dict[uuid.UUID, str]]:
        """Valid grants to me or my organisations; `light` leaves out receipts and envelopes."""
        actor = await AccessService(self.db).actor(account_id)
        if not dossier_ids:
            return [], {}
        where = (
            Grant.dossier_id.in_(dossier_ids),
            Grant.grantee_id.in_(actor.parties()),
            Grant.revoked_at.is_(None),
            Grant.expires_at > dt.datetime.now(dt.UTC),
        )
        rows: Any
        if light:  # plain rows, no ORM objects: the caseload's hot path
            rows = (await self.db.execute(select(*LIGHT_COLUMNS).where(*where))).all()
        else:
            rows = list(await self.db.scalars(select(Grant).where(*where)))
        names = {}
        if actor.organisations:
            found = await self.db.execute(
                select(Organisation.id, Organisation.name).where(
                    Organisation.id.in_(actor.organisations)
                )
            )
            names = {org_id: name for org_id, name in found.tuples()}  # noqa: C416  (a Result has .keys())
        return rows, names

    async def caseload(self, account_id: uuid.UUID) -> list[YouthRow]:
        """Columns only (no ORM objects): an account row carries its sealed bundles, which
        a caseload never needs."""
        now = dt.datetime.now(dt.UTC)
        found = await self.db.execute(
            select(
                Connection.id,
                Connection.dossier_id,
                Connection.youth_card,
                Connection.contact_person,
                Connection.created_at,
                Account.id,
                Account.box_pk,
                Account.sign_pk,
                Organisation.name,
            )
            .join(Account, Account.id == Connection.youth_id)
            .outerjoin(Organisation, Organisation.id == Connection.org_id)
            .where(Connection.professional_id == account_id, Connection.ended_at.is_(None))
            .order_by(Connection.created_at)
        )
        rows: dict[uuid.UUID, YouthRow] = {}
        for (
            cid,
            dossier_id,
            card,
            contact,
            created,
            youth_id,
            box_pk,
            sign_pk,
            org,
        ) in found.tuples():
            identity = json.dumps({"v": 1, "box_pk": b64e(box_pk), "sign_pk": b64e(sign_pk)})
            rows[dossier_id] = YouthRow(
                connection_id=str(cid),
                youth_id=str(youth_id),
                dossier_id=str(dossier_id),
                card=b64e(card),
                identity=identity,
                contact_person=contact,
                org=org,
                connected=day(created),
            )
        grants, org_names = await self.valid_grants(account_id, list(rows), light=True)
        by_dossier: dict[uuid.UUID, list[Grant]] = {}
        for grant in grants:
            by_dossier.setdefault(grant.dossier_id, []).append(grant)
        for dossier_id, row in rows.items():
            row.shared = shared_of(by_dossier.get(dossier_id, []), org_names, now)
        await self._changes(account_id, rows, grants)
        return list(rows.values())

    async def _changes(
        self, account_id: uuid.UUID, rows: dict[uuid.UUID, YouthRow], grants: list[Grant]
    ) -> None:
        """What changed since my last visit: my last logged read of each dossier, and the
        sections shared with me holding an entry (by someone else) made after it."""
        if not grants:
            return
        visits = await self.db.execute(
            select(LogEvent.dossier_id, func.max(LogEvent.at))
            .where(
                LogEvent.dossier_id.in_(list(rows)),
                LogEvent.actor == str(account_id),
                LogEvent.action == LogAction.READ.value,
            )
            .group_by(LogEvent.dossier_id)
        )
        last = {
            d: dt.datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
            for d, at in visits.tuples()
        }
        newest = await self.db.execute(
            select(Entry.dossier_id, Grant.section, func.max(Entry.created_at))
            .join(Grant, Grant.section_id == Entry.section_id)
            .where(Grant.id.in_([g.id for g in grants]), Entry.author_id != account_id)
            .group_by(Entry.dossier_id, Grant.section)
        )
        for dossier_id, section, at in newest.tuples():
            row = rows[dossier_id]
            seen = last.get(dossier_id)
            row.last_visit = None if seen is None else day(seen)
            if (seen is None or utc(at) > seen) and SECTIONS[section] not in row.changed:
                row.changed.append(SECTIONS[section])

    async def invites(self, account_id: uuid.UUID) -> tuple[list[InviteRow], list[InviteRow]]:
        """(pending, accepted) invites I made; expired unused ones are left out."""
        now = dt.datetime.now(dt.UTC)
        found = await self.db.execute(
            select(Invite, Organisation.name)
            .outerjoin(Organisation, Organisation.id == Invite.org_id)
            .where(Invite.professional_id == account_id)
            .order_by(Invite.created_at.desc())
            .limit(200)
        )
        pending, accepted = [], []
        for invite, org in found.tuples():
            row = InviteRow(
                str(invite.id),
                org,
                day(invite.created_at),
                day(invite.expires_at),
                invite.used_at is not None,
            )
            if invite.used_at is not None:
                accepted.append(row)
            elif utc(invite.expires_at) > now:
                pending.append(row)
        return pending, accepted


def as_json(value: object) -> str:
    return json.dumps(value)
