"""membership attestation

Revision ID: 9c41f0d2e6a8
Revises: 5d2e1c7a9b30
Create Date: 2026-11-24 22:00:00

Each membership carries an attestation signed with the organisation's key by the client that
sealed the key to the member; a rotation seals only to attested members.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9c41f0d2e6a8"
down_revision: str | None = "5d2e1c7a9b30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("membership") as batch:
        batch.add_column(sa.Column("attestation", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("membership") as batch:
        batch.drop_column("attestation")
