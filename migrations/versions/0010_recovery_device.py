"""A trusted person as recovery contact: invites and connections get a purpose, "care" (a
professional helping the youth; the default for every existing row) or "recovery" (a person
she trusts, connected only to be her recovery contact: no consent requests, not in a caseload,
not offered for sharing). See docs/recovery.md, "A trusted person".

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("invite", "connection"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("purpose", sa.String(length=16), nullable=False, server_default="care")
            )


def downgrade() -> None:
    for table in ("invite", "connection"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("purpose")
