"""The grants a professional holds, directly or through an organisation they are an active
member of, and how they merge into one line per section. Shared by the caseload, the youth view
and the plans; `consent.authorisation` still decides every read."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import BindParameter, ColumnElement, and_, or_, select

from consent.caseload.views import APPEND, READ, SharedSection, day
from consent.grants.models import Grant
from consent.parties.models import Membership
from dossier.sections.catalogue import SECTIONS

SOON_DAYS = 30
_grant, _member = Grant.__table__.c, Membership.__table__.c
PERMISSIONS = {
    (False, False): (),
    (True, False): (READ,),
    (False, True): (APPEND,),
    (True, True): (READ, APPEND),
}


class GrantFacts(Protocol):
    """The columns `shared_of` reads; an ORM grant with its organisation's name, or a row."""

    @property
    def section(self) -> str: ...
    @property
    def org(self) -> str | None: ...
    @property
    def can_read(self) -> bool: ...
    @property
    def can_append(self) -> bool: ...
    @property
    def expires_at(self) -> dt.datetime: ...


def utc(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def held_by(
    me: uuid.UUID | BindParameter[uuid.UUID], now: dt.datetime | BindParameter[dt.datetime]
) -> ColumnElement[bool]:
    """Valid at `now`, and to me or to an organisation I am an active member of. The one
    definition every professional's read model uses; `me` and `now` may be bound parameters
    (the caseload's statement is built once)."""
    orgs = select(_member.org_id).where(_member.account_id == me, _member.state == "active")
    return and_(
        or_(_grant.grantee_id == me, _grant.grantee_id.in_(orgs)),
        _grant.revoked_at.is_(None),
        _grant.expires_at > now,
    )


def held_through_org(
    me: uuid.UUID | BindParameter[uuid.UUID], now: dt.datetime | BindParameter[dt.datetime]
) -> ColumnElement[bool]:
    """Valid at `now` and to an organisation I am an active member of: `held_by` without my
    personal grants, so an index on the grantee answers it (no OR)."""
    orgs = select(_member.org_id).where(_member.account_id == me, _member.state == "active")
    return and_(
        _grant.grantee_kind == "organisation",
        _grant.grantee_id.in_(orgs),
        _grant.revoked_at.is_(None),
        _grant.expires_at > now,
    )


def soon_after(now: dt.datetime) -> dt.datetime:
    """When a grant that ends before this instant "ends soon" (within `SOON_DAYS`)."""
    return now + dt.timedelta(days=SOON_DAYS)


def shared_of(grants: Iterable[GrantFacts], soon: dt.datetime) -> list[SharedSection]:
    """One line per section in catalogue order, merging a personal and an organisation grant
    on the same section: the union of the rights, the latest expiry, the organisation named.
    `soon` (`soon_after(now)`) must be in the grants' form: aware, or naive UTC as SQLite's
    rows read under a plain `DateTime` (the caseload), since this runs once per youth there."""
    merged: dict[str, tuple[bool, bool, dt.datetime, str | None]] = {}
    for g in grants:
        found = merged.get(g.section)
        if found is None:
            merged[g.section] = (g.can_read, g.can_append, g.expires_at, g.org)
        else:
            read, append, expires, via = found
            merged[g.section] = (
                read or g.can_read,
                append or g.can_append,
                max(expires, g.expires_at),
                via or g.org,
            )
    out = []
    for key in SECTIONS if len(merged) > 1 else merged:
        found = merged.get(key)
        if found is not None:
            read, append, expires, via = found
            out.append(
                SharedSection(key, PERMISSIONS[read, append], day(expires), expires < soon, via)
            )
    return out
