"""consent request kind (aftercare)

Revision ID: 5d2e1c7a9b30
Revises: 8840259e6b7d
Create Date: 2026-11-24 21:40:00

A professional's nazorg proposal is a consent request of kind "aftercare": saying yes to it
also ends everything else that party may do (a step-down). Existing rows are plain requests.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d2e1c7a9b30"
down_revision: str | None = "8840259e6b7d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consent_request") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="access")
        )


def downgrade() -> None:
    with op.batch_alter_table("consent_request") as batch:
        batch.drop_column("kind")
