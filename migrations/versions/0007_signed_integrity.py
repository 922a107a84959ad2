"""Signed integrity: the owner's signed grant end beside each revoked grant and the owner's
newest signed manifest of each section (docs/crypto.md, "Grant ends", "Section manifests").

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consent_grant") as batch:
        batch.add_column(sa.Column("end_statement", sa.JSON(), nullable=True))
    with op.batch_alter_table("section") as batch:
        batch.add_column(sa.Column("manifest", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("section") as batch:
        batch.drop_column("manifest")
    with op.batch_alter_table("consent_grant") as batch:
        batch.drop_column("end_statement")
