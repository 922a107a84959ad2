"""Statement parts that ride along with the access decision (`consent.authorisation.Along`),
so a hot path is one round trip instead of two: the newest version of an entry for an
append, and the owner's section for a read."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Row, Select, func, select, true

from dossier.sections.models import Dossier, Entry, Section


class KnownLatest(NamedTuple):
    """The newest stored version of an entry id and its section (both None: a new entry)."""

    version: int | None
    section_id: uuid.UUID | None


def with_latest_version(entry_id: uuid.UUID) -> Callable[[Select[Any]], Select[Any]]:
    """Add the newest stored version of `entry_id` and its section to the facts statement."""

    def add(query: Select[Any]) -> Select[Any]:
        newest = (
            select(Entry.version, Entry.section_id)
            .where(Entry.entry_id == entry_id)
            .order_by(Entry.version.desc())
            .limit(1)
        )
        return query.add_columns(
            newest.with_only_columns(Entry.version).scalar_subquery().label("latest_version"),
            newest.with_only_columns(Entry.section_id).scalar_subquery().label("latest_section"),
        )

    return add


def known_latest(rows: Sequence[Row[Any]]) -> KnownLatest:
    return KnownLatest(rows[0].latest_version, rows[0].latest_section)


def with_owner_entries(
    dossier_id: uuid.UUID,
    key: str,
    reader_id: uuid.UUID,
    author_id: uuid.UUID | None,
    live: ColumnElement[bool] | None,
) -> Callable[[Select[Any]], Select[Any]]:
    """Join the newest version of every entry (of `author_id` only, when given) to the facts
    statement, on the condition that the reader owns the dossier (and, for a cached session,
    that it is live): the owner's read is then one statement. Anyone else gets no entry rows
    from it and reads them after the decision and the log append."""

    def add(query: Select[Any]) -> Select[Any]:
        section_id = (
            select(Section.id)
            .where(Section.dossier_id == dossier_id, Section.key == key)
            .scalar_subquery()
        )
        where = [Entry.dossier_id == dossier_id, Entry.section_id == section_id]
        if author_id is not None:
            where.append(Entry.author_id == author_id)
        newest = (
            select(Entry.entry_id, func.max(Entry.version).label("version"))
            .where(*where)
            .group_by(Entry.entry_id)
            .subquery()
        )
        latest = (
            select(Entry.id, Entry.section_id, Entry.payload, Entry.created_at, Entry.blob_id)
            .join(
                newest,
                (newest.c.entry_id == Entry.entry_id) & (newest.c.version == Entry.version),
            )
            .subquery("latest")
        )
        owner = (Dossier.owner_id == reader_id) & (live if live is not None else true())
        return (
            query.add_columns(
                latest.c.id.label("entry_row"),
                latest.c.payload,
                latest.c.created_at,
                latest.c.blob_id,
            )
            .outerjoin(latest, (latest.c.section_id == Section.id) & owner)
            .order_by(latest.c.created_at, latest.c.id)
        )

    return add


def owner_entries(rows: Sequence[Row[Any]]) -> list[Row[Any]]:
    """The entry rows of `with_owner_entries`, once each (a grant row repeats them)."""
    seen: dict[uuid.UUID, Row[Any]] = {}
    for row in rows:
        if row.entry_row is not None and row.entry_row not in seen:
            seen[row.entry_row] = row
    return list(seen.values())
