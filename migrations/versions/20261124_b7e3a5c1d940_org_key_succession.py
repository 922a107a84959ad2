"""org key succession

Revision ID: b7e3a5c1d940
Revises: 9c41f0d2e6a8
Create Date: 2026-11-24 22:10:00

Each org key version after the first carries a succession statement signed by the version
before it, so a reader can follow an organisation from the key a grant names to the key that
attested a member.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e3a5c1d940"
down_revision: str | None = "9c41f0d2e6a8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("org_key_version") as batch:
        batch.add_column(sa.Column("succession", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("org_key_version") as batch:
        batch.drop_column("succession")
