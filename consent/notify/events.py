"""The recipients of each sharing event, resolved from grants and memberships, handed to
`dossier.notify.outbox.enqueue` in the event's transaction. For the youth: a professional
wrote, asked, connected. For a professional (or every active member of an organisation
grantee): the youth shared, revoked, answered, or wrote in a section they may read.

Entry notices are not made in the write's transaction: `fan_out_entries` makes them after the
commit, from the entry rows themselves (the entry table is their outbox)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from consent.grants.models import Grant
from consent.parties.models import Membership
from dossier.db import utcnow
from dossier.notify.models import Notice
from dossier.notify.outbox import enqueue, enqueue_many
from dossier.sections.models import Dossier, Entry, Section


async def people(db: AsyncSession, grantee_kind: str, grantee_id: uuid.UUID) -> set[uuid.UUID]:
    """A person grantee, or every active member of an organisation grantee."""
    if grantee_kind == "person":
        return {grantee_id}
    rows = await db.scalars(
        select(Membership.account_id).where(
            Membership.org_id == grantee_id, Membership.state == "active"
        )
    )
    return set(rows)


FAN_OUT_BATCH = 200


async def fan_out_entries(db: AsyncSession, limit: int = FAN_OUT_BATCH) -> int:
    """Make the notices of up to `limit` entries written since the last run, and commit;
    returns how many entries it took (fewer than `limit`: none left). Run by `rugzak worker`
    before each drain, so a write costs no notice statement (docs/performance.md).

    One transaction: the first statement claims the entries (`notified_at` set, `FOR UPDATE
    SKIP LOCKED` on PostgreSQL; on SQLite the write lock), the notices and outbox rows follow,
    one commit. A crash undoes all of it and the entries are taken again: each entry's notices
    are made exactly once. Recipients are those who may read the section when this runs: a
    grant revoked in between tells nobody."""
    now = utcnow()
    due = (
        select(Entry.id)
        .where(Entry.notified_at.is_(None))
        .order_by(Entry.created_at, Entry.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = (
        await db.execute(
            update(Entry)
            .where(Entry.id.in_(due.scalar_subquery()))
            .values(notified_at=now)
            .returning(Entry.id, Entry.dossier_id, Entry.section_id, Entry.author_id)
            .execution_options(synchronize_session=False)
        )
    ).all()
    if claimed:
        places = {
            section_id: (key, owner_id)
            for section_id, key, owner_id in (
                await db.execute(
                    select(Section.id, Section.key, Dossier.owner_id)
                    .join(Dossier, Dossier.id == Section.dossier_id)
                    .where(Section.id.in_({row.section_id for row in claimed}))
                )
            ).all()
        }
        for row in sorted(claimed, key=lambda r: r.id):
            section, owner_id = places[row.section_id]
            recipients = await entry_recipients(
                db, owner_id, row.dossier_id, section, row.author_id, now
            )
            await enqueue_many(
                db,
                recipients,
                "entry",
                row.id,
                dossier_id=row.dossier_id,
                section=section,
                new_event=True,  # claimed above: no notice for it can exist yet
            )
    await db.commit()
    return len(claimed)


async def entry_recipients(
    db: AsyncSession,
    owner_id: uuid.UUID,
    dossier_id: uuid.UUID,
    section: str,
    author_id: uuid.UUID,
    now: dt.datetime,
) -> set[uuid.UUID]:
    """Someone else wrote: the owner hears of it. The owner wrote: whoever may read that
    section now hears of it (a reaction to a note, an update of something shared)."""
    if author_id != owner_id:
        return {owner_id}
    grants = await db.scalars(
        select(Grant).where(
            Grant.dossier_id == dossier_id,
            Grant.section == section,
            Grant.can_read.is_(True),
            Grant.revoked_at.is_(None),
            Grant.expires_at > now,
        )
    )
    recipients: set[uuid.UUID] = set()
    for grant in grants:
        recipients |= await people(db, grant.grantee_kind, grant.grantee_id)
    return recipients - {author_id}


async def grants_changed(db: AsyncSession, kind: str, grants: Iterable[Grant]) -> None:
    """`grant` (shared) or `revoke`: each grantee hears of each section once."""
    for grant in grants:
        await enqueue_many(
            db,
            await people(db, grant.grantee_kind, grant.grantee_id),
            kind,
            grant.id,
            dossier_id=grant.dossier_id,
            section=grant.section,
        )


async def to_person(
    db: AsyncSession, account_id: uuid.UUID, kind: str, event_id: uuid.UUID, dossier_id: uuid.UUID
) -> None:
    """A request (to the youth), an answer (to the asker), a new connection (to the
    professional)."""
    await enqueue(db, account_id, kind, event_id, dossier_id=dossier_id)


async def settle(db: AsyncSession, account_id: uuid.UUID, kind: str, event_id: uuid.UUID) -> None:
    """The event is gone (a request its asker withdrew): its unread notice is marked read, so
    the badge no longer points at something that is not there."""
    await db.execute(
        update(Notice)
        .where(
            Notice.account_id == account_id,
            Notice.kind == kind,
            Notice.event_id == event_id,
            Notice.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
