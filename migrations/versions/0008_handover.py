"""The warm handover: a consent request of kind "handover" carries the proposer's note, signed
and sealed in their browser to the youth and to the next professional, and whether the proposer
steps down on a yes (docs/professionals.md, "The warm handover").

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN (SQLite 3.35+ has both): a batch rebuild of this table on SQLite
    # would re-declare its GUID columns from reflection as NUMERIC.
    op.add_column("consent_request", sa.Column("note_owner", sa.LargeBinary(), nullable=True))
    op.add_column("consent_request", sa.Column("note_grantee", sa.LargeBinary(), nullable=True))
    op.add_column(
        "consent_request",
        sa.Column("step_down", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("consent_request", "step_down")
    op.drop_column("consent_request", "note_grantee")
    op.drop_column("consent_request", "note_owner")
