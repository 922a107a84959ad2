"""Mijn jongeren: every youth connected to me, and every youth who shares with an organisation
I am an active member of (`MINE`), in two queries whatever the caseload's size (a caseload is
30 to 80 youths; the page must not cost a query per youth): the youths with my last visit, my
latest nazorg proposal, whether I have an unread notice there, and my valid grants with the
newest entry by someone else per shared section; and my open invites.

This is the professional's most visited page, so the queries are built once (Core statements
with bound parameters: no ORM objects, no statement building per request). Columns only: an
account row carries its sealed key bundles, a grant its receipt and envelope, and the caseload
needs none of them.

"What changed since my last visit" comes from the access log: my last `section:read` event in
that dossier, and per shared section the newest entry by someone else. No extra table, and
nothing about my visits that the youth cannot already see in "Wie keek in mijn rugzak?"."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import NamedTuple

from sqlalchemy import (
    BindParameter,
    DateTime,
    and_,
    bindparam,
    exists,
    func,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from consent.caseload.grants import held_by, held_through_org, shared_of, soon_after, utc
from consent.caseload.views import Caseload, InviteRow, YouthRow, day, identity_json
from consent.connections.models import Connection, Invite
from consent.grants.models import Grant
from consent.log.actions import LogAction
from consent.log.models import LogEvent
from consent.parties.models import Organisation
from consent.requests.models import ConsentRequest
from dossier.accounts.models import Account
from dossier.crypto import b64e
from dossier.db import UuidText
from dossier.notify.models import Notice
from dossier.sections.models import Dossier, Entry

INVITE_LIMIT = 200

_conn, _acc, _org = Connection.__table__.c, Account.__table__.c, Organisation.__table__.c
_grant, _entry, _log = Grant.__table__.c, Entry.__table__.c, LogEvent.__table__.c
_invite, _request = Invite.__table__.c, ConsentRequest.__table__.c
_dossier, _notice = Dossier.__table__.c, Notice.__table__.c
_ME: BindParameter[uuid.UUID] = bindparam("me")
# Stored times read as the plain type under DateTimeUTC: naive UTC on SQLite, aware on
# PostgreSQL; `utc()` and `day()` take both. This skips a Python call per value, three per row.
_TIME = DateTime(timezone=True)
# Ids read as the text the page writes (no `uuid.UUID` per value: three per row).
_ID = UuidText()
_NOW: BindParameter[dt.datetime] = bindparam("now")
_MINE = and_(
    _conn.professional_id == _ME,
    _conn.ended_at.is_(None),
    _conn.purpose == "care",  # a trusted person's recovery-only connection is no caseload
)

_via = Organisation.__table__.alias("via")

# The caseload's youths: every connection of mine, and every other dossier with a valid grant to
# an organisation I am an active member of (after a handover to that organisation, or a
# campaign): one row per dossier, with when it entered my caseload and my connection's id (the
# outer query joins the connection by its key, not by scanning my connections per row).
_CONNECTED = select(_conn.dossier_id).where(_MINE)
MINE = union_all(
    select(
        _conn.dossier_id.label("dossier"),
        _conn.created_at.label("since"),
        _conn.id.label("connection"),
    ).where(_MINE),
    select(_grant.dossier_id, func.min(_grant.created_at), null())
    .where(
        held_through_org(_ME, _NOW),
        _grant.dossier_id.not_in(_CONNECTED),
    )
    .group_by(_grant.dossier_id),
).subquery("mine")
_mine = MINE.c
_HELD = and_(_grant.dossier_id == _mine.dossier, held_by(_ME, _NOW))

YOUTHS = (
    select(_mine.dossier, _conn.youth_card.label("card"), _mine.since)
    .select_from(MINE)
    .outerjoin(Connection.__table__, _conn.id == _mine.connection)
    .subquery("youths")
)
"""The dossiers of my caseload with the youth's card sealed to me (None without a
connection); bound parameters `me` and `now`. The caseload's panels (plans, ZRM) read these."""

_YOUTH_ROWS = (
    select(
        type_coerce(_mine.dossier, _ID).label("dossier"),
        _conn.youth_card,
        _conn.contact_person,
        type_coerce(_mine.since, _TIME).label("since"),
        type_coerce(_acc.id, _ID),
        _acc.box_pk,
        _acc.sign_pk,
        _org.name,
        type_coerce(_conn.id, _ID),
        _conn.professional_card.is_(None),
        select(func.max(_log.at))
        .where(
            _log.dossier_id == _mine.dossier,
            _log.actor == bindparam("actor"),
            _log.action == LogAction.READ.value,
        )
        .scalar_subquery(),
        select(_request.state)
        .where(
            _request.dossier_id == _mine.dossier,
            _request.requester_id == _ME,
            _request.kind == "aftercare",
        )
        .order_by(_request.created_at.desc(), _request.id.desc())
        .limit(1)
        .scalar_subquery(),
        exists().where(
            _notice.account_id == _ME,
            _notice.read_at.is_(None),
            _notice.dossier_id == _mine.dossier,
        ),
        _grant.section,
        _via.c.name,
        _grant.can_read,
        _grant.can_append,
        type_coerce(_grant.expires_at, _TIME),
        type_coerce(
            select(_entry.created_at)  # walks `ix_entry_section_created` back from the newest
            .where(_entry.section_id == _grant.section_id, _entry.author_id != _ME)
            .order_by(_entry.created_at.desc())
            .limit(1)
            .scalar_subquery(),
            _TIME,
        ),
    )
    .select_from(MINE)
    .join(Dossier.__table__, _dossier.id == _mine.dossier)
    .join(Account.__table__, _acc.id == _dossier.owner_id)
    .outerjoin(Connection.__table__, _conn.id == _mine.connection)
    .outerjoin(Organisation.__table__, _org.id == _conn.org_id)
    .outerjoin(Grant.__table__, _HELD)
    .outerjoin(_via, (_via.c.id == _grant.grantee_id) & (_grant.grantee_kind == "organisation"))
)

_OPEN = (
    select(_invite.id, _org.name, _invite.created_at, _invite.expires_at)
    .select_from(Invite.__table__)
    .outerjoin(Organisation.__table__, _org.id == _invite.org_id)
    .where(
        _invite.professional_id == _ME,
        _invite.purpose == "care",
        _invite.used_at.is_(None),
        _invite.expires_at > _NOW,
    )
    .order_by(_invite.created_at.desc())
    .limit(INVITE_LIMIT)
    .subquery("open_invites")
)
_INVITE_ROWS = select(
    *[null()] * 3,
    type_coerce(_OPEN.c.created_at, _TIME),  # in `since`
    *[null()] * 3,
    _OPEN.c.name,  # in the connection's organisation
    _OPEN.c.id,  # in the connection's id
    *[null()] * 8,
    type_coerce(_OPEN.c.expires_at, _TIME),  # in the grant's expiry
    null(),
)
_BOTH = union_all(_YOUTH_ROWS, _INVITE_ROWS)
CASELOAD = _BOTH.order_by(_BOTH.selected_columns.since, _BOTH.selected_columns.dossier)
"""One row per youth in my caseload and valid grant I hold in that dossier (directly or
through an organisation I am an active member of; one row without a grant when there is none):
the youth's card (None without a connection: she sealed no card to me) and identity, my last
logged read of the dossier, the state of my latest nazorg proposal there (`open`, `answered`,
`declined`, `withdrawn` or None), whether I have an unread notice about it (the caseload's
"Nieuw"), and per grant the newest entry by someone else in that section.

And one row per open invite of mine (the newest `INVITE_LIMIT`), without a dossier: its id,
organisation, creation and expiry in the columns named above. The page needs both, and a
second statement costs a round trip (on aiosqlite four thread hops) for a handful of rows."""


class Held(NamedTuple):
    """One valid grant of mine, with the newest entry by someone else in its section."""

    section: str
    org: str | None
    can_read: bool
    can_append: bool
    expires_at: dt.datetime
    newest: dt.datetime | None


def _log_time(at: str) -> dt.datetime:
    """The access log's `at` (`2026-11-24T18:30:00Z`, always UTC)."""
    return dt.datetime.fromisoformat(at)


def _shared(row: YouthRow, grants: list[Held], soon: dt.datetime, seen: dt.datetime | None) -> None:
    """The sections shared with me, which hold something new since my last read (`seen`), the
    last activity and the first grant to end soon, in one pass over the grants: this runs per
    youth. `soon` and `seen` are in the rows' form (naive UTC on SQLite), so nothing is
    converted per grant; only the two times the page shows are made aware."""
    row.shared = shared = shared_of(grants, soon)
    row.ends_soon = any(s.ends_soon for s in shared)
    ends = active = None
    changed: set[str] = set()
    for g in grants:
        expires = g.expires_at
        if expires < soon and (ends is None or expires < ends):
            ends = expires
        newest = g.newest
        if newest is not None:
            if active is None or newest > active:
                active = newest
            if seen is None or newest > seen:
                changed.add(g.section)
    row.ends = None if ends is None else utc(ends)
    row.active = None if active is None else utc(active)
    row.changed = [s.key for s in shared if s.key in changed] if changed else []


def _form_of(rows_at: dt.datetime, at: dt.datetime) -> dt.datetime:
    """The aware `at` in the form the rows' times read: naive UTC on SQLite, aware elsewhere."""
    return at if rows_at.tzinfo is not None else at.replace(tzinfo=None)


class CaseloadService:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def caseload(self, me: uuid.UUID) -> Caseload:
        now = dt.datetime.now(dt.UTC)
        params = {"me": me, "now": now, "actor": str(me)}
        rows: dict[str, YouthRow] = {}
        held: dict[str, list[Held]] = {}
        pending: list[InviteRow] = []
        for (
            dossier_id,
            card,
            contact,
            created,
            youth_id,
            box_pk,
            sign_pk,
            org,
            connection_id,
            card_missing,
            seen,
            aftercare,
            news,
            *grant,
        ) in await self.db.execute(CASELOAD, params):
            if dossier_id is None:  # an open invite (see CASELOAD for its columns)
                expires = day(grant[4])
                pending.append(InviteRow(connection_id, org, day(created), expires, used=False))
                continue
            if dossier_id not in rows:
                rows[dossier_id] = YouthRow(
                    dossier_id=dossier_id,
                    youth_id=youth_id,
                    card="" if card is None else b64e(card),
                    identity=identity_json(box_pk, sign_pk),
                    contact_person=bool(contact),
                    org=org,
                    connected=day(created),
                    seen=None if seen is None else _log_time(seen),
                    connection_id=connection_id or "",
                    card_sent=connection_id is None or not card_missing,
                    aftercare=aftercare,
                    news=bool(news),
                )
                held[dossier_id] = []
            if grant[0] is not None:
                held[dossier_id].append(Held(*grant))
        soon: dt.datetime | None = None
        for dossier_id, grants in held.items():
            row = rows[dossier_id]
            if grants:
                if soon is None:  # once: the rows' times are all of one form
                    soon = _form_of(grants[0].expires_at, soon_after(now))
                seen = None if row.seen is None else _form_of(soon, row.seen)
                _shared(row, grants, soon, seen)
            if not row.connection_id:  # in my caseload through an organisation's grant
                row.org = next((g.org for g in grants if g.org is not None), None)
        pending.reverse()  # newest first (the rows come oldest first)
        return Caseload(youths=list(rows.values()), pending=pending)

    async def invites(self, me: uuid.UUID) -> tuple[list[InviteRow], list[InviteRow]]:
        """(pending, accepted) invites I made; expired unused ones are left out."""
        now = dt.datetime.now(dt.UTC)
        found = await self.db.execute(
            select(_invite.id, _org.name, _invite.created_at, _invite.expires_at, _invite.used_at)
            .select_from(Invite.__table__)
            .outerjoin(Organisation.__table__, _org.id == _invite.org_id)
            .where(_invite.professional_id == me)
            .order_by(_invite.created_at.desc())
            .limit(INVITE_LIMIT)
        )
        pending, accepted = [], []
        for invite_id, org, created, expires, used_at in found.tuples():
            row = InviteRow(str(invite_id), org, day(created), day(expires), used_at is not None)
            if row.used:
                accepted.append(row)
            elif utc(expires) > now:
                pending.append(row)
        return pending, accepted
