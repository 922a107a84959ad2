"""Count the database round trips one request makes: every statement the driver sends
(`before_cursor_execute`) plus every BEGIN, COMMIT and ROLLBACK (`begin`, `commit`,
`rollback` connection events), for the engines of one database only.

A connection in AUTOCOMMIT sends no BEGIN, COMMIT or ROLLBACK (SQLAlchemy still fires the
events; the driver does nothing), so those are not counted there. The app under test runs in
this process (tests/support/server.py), so the listeners see its engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url


@dataclass
class RoundTrips:
    database: str
    sent: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.sent)

    def _ours(self, conn: Connection) -> bool:
        return conn.engine.url.database == self.database

    def statement(self, conn: Connection, _cursor: Any, sql: str, *_: Any) -> None:
        if self._ours(conn):
            self.sent.append(" ".join(sql.split())[:90])

    def _control(self, name: str) -> Any:
        def listener(conn: Connection) -> None:
            autocommit = conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
            if self._ours(conn) and not autocommit:
                self.sent.append(name)

        return listener


@contextmanager
def counting(database_url: str) -> Iterator[RoundTrips]:
    """Round trips to the database at `database_url` while the block runs."""
    trips = RoundTrips(make_url(database_url).database or "")
    listeners = [
        ("before_cursor_execute", trips.statement),
        ("begin", trips._control("BEGIN")),
        ("commit", trips._control("COMMIT")),
        ("rollback", trips._control("ROLLBACK")),
    ]
    for name, fn in listeners:
        event.listen(Engine, name, fn)
    try:
        yield trips
    finally:
        for name, fn in listeners:
            event.remove(Engine, name, fn)
