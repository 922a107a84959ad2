"""The youth's own views of their dossier; every read is checked (and, for others, logged) by
`AccessService`, every append goes through `EntryService.append`."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from consent.authorisation import AccessService
from consent.entries import EntryService, SealedEntry
from consent.grants.authors import authors_of, receipt_items
from consent.grants.service import GrantService
from consent.own.views import GROUPS, GrantView, SectionPage
from consent.parties.service import PartiesService
from consent.policy import Action
from dossier.errors import NotFound
from dossier.sections.catalogue import SECTIONS
from dossier.sections.service import DossierService

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from consent.grants.schemas import AuthorOut
    from dossier.accounts.models import Account
    from dossier.sections.models import Dossier, Section


def _receipt_items(authors: list[AuthorOut]) -> str:
    return json.dumps(receipt_items(authors))


async def receipts_json(db: AsyncSession, section: Section) -> str:
    """`[{receipt, grantee, members?}]` of every append grant here, for entries by
    professionals; `members` (account id → identity) for a grant to an organisation, whose
    members write under its receipt."""
    return _receipt_items(await authors_of(db, section))


async def receipts_and_orgs(db: AsyncSession, section: Section) -> tuple[str, dict[str, str]]:
    """`receipts_json`, and for each member of an organisation with an append grant here the
    organisation's public name (shown next to their entries; the browser adds the person's
    name from a profile card when the youth is connected to them)."""
    authors = await authors_of(db, section)
    via: dict[str, str] = {}
    for author in authors:
        if author.grantee_kind == "organisation" and author.members:
            with contextlib.suppress(NotFound):
                org = await PartiesService(db).organisation(uuid.UUID(author.receipt["grantee"]))
                via.update(dict.fromkeys(author.members, org.name))
    return _receipt_items(authors), via


def _with_orgs(entries: list[SealedEntry], via: dict[str, str]) -> list[SealedEntry]:
    return [replace(e, via=via.get(e.author_id)) if not e.mine else e for e in entries]


class OwnDossierService:
    """Page data for the owner of a dossier."""

    def __init__(self, db: AsyncSession) -> None:
        self.db = db
        self.dossiers = DossierService(db)
        self.access = AccessService(db)

    async def own_dossier(self, account_id: uuid.UUID) -> Dossier:
        return await self.dossiers.own_dossier(account_id)

    async def overview(self, account: Account) -> dict[str, Any]:
        dossier = await self.dossiers.own_dossier(account.id)
        now = dt.datetime.now(dt.UTC)
        grants = [GrantView.of(g, now) for g in await GrantService(self.db).of_dossier(dossier.id)]
        counts = {row.key: n for row, n, _ in await self.dossiers.sections(dossier.id)}
        groups = [
            (
                title,
                [
                    {
                        "key": key,
                        "label": SECTIONS[key],
                        "entries": counts.get(key, 0),
                        "grants": [g for g in grants if g.section == key and g.state == "actief"],
                    }
                    for key in keys
                ],
            )
            for title, keys in GROUPS
        ]
        return {"dossier": dossier, "groups": groups}

    async def section(self, account: Account, key: str) -> SectionPage:
        dossier = await self.dossiers.own_dossier(account.id)
        allowed = await self.access.section(account.id, dossier.id, key, Action.READ)
        rows = await self.dossiers.latest_entries(allowed.section)
        entries = [SealedEntry.of(r, account.id) for r in rows]
        receipts = "[]"
        if any(not e.mine for e in entries):
            receipts, via = await receipts_and_orgs(self.db, allowed.section)
            entries = _with_orgs(entries, via)
        return SectionPage(dossier, account, allowed.section, entries, receipts)

    async def versions(self, account: Account, key: str, entry_id: uuid.UUID) -> SectionPage:
        page = await self.section(account, key)
        rows = await self.dossiers.versions(page.section, entry_id)
        # Every later version is shown beside the first, for the same-author check (issue 19).
        first = rows[0].payload if rows[0].version == 1 else None
        page.entries = [
            SealedEntry.of(r, account.id, None if r.version == 1 else first) for r in reversed(rows)
        ]
        if any(not e.mine for e in page.entries):
            page.receipts, via = await receipts_and_orgs(self.db, page.section)
            page.entries = _with_orgs(page.entries, via)
        return page

    async def add_entry(self, account: Account, key: str, sealed: dict[str, Any]) -> SectionPage:
        """The youth's section form: the same append as the API, then the section as it is."""
        dossier = await self.dossiers.own_dossier(account.id)
        await EntryService(self.db).append(account.id, account.sign_pk, dossier.id, key, sealed)
        return await self.section(account, key)
