"""The coach's workbench: a professional's own sealed profile card, and the copy of it sealed
to each invite's token key (profile before invite, docs/professionals.md).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "professional_profile",
        sa.Column("account_id", GUID(length=16), nullable=False),
        sa.Column("card", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_professional_profile_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_professional_profile")),
    )
    with op.batch_alter_table("invite") as batch:
        batch.add_column(sa.Column("card", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("invite") as batch:
        batch.drop_column("card")
    op.drop_table("professional_profile")
