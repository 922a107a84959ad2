"""The access log's head (newest seq and hash) on the dossier row, kept by a trigger.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

An append locks the dossier row and reads the head in the same statement as the access
decision (PostgreSQL re-reads a row it waited to lock, so the head is never stale), then
inserts the event; the trigger moves the head in the same transaction. See
docs/performance.md. `log_head` is NULL while the log is empty (the genesis hash).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

MOVE_HEAD = "UPDATE dossier SET log_seq = NEW.seq, log_head = NEW.hash WHERE id = NEW.dossier_id"
# The same statements as consent/log/models.py TRIGGER_DDL, frozen here with the revision.
TRIGGER_DDL: dict[str, list[str]] = {
    "postgresql": [
        (
            "CREATE FUNCTION log_event_head() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN {MOVE_HEAD}; RETURN NEW; END $$"
        ),
        (
            "CREATE TRIGGER log_event_head AFTER INSERT ON log_event"
            " FOR EACH ROW EXECUTE FUNCTION log_event_head()"
        ),
    ],
    "sqlite": [f"CREATE TRIGGER log_event_head AFTER INSERT ON log_event BEGIN {MOVE_HEAD}; END"],
}
TRIGGER_DROP: dict[str, list[str]] = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS log_event_head ON log_event",
        "DROP FUNCTION IF EXISTS log_event_head()",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS log_event_head"],
}

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(sa.Column("log_seq", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("log_head", sa.LargeBinary(length=32), nullable=True))
    op.execute(
        "UPDATE dossier SET"
        " log_seq = COALESCE((SELECT max(e.seq) FROM log_event e"
        " WHERE e.dossier_id = dossier.id), 0),"
        " log_head = (SELECT e.hash FROM log_event e WHERE e.dossier_id = dossier.id"
        " ORDER BY e.seq DESC LIMIT 1)"
    )
    dialect = op.get_bind().dialect.name
    for statement in TRIGGER_DDL[dialect]:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in TRIGGER_DROP[dialect]:
        op.execute(statement)
    with op.batch_alter_table("dossier") as batch:
        batch.drop_column("log_head")
        batch.drop_column("log_seq")
