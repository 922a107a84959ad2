"""Entry notices fanned out by the worker after the write's commit: `entry.notified_at` marks
an entry whose notices exist (NULL: the worker has yet to make them). Entries written before
this revision already have theirs (they were made in the write's transaction).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entry") as batch:
        batch.add_column(sa.Column("notified_at", DateTimeUTC(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_entry_notified_at"), ["notified_at"], unique=False)
    op.execute("UPDATE entry SET notified_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("entry") as batch:
        batch.drop_index(batch.f("ix_entry_notified_at"))
        batch.drop_column("notified_at")
