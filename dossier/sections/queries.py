"""Statement parts that ride along with the access decision (`consent.authorisation.Along`),
so a hot path is one round trip instead of two: the newest version of an entry for an
append, and the owner's section for a read.

Each part is built once per shape with bind parameters (`Columns.name` is the shape, its
`params` the values), so a request neither constructs nor hashes a statement: in a profile
that construction and SQLAlchemy's cache key for it were a quarter of a worker's time
(docs/performance.md, "Prebuilt statements"). The facts statement names its parameters
`account_id`, `dossier_id` and `key`; the parts here reuse those names."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    DateTime,
    Row,
    Select,
    Text,
    Uuid,
    bindparam,
    case,
    cast,
    func,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import aliased

from dossier.sections.models import Dossier, Entry, Section


class KnownLatest(NamedTuple):
    """The newest stored version of an entry id, its section and the author of its first
    version (all None: a new entry)."""

    version: int | None
    section_id: uuid.UUID | None
    first_author: uuid.UUID | None


class EntryRow(NamedTuple):
    """`first`: for a version after the first, the first version's payload, so a reader can
    check that both have the same author (issue 19)."""

    payload: str
    created_at: dt.datetime
    blob_id: uuid.UUID | None
    first: str | None = None


class Columns(NamedTuple):
    """Columns (or joins) added to the facts statement: `add` builds them with bind
    parameters, `name` says which shape it builds (the prebuilt statement's cache key), and
    `params` holds this request's values."""

    name: tuple[object, ...]
    add: Callable[[Select[Any]], Select[Any]]
    params: dict[str, Any]


def with_latest_version(entry_id: uuid.UUID) -> Columns:
    """Add the newest stored version of `entry_id`, its section and its first author to the
    facts statement."""
    return Columns(("latest_version",), _add_latest_version, {"entry_id": entry_id})


def _add_latest_version(query: Select[Any]) -> Select[Any]:
    entry_id = bindparam("entry_id", type_=Entry.entry_id.type)
    newest = (
        select(Entry.version, Entry.section_id)
        .where(Entry.entry_id == entry_id)
        .order_by(Entry.version.desc())
        .limit(1)
    )
    return query.add_columns(
        newest.with_only_columns(Entry.version).scalar_subquery().label("latest_version"),
        newest.with_only_columns(Entry.section_id).scalar_subquery().label("latest_section"),
        first_author(entry_id).scalar_subquery().label("first_author"),
    )


def first_author(entry_id: uuid.UUID | ColumnElement[Any]) -> Select[Any]:
    """Who wrote version 1: only they write later versions (issue 19)."""
    return select(Entry.author_id).where(Entry.entry_id == entry_id, Entry.version == 1)


def known_latest(rows: Sequence[Row[Any]]) -> KnownLatest:
    row = rows[0]
    return KnownLatest(row.latest_version, row.latest_section, row.first_author)


def with_owner_entries(
    author_id: uuid.UUID | None, live: ColumnElement[bool] | None, dialect: str
) -> Columns:
    """Add the newest version of every entry (of `author_id` only, when given) to the facts
    statement as one row's columns (PostgreSQL: four aligned arrays from a LATERAL
    aggregate; SQLite: one packed text), on the condition that the reader (the facts
    statement's `account_id`) owns the dossier (and, for a cached session, that `live`
    holds): the owner's read is then one statement and one row, not one row per entry that
    repeats every fact. Anyone else gets no entries from it and reads them after the
    decision and the log append. `owner_entries` reads the columns. `live` must be one
    prebuilt expression."""
    params = {} if author_id is None else {"author_id": author_id}
    name = ("owner_entries", author_id is not None, live is not None, dialect)

    def add(query: Select[Any]) -> Select[Any]:
        dossier_id = bindparam("dossier_id", type_=Entry.dossier_id.type)
        section_id = (
            select(Section.id)
            .where(Section.dossier_id == dossier_id, Section.key == bindparam("key"))
            .scalar_subquery()
        )
        where = [Entry.dossier_id == dossier_id]
        reader = bindparam("account_id", type_=Dossier.owner_id.type)
        owner = (Dossier.owner_id == reader) & (live if live is not None else true())
        newest = newest_entries(section_id, by_author=author_id is not None, where=where)
        if dialect == "postgresql":
            owned = newest.with_only_columns(*_entry_arrays()).where(owner).lateral("owned")
            return query.join(owned, true()).add_columns(*owned.c)
        entries = newest.with_only_columns(_packed_entries()).where(owner).scalar_subquery()
        return query.add_columns(entries.label("owner_entries"))

    return Columns(name, add, params)


def newest_entries(
    section_id: ColumnElement[Any],
    *,
    by_author: bool,
    where: Sequence[ColumnElement[bool]] = (),
) -> Select[Any]:
    """The newest version of every entry of `section_id` (of the author `author_id` only,
    when `by_author`), unordered, selecting `Entry` (callers pick their columns with
    `with_only_columns`): the one definition of "the latest entries" for the owner's packed
    read and everyone else's rows."""
    conditions = [Entry.section_id == section_id, *where]
    if by_author:
        conditions.append(Entry.author_id == bindparam("author_id", type_=Entry.author_id.type))
    newest = (
        select(Entry.entry_id, func.max(Entry.version).label("version"))
        .where(*conditions)
        .group_by(Entry.entry_id)
        .subquery()
    )
    return select(Entry).join(
        newest, (newest.c.entry_id == Entry.entry_id) & (newest.c.version == Entry.version)
    )


def first_payload() -> ColumnElement[Any]:
    """For a version after the first, the first version's payload (NULL for a first
    version): a reader accepts a later version only from the same author (issue 19). A
    scalar subquery under CASE, so it runs only for later versions (a LEFT JOIN with
    `version > 1` as its filter looked the first version up for every row)."""
    first = aliased(Entry)
    found = (
        select(first.payload)
        .where(
            first.entry_id == Entry.entry_id,
            first.section_id == Entry.section_id,
            first.version == 1,
        )
        .scalar_subquery()
    )
    return case((Entry.version > 1, found), else_=None)


def _entry_arrays() -> list[ColumnElement[Any]]:
    """PostgreSQL: the entries as four aligned arrays (payloads, times, blob ids, first
    versions), each ordered by time, then row id. asyncpg decodes arrays in C, times
    included, so Python neither splits nor parses: against one packed text this saved about
    1 ms of a 601-entry read (docs/performance.md, "Session 6"). The arrays are typed
    without the columns' TypeDecorators, so no Python runs per element."""
    order = (Entry.created_at, Entry.id)
    columns: list[tuple[str, Any, Any]] = [
        ("payloads", Entry.payload, Text()),
        ("times", Entry.created_at, DateTime(timezone=True)),
        ("blobs", Entry.blob_id, Uuid()),
        ("firsts", first_payload(), Text()),
    ]
    return [
        type_coerce(func.array_agg(aggregate_order_by(value, *order)), ARRAY(kind)).label(name)
        for name, value, kind in columns
    ]


FIELD = "\x1f"  # never raw in a payload: JSON escapes control characters
UTC_SUFFIX = "+00:00"
WIDTH = 5  # fields per entry in the packed column


def _packed_entries() -> ColumnElement[Any]:
    """SQLite: one text of `created_at, id, blob_id, first, payload` fields, all (of every
    entry) separated by FIELD: the cheapest shape for SQLite to build and for Python to
    split (one `str.split` for the whole section, no per-row result processing). `first`:
    the first version's payload of a later version, else empty."""
    parts: list[ColumnElement[Any]] = [
        # Stored naive in UTC; with the offset appended here `fromisoformat` makes the aware
        # time at once (a `.replace(tzinfo=...)` per entry cost 0.6 ms of 601).
        cast(Entry.created_at, Text).op("||")(UTC_SUFFIX),
        func.hex(Entry.id),
        func.hex(Entry.blob_id),
        func.coalesce(first_payload(), ""),
    ]
    record = parts[0]
    for part in [*parts[1:], Entry.payload]:
        record = record.op("||")(FIELD).op("||")(part)  # SQLite 3.40 has no concat_ws
    return func.group_concat(record, FIELD)


def owner_entries(rows: Sequence[Row[Any]]) -> list[EntryRow]:
    """The entries of `with_owner_entries`, oldest first (by time, then row id)."""
    if not rows:
        return []
    row = rows[0]
    if "payloads" in row._fields:  # PostgreSQL's arrays
        if row.payloads is None:
            return []
        return list(map(EntryRow, row.payloads, row.times, row.blobs, row.firsts))
    packed = row.owner_entries
    if not packed:
        return []
    fields = packed.split(FIELD)
    records = sorted(zip(*(fields[i::WIDTH] for i in range(WIDTH)), strict=True))
    parse = dt.datetime.fromisoformat
    return [
        EntryRow(payload, parse(at), uuid.UUID(blob) if blob else None, first or None)
        for at, _, blob, first, payload in records
    ]
