"""What a page shows, assembled from the services: ciphertext and the public facts needed to
check it in the browser. Nothing here can read an entry; the templates put each sealed entry in
a `data-ciphertext` attribute and `htmx-rugzak.js` opens it (docs/web-app.md)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from consent.access import AccessService
from consent.grants.authors import authors_of, receipt_items
from consent.grants.models import Grant
from consent.grants.schemas import AuthorOut
from consent.grants.service import GrantService, state_of
from consent.parties.service import PartiesService
from consent.policy import Action
from dossier.accounts.models import Account
from dossier.crypto import b64e
from dossier.errors import NotFound
from dossier.store.catalogue import LIFE_AREAS, SECTIONS
from dossier.store.models import Dossier, Entry, Section
from dossier.store.service import DossierService, EntryRow

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Over mij", ("contact", "verhaal")),
    ("Leefgebieden", LIFE_AREAS),
    ("Samen verder", ("plan", "notities", "documenten")),
)
PERMISSION_LABELS = {"read": "lezen", "append": "toevoegen"}
STATE_LABELS = {"active": "actief", "expired": "verlopen", "revoked": "ingetrokken"}


def signed_time(at: dt.datetime) -> str:
    """The `data-at` form the browser checks receipts against (UTC, whole seconds)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def short_id(value: uuid.UUID | str) -> str:
    """A short, stable handle for a party until connections give names (first 8 hex)."""
    return str(value).replace("-", "")[:8].upper()


def identity_json(account: Account) -> str:
    return json.dumps({"v": 1, "box_pk": b64e(account.box_pk), "sign_pk": b64e(account.sign_pk)})


@dataclass(frozen=True)
class EntryView:
    """One sealed entry as a page shows it."""

    entry_id: str
    version: int
    author_id: str
    ciphertext: str
    at: str
    has_blob: bool
    mine: bool
    via: str | None = None
    """The organisation the author wrote for (a member under its append grant), if any."""

    @classmethod
    def of(cls, row: EntryRow | Entry, owner_id: uuid.UUID) -> EntryView:
        payload = json.loads(row.payload)
        return cls(
            entry_id=str(payload["entry"]),
            version=int(payload["version"]),
            author_id=str(payload["author"]),
            ciphertext=row.payload,
            at=signed_time(row.created_at),
            has_blob=row.blob_id is not None,
            mine=str(payload["author"]) == str(owner_id),
        )


@dataclass(frozen=True)
class GrantView:
    id: str
    section: str
    grantee: str
    grantee_kind: str
    permissions: str
    purpose: str
    expires: str
    state: str

    @classmethod
    def of(cls, grant: Grant, now: dt.datetime) -> GrantView:
        perms = [p for p, ok in (("read", grant.can_read), ("append", grant.can_append)) if ok]
        return cls(
            id=str(grant.id),
            section=grant.section,
            grantee=short_id(grant.grantee_id),
            grantee_kind=grant.grantee_kind,
            permissions=" en ".join(PERMISSION_LABELS[p] for p in perms),
            purpose=grant.purpose,
            expires=grant.expires_at.strftime("%d-%m-%Y"),
            state=STATE_LABELS.get(state_of(grant, now), state_of(grant, now)),
        )


@dataclass
class SectionPage:
    """Everything a section page needs: its place, its signed key (to seal to), the owner's
    own sealed copy of the private key (to unlock the tab), entries and author receipts."""

    dossier: Dossier
    owner: Account
    section: Section
    entries: list[EntryView]
    receipts: str = "[]"
    grants: list[GrantView] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def label(self) -> str:
        return SECTIONS[self.section.key]

    @property
    def signed_key(self) -> str:
        return json.dumps(self.section.signed_key)

    @property
    def owner_sealed_sk(self) -> str:
        return b64e(self.section.owner_sealed_sk)

    @property
    def owner_identity(self) -> str:
        return identity_json(self.owner)


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


def _with_orgs(entries: list[EntryView], via: dict[str, str]) -> list[EntryView]:
    return [replace(e, via=via.get(e.author_id)) if not e.mine else e for e in entries]


class Pages:
    """Loads page data for the owner of a dossier; every read is checked by `AccessService`."""

    def __init__(self, db: AsyncSession) -> None:
        self.db = db
        self.dossiers = DossierService(db)
        self.access = AccessService(db)

    async def own_dossier(self, account_id: uuid.UUID) -> Dossier:
        dossier = await self.dossiers.of_owner(account_id)
        if dossier is None:
            raise NotFound("dossier")
        return dossier

    async def overview(self, account: Account) -> dict[str, Any]:
        dossier = await self.own_dossier(account.id)
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
        dossier = await self.own_dossier(account.id)
        allowed = await self.access.section(account.id, dossier.id, key, Action.READ)
        rows = await self.dossiers.latest_entries(allowed.section)
        entries = [EntryView.of(r, account.id) for r in rows]
        receipts = "[]"
        if any(not e.mine for e in entries):
            receipts, via = await receipts_and_orgs(self.db, allowed.section)
            entries = _with_orgs(entries, via)
        return SectionPage(dossier, account, allowed.section, entries, receipts)

    async def versions(self, account: Account, key: str, entry_id: uuid.UUID) -> SectionPage:
        page = await self.section(account, key)
        rows = await self.dossiers.versions(page.section, entry_id)
        page.entries = [EntryView.of(r, account.id) for r in reversed(rows)]
        if any(not e.mine for e in page.entries):
            page.receipts, via = await receipts_and_orgs(self.db, page.section)
            page.entries = _with_orgs(page.entries, via)
        return page

    async def add_entry(self, account: Account, key: str, sealed: dict[str, Any]) -> SectionPage:
        dossier = await self.own_dossier(account.id)
        allowed = await self.access.section(account.id, dossier.id, key, Action.APPEND)
        await self.dossiers.add_entry(allowed.section, account.id, account.sign_pk, sealed)
        return await self.section(account, key)
