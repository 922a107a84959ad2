"""School campaign pages: the school's contact person printed on every sheet, each
student's group (class or programme) sealed to the school's organisation key like the name,
and the hash of the short code a student can type instead of the link.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

The group is ciphertext: the server cannot open it. The school's browser uses it to sort and
split the print run and to show progress per group.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaign") as batch:
        batch.add_column(sa.Column("contact", sa.String(length=200), nullable=True))
    with op.batch_alter_table("campaign_entry") as batch:
        batch.add_column(sa.Column("sealed_group", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("code_hash", sa.LargeBinary(length=32), nullable=True))
    # A unique index, not a constraint: SQLite adds it without rebuilding the table.
    op.create_index("ix_campaign_entry_code_hash", "campaign_entry", ["code_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_campaign_entry_code_hash", table_name="campaign_entry")
    with op.batch_alter_table("campaign_entry") as batch:
        batch.drop_column("code_hash")
        batch.drop_column("sealed_group")
    with op.batch_alter_table("campaign") as batch:
        batch.drop_column("contact")
