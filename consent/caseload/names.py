"""Names for other professionals on a professional's pages, instead of an id.

Professionals exchange no profile cards, so a coach cannot open another professional's card.
What the server already knows about them, and shows to any professional who searches for a
colleague to hand over to (`consent.requests.handover.candidates`), is their username and the
organisations they are an active member of. That is the decided fallback: "<username>
(<organisation>, …)", from the server. Where the browser knows a better name (the card inside a
handover note it opened and checked), that card name wins (docs/professionals.md, "Names of
other professionals"). Nothing here is new to the reader: it is what the search shows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.parties.models import Membership, Organisation
from dossier.accounts.models import Account


def label(username: str, orgs: list[str]) -> str:
    return f"{username} ({', '.join(orgs)})" if orgs else username


async def professional_names(db: AsyncSession, ids: Iterable[str]) -> dict[str, str]:
    """`{account id: "<username> (<organisation>, …)"}` for the professionals among `ids`, in
    one query (none when `ids` is empty); organisations by name, active memberships only.
    Ids that are no professional's are left out (the page keeps its short number)."""
    wanted = {uuid.UUID(i) for i in ids}
    if not wanted:
        return {}
    found = await db.execute(
        select(Account.id, Account.username, Organisation.name)
        .outerjoin(
            Membership, (Membership.account_id == Account.id) & (Membership.state == "active")
        )
        .outerjoin(Organisation, Organisation.id == Membership.org_id)
        .where(Account.id.in_(wanted), Account.kind == "professional")
        .order_by(Account.id, Organisation.name)
    )
    orgs: dict[str, list[str]] = {}
    users: dict[str, str] = {}
    for account_id, username, org in found.tuples():
        key = str(account_id)
        users[key] = username
        orgs.setdefault(key, [])
        if org is not None:
            orgs[key].append(org)
    return {key: label(users[key], orgs[key]) for key in users}


async def organisation_names(db: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[str, str]:
    """`{organisation id: name}`; organisation names are public to professionals."""
    wanted = set(ids)
    if not wanted:
        return {}
    found = await db.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(wanted))
    )
    return {str(org_id): name for org_id, name in found.tuples()}
