"""The recipients of each sharing event, resolved from grants and memberships, handed to
`dossier.notify.outbox.enqueue` in the event's transaction. For the youth: a professional
wrote, asked, connected. For a professional (or every active member of an organisation
grantee): the youth shared, revoked, answered, or wrote in a section they may read."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.grants.models import Grant
from consent.parties.models import Membership
from dossier.db import utcnow
from dossier.notify.outbox import enqueue, enqueue_many
from dossier.sections.models import Entry


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


async def entry_appended(db: AsyncSession, owner_id: uuid.UUID, section: str, entry: Entry) -> None:
    """Someone else wrote: the owner hears of it. The owner wrote: whoever may read that
    section now hears of it (a reaction to a note, an update of something shared)."""
    if entry.author_id != owner_id:
        recipients = {owner_id}
    else:
        now = utcnow()
        grants = await db.scalars(
            select(Grant).where(
                Grant.dossier_id == entry.dossier_id,
                Grant.section == section,
                Grant.can_read.is_(True),
                Grant.revoked_at.is_(None),
                Grant.expires_at > now,
            )
        )
        recipients = set()
        for grant in grants:
            recipients |= await people(db, grant.grantee_kind, grant.grantee_id)
    await enqueue_many(
        db,
        recipients - {entry.author_id},
        "entry",
        entry.id,
        dossier_id=entry.dossier_id,
        section=section,
        new_event=True,
    )


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
