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

from sqlalchemy import ColumnElement, Row, Select, Text, bindparam, cast, func, select, true
from sqlalchemy.orm import aliased

from dossier.sections.models import Dossier, Entry, Section


class KnownLatest(NamedTuple):
    """The newest stored version of an entry id, its section and the author of its first
    version (all None: a new entry)."""

    version: int | None
    section_id: uuid.UUID | None
    first_author: uuid.UUID | None


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
    statement as ONE text column, on the condition that the reader (the facts statement's
    `account_id`) owns the dossier (and, for a cached session, that `live` holds): the
    owner's read is then one statement and one row, not one row per entry that repeats every
    fact. Anyone else gets no entries from it and reads them after the decision and the log
    append. `owner_entries` parses the column. `live` must be one prebuilt expression."""
    params = {} if author_id is None else {"author_id": author_id}
    name = ("owner_entries", author_id is not None, live is not None, dialect)

    def add(query: Select[Any]) -> Select[Any]:
        dossier_id = bindparam("dossier_id", type_=Entry.dossier_id.type)
        section_id = (
            select(Section.id)
            .where(Section.dossier_id == dossier_id, Section.key == bindparam("key"))
            .scalar_subquery()
        )
        where = [Entry.dossier_id == dossier_id, Entry.section_id == section_id]
        if author_id is not None:
            where.append(Entry.author_id == bindparam("author_id", type_=Entry.author_id.type))
        newest = (
            select(Entry.entry_id, func.max(Entry.version).label("version"))
            .where(*where)
            .group_by(Entry.entry_id)
            .subquery()
        )
        reader = bindparam("account_id", type_=Dossier.owner_id.type)
        owner = (Dossier.owner_id == reader) & (live if live is not None else true())
        first = aliased(Entry)  # a later version's first, for the reader's same-author check
        entries = (
            select(_packed_entries(dialect, first.payload.expression))
            .select_from(Entry)
            .join(
                newest,
                (newest.c.entry_id == Entry.entry_id) & (newest.c.version == Entry.version),
            )
            .outerjoin(
                first,
                (first.entry_id == Entry.entry_id) & (first.version == 1) & (Entry.version > 1),
            )
            .where(owner)
            .scalar_subquery()
        )
        return query.add_columns(entries.label("owner_entries"))

    return Columns(name, add, params)


FIELD, RECORD = "\x1f", "\x1e"  # never raw in a payload: JSON escapes control characters


def _packed_entries(dialect: str, first: ColumnElement[Any]) -> ColumnElement[Any]:
    """One text of `created_at, id, blob_id, first, payload` records (`first`: the first
    version's payload of a later version, else empty), the cheapest shape for both databases
    to build and for Python to split (no per-row result processing)."""
    if dialect == "postgresql":
        at = func.to_char(func.timezone("UTC", Entry.created_at), 'YYYY-MM-DD"T"HH24:MI:SS.US')
        joined = func.concat_ws(
            FIELD,
            at,
            cast(Entry.id, Text),
            func.coalesce(cast(Entry.blob_id, Text), ""),
            func.coalesce(first, ""),
            Entry.payload,
        )
        return func.string_agg(joined, RECORD)
    parts: list[ColumnElement[Any]] = [
        cast(Entry.created_at, Text),
        func.hex(Entry.id),
        func.hex(Entry.blob_id),
        func.coalesce(first, ""),
    ]
    record = parts[0]
    for part in [*parts[1:], Entry.payload]:
        record = record.op("||")(FIELD).op("||")(part)  # SQLite 3.40 has no concat_ws
    return func.group_concat(record, RECORD)


def owner_entries(
    rows: Sequence[Row[Any]],
) -> list[tuple[str, dt.datetime, uuid.UUID | None, str | None]]:
    """The entries of `with_owner_entries` (payload, created_at, blob_id, first version's
    payload or None), oldest first: the fields of `EntryRow`."""
    packed = rows[0].owner_entries if rows else None
    if not packed:
        return []
    records = sorted(record.split(FIELD, 4) for record in packed.split(RECORD))
    return [
        (
            payload,
            dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC),
            uuid.UUID(blob) if blob else None,
            first or None,
        )
        for at, _, blob, first, payload in records
    ]
