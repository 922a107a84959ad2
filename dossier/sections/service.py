"""Dossiers, sections and entries. The server checks structure, ids, versions and the author's
signature (defence in depth; every client checks them again) and stores ciphertext only.

Who may call what is decided before these methods run (`consent.policy`); these methods check
the facts they own: the ids in a sealed entry match the path, versions only go up and only
from the author of the first version, the author's signed time is within 5 minutes of the
server's clock, the key version is the section's current one.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass
from typing import Any, cast

import msgspec
from sqlalchemy import CTE, Insert, Select, Table, bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from dossier import crypto
from dossier.accounts.models import Account
from dossier.accounts.service import parse_uuid
from dossier.db import utcnow
from dossier.errors import (
    ClockSkew,
    Conflict,
    InvalidInput,
    NotFound,
    NotTheAuthor,
    VersionConflict,
)
from dossier.sections import schemas
from dossier.sections.catalogue import SECTIONS
from dossier.sections.models import Dossier, Entry, Section
from dossier.sections.queries import (
    EntryRow,
    KnownLatest,
    first_author,
    first_payload,
    newest_entries,
)

# How far an entry's signed time may be from the server's clock when it is stored.
MAX_CLOCK_SKEW = dt.timedelta(minutes=5)


def parse_entry(data: dict[str, Any]) -> crypto.SealedEntry:
    try:
        return crypto.SealedEntry.from_json(data)
    except crypto.CryptoError as exc:
        raise InvalidInput(f"sealed entry is malformed: {type(exc).__name__}") from exc


def entry_size(sealed: crypto.SealedEntry) -> int:
    return len(sealed.ciphertext) + len(sealed.sealed_key) + len(sealed.author_sealed_key)


@dataclass(frozen=True, slots=True)
class Prechecked:
    """What can be checked of a sealed entry before the dossier is locked: its form and its
    author's signature (the costly part; neither needs the database). `add_entry` raises
    what these found at the same point of its checks as when it checks them itself, so the
    answer to a request does not depend on whether they ran first; holding the dossier's log
    lock through an Ed25519 verification made the hot dossier's writes slower
    (docs/performance.md, "The hot dossier")."""

    sealed: crypto.SealedEntry | None
    malformed: InvalidInput | None
    signature_ok: bool

    @classmethod
    def of(cls, data: dict[str, Any], author_sign_pk: bytes) -> Prechecked:
        try:
            sealed = parse_entry(data)
        except InvalidInput as exc:
            return cls(None, exc, signature_ok=False)
        try:
            crypto.verify_entry(sealed, author_sign_pk=author_sign_pk)
        except crypto.CryptoError:
            return cls(sealed, None, signature_ok=False)
        return cls(sealed, None, signature_ok=True)


class DossierService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def create(self, owner: Account, data: schemas.NewDossier) -> Dossier:
        if owner.kind != "youth":
            raise InvalidInput("only a youth account owns a dossier")
        if await self.db.scalar(select(Dossier.id).where(Dossier.owner_id == owner.id)):
            raise Conflict("this account already has a dossier")
        dossier = Dossier(id=parse_uuid(data.id, "dossier id"), owner_id=owner.id)
        keys = [s.key for s in data.sections]
        if sorted(keys) != sorted(SECTIONS):
            raise InvalidInput("a dossier has exactly the sections of the catalogue")
        self.db.add(dossier)
        await self.db.flush()
        for new in data.sections:
            signed = self._checked_section_key(new.signed_key, owner, str(dossier.id), new.key)
            if signed.version != 1:
                raise InvalidInput("a new section starts at key version 1")
            self.db.add(
                Section(
                    dossier_id=dossier.id,
                    key=new.key,
                    key_version=1,
                    signed_key=signed.to_json(),
                    owner_sealed_sk=_b64(new.owner_sealed_sk, "owner_sealed_sk"),
                )
            )
        await self.db.flush()
        return dossier

    @staticmethod
    def _checked_section_key(
        data: dict[str, Any], owner: Account, dossier: str, section: str
    ) -> crypto.SignedSectionKey:
        try:
            signed = crypto.SignedSectionKey.from_json(data)
            signed.verify(owner.sign_pk)
        except crypto.CryptoError as exc:
            raise InvalidInput("section key is malformed or not signed by the owner") from exc
        if signed.dossier != dossier or signed.section != section:
            raise InvalidInput("section key names another dossier or section")
        return signed

    async def get(self, dossier_id: uuid.UUID) -> Dossier:
        dossier = await self.db.get(Dossier, dossier_id)
        if dossier is None:
            raise NotFound("dossier")
        return dossier

    async def get_or_none(self, dossier_id: uuid.UUID) -> Dossier | None:
        return await self.db.get(Dossier, dossier_id)

    async def of_owner(self, owner_id: uuid.UUID) -> Dossier | None:
        dossier: Dossier | None = await self.db.scalar(
            select(Dossier).where(Dossier.owner_id == owner_id)
        )
        return dossier

    async def own_dossier(self, owner_id: uuid.UUID) -> Dossier:
        """The dossier of this account; `NotFound` for an account without one (a
        professional)."""
        dossier = await self.of_owner(owner_id)
        if dossier is None:
            raise NotFound("dossier")
        return dossier

    async def sections(self, dossier_id: uuid.UUID) -> list[tuple[Section, int, int]]:
        """Each section with its number of entries (latest versions) and ciphertext size."""
        counts = (
            select(
                Entry.section_id,
                func.count(func.distinct(Entry.entry_id)).label("n"),
                func.coalesce(func.sum(Entry.size), 0).label("size"),
            )
            .where(Entry.dossier_id == dossier_id)
            .group_by(Entry.section_id)
            .subquery()
        )
        rows = await self.db.execute(
            select(Section, counts.c.n, counts.c.size)
            .outerjoin(counts, counts.c.section_id == Section.id)
            .where(Section.dossier_id == dossier_id)
            .order_by(Section.key)
        )
        return [(s, n or 0, size or 0) for s, n, size in rows.all()]

    async def section(self, dossier_id: uuid.UUID, key: str) -> Section:
        if key not in SECTIONS:
            raise NotFound("section")
        section = await self.db.scalar(
            select(Section).where(Section.dossier_id == dossier_id, Section.key == key)
        )
        if section is None:
            raise NotFound("section")
        return section

    async def add_entry(
        self,
        section: Section,
        author_id: uuid.UUID,
        author_sign_pk: bytes,
        data: dict[str, Any] | Prechecked,
        *,
        blob_id: uuid.UUID | None = None,
        known: KnownLatest | None = None,
        along: tuple[CTE, dict[str, Any]] | None = None,
    ) -> Entry:
        """`known`: the newest stored version, when the caller read it with the access
        decision (dossier/sections/queries.py); looked up here otherwise. `along`: a
        data-modifying CTE and its parameters to send WITH the entry's INSERT (the writer's
        log event, PostgreSQL); the entry is then a Core INSERT, not an ORM flush. `data`: the
        sealed entry as sent, or `Prechecked.of(it, author_sign_pk)` made before the dossier
        was locked."""
        sealed = _checked_entry(section, author_id, author_sign_pk, data)
        entry_id = parse_uuid(sealed.entry, "entry id")
        if known is None:
            newest = await self.db.execute(
                select(Entry.version, Entry.section_id, first_author(entry_id).scalar_subquery())
                .where(Entry.entry_id == entry_id)
                .order_by(Entry.version.desc())
                .limit(1)
            )
            found = newest.first()
            known = KnownLatest(None, None, None) if found is None else KnownLatest(*found)
        expected = 1 if known.version is None else known.version + 1
        if known.version is not None and known.section_id != section.id:
            raise InvalidInput("entry belongs to another section")
        if known.version is not None and known.first_author != author_id:
            # Only the author of an entry's first version writes its later versions: anyone
            # else (a coach under an append grant, the youth reacting to a coach's note) adds
            # an entry of their own. Readers check the same rule on the signed versions.
            raise NotTheAuthor("only the author of the first version writes a new version")
        if sealed.version != expected:
            raise VersionConflict(f"next version of this entry is {expected}")
        row = Entry(
            dossier_id=section.dossier_id,
            section_id=section.id,
            entry_id=entry_id,
            version=sealed.version,
            author_id=author_id,
            key_version=sealed.key_version,
            payload=msgspec.json.encode(sealed.to_json()).decode(),
            blob_id=blob_id,
            size=entry_size(sealed),
        )
        try:
            if along is None:
                self.db.add(row)
                await self.db.flush()
            else:
                await self._insert_with(row, along)
        except IntegrityError as exc:  # the same entry version stored by a concurrent append
            raise VersionConflict(
                f"version {sealed.version} of this entry was just stored"
            ) from exc
        return row

    async def _insert_with(self, row: Entry, along: tuple[CTE, dict[str, Any]]) -> None:
        """`row` as one Core INSERT WITH `along`; its defaults are filled in first, so the
        returned object is complete without a flush."""
        row.id = row.id or uuid.uuid4()
        row.created_at = row.created_at or utcnow()
        values = {c.key: getattr(row, c.key) for c in _ENTRY.columns}
        await self.db.execute(_insert_entry().add_cte(along[0]), {**values, **along[1]})

    async def all_entries(self, section: Section) -> list[EntryRow]:
        """Every version of every entry (the owner's rotation and export need them all)."""
        rows = await self.db.execute(
            select(Entry.payload, Entry.created_at, Entry.blob_id)
            .where(Entry.section_id == section.id)
            .order_by(Entry.created_at, Entry.id)
        )
        return [EntryRow(*row) for row in rows.all()]

    async def latest_entries(
        self,
        section: Section,
        author_id: uuid.UUID | None = None,
        *,
        along: tuple[CTE, dict[str, Any]] | None = None,
    ) -> list[EntryRow]:
        """The newest version of every entry, as plain rows (no ORM objects: a section can
        hold thousands of entries and this is the hot read path). `along`: a data-modifying
        CTE and its parameters to send WITH this statement (the reader's log event)."""
        statement = _latest_statement(by_author=author_id is not None)
        params: dict[str, Any] = {"section_id": section.id, "author_id": author_id}
        if along is not None:
            statement = statement.add_cte(along[0])
            params |= along[1]
        return [EntryRow(*row) for row in (await self.db.execute(statement, params)).all()]

    async def versions(self, section: Section, entry_id: uuid.UUID) -> list[Entry]:
        rows = await self.db.scalars(
            select(Entry)
            .where(Entry.section_id == section.id, Entry.entry_id == entry_id)
            .order_by(Entry.version)
        )
        found = list(rows)
        if not found:
            raise NotFound("entry")
        return found

    async def entry_version(self, section: Section, entry_id: uuid.UUID, version: int) -> Entry:
        row = await self.db.scalar(
            select(Entry).where(
                Entry.section_id == section.id,
                Entry.entry_id == entry_id,
                Entry.version == version,
            )
        )
        if row is None:
            raise NotFound("entry")
        return row


def _b64(value: str, what: str) -> bytes:
    try:
        return crypto.b64d(value)
    except crypto.CryptoError as exc:
        raise InvalidInput(f"{what} is not unpadded base64url") from exc


def _checked_entry(
    section: Section,
    author_id: uuid.UUID,
    author_sign_pk: bytes,
    data: dict[str, Any] | Prechecked,
) -> crypto.SealedEntry:
    """The sealed entry, if it names this section and author, was signed by that author
    within 5 minutes of the server's clock, under the section's current key version."""
    pre = data if isinstance(data, Prechecked) else Prechecked.of(data, author_sign_pk)
    if pre.malformed is not None or pre.sealed is None:
        raise pre.malformed or InvalidInput("sealed entry is malformed")
    sealed = pre.sealed
    if (sealed.dossier, sealed.section) != (str(section.dossier_id), section.key):
        raise InvalidInput("entry names another dossier or section")
    if sealed.author != str(author_id):
        raise InvalidInput("entry names another author")
    if abs(crypto.parse_time(sealed.at) - dt.datetime.now(dt.UTC)) > MAX_CLOCK_SKEW:
        raise ClockSkew("the entry's signed time is more than 5 minutes from the server's")
    if sealed.key_version != section.key_version or sealed.signed_key_version != sealed.key_version:
        raise VersionConflict("section key version moved")
    if not pre.signature_ok:
        raise InvalidInput("entry signature does not verify")
    return sealed


@functools.cache
def _latest_statement(*, by_author: bool) -> Select[Any]:
    """Prebuilt: the newest version of every entry of the section `section_id` (of the
    author `author_id` only, when `by_author`) with its first version's payload when later,
    oldest first."""
    section_id = bindparam("section_id", type_=Entry.section_id.type)
    return (
        newest_entries(section_id, by_author=by_author)
        .with_only_columns(Entry.payload, Entry.created_at, Entry.blob_id, first_payload())
        .order_by(Entry.created_at, Entry.id)
    )


_ENTRY = cast(Table, Entry.__table__)


@functools.cache
def _insert_entry() -> Insert:
    """Prebuilt: the entry's INSERT with every column a parameter of its own name."""
    return insert(_ENTRY).values({c.key: bindparam(c.key, type_=c.type) for c in _ENTRY.columns})
