"""Recovery through a contact: the setup (server share, bundle copy, signed record), the
contacts' sealed shares, recovery requests, and when the recovery code was last checked.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recovery_setup",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("account_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("server_share", sa.LargeBinary(length=32), nullable=False),
        sa.Column("bundle", sa.JSON(), nullable=False),
        sa.Column("wait_seconds", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False
        ),
        sa.Column(
            "stale_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_recovery_setup_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_setup")),
        sa.UniqueConstraint("account_id", name=op.f("uq_recovery_setup_account_id")),
    )
    op.create_table(
        "recovery_request",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("account_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("setup_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("token_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("device_pk", sa.LargeBinary(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column(
            "started_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False
        ),
        sa.Column(
            "not_before", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False
        ),
        sa.Column(
            "expires_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False
        ),
        sa.Column("challenge", sa.LargeBinary(length=16), nullable=True),
        sa.Column("challenge_by", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("approved_by", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column(
            "approved_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True
        ),
        sa.Column("resealed", sa.LargeBinary(length=80), nullable=True),
        sa.Column(
            "ended_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_recovery_request_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["setup_id"],
            ["recovery_setup.id"],
            name=op.f("fk_recovery_request_setup_id_recovery_setup"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_request")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_recovery_request_token_hash")),
    )
    with op.batch_alter_table("recovery_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recovery_request_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            "uq_recovery_request_live",
            ["account_id"],
            unique=True,
            postgresql_where=sa.text("state IN ('waiting', 'released')"),
            sqlite_where=sa.text("state IN ('waiting', 'released')"),
        )

    op.create_table(
        "recovery_share",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("setup_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("contact_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("sealed", sa.LargeBinary(length=80), nullable=False),
        sa.Column(
            "revoked_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["account.id"],
            name=op.f("fk_recovery_share_contact_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["setup_id"],
            ["recovery_setup.id"],
            name=op.f("fk_recovery_share_setup_id_recovery_setup"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_share")),
        sa.UniqueConstraint("setup_id", "contact_id", name=op.f("uq_recovery_share_setup_id")),
    )
    with op.batch_alter_table("recovery_share", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recovery_share_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_recovery_share_setup_id"), ["setup_id"], unique=False)

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "recovery_checked_at",
                advanced_alchemy.types.datetime.DateTimeUTC(timezone=True),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("recovery_checked_at")

    with op.batch_alter_table("recovery_share", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_share_setup_id"))
        batch_op.drop_index(batch_op.f("ix_recovery_share_contact_id"))

    op.drop_table("recovery_share")
    with op.batch_alter_table("recovery_request", schema=None) as batch_op:
        batch_op.drop_index("uq_recovery_request_live")
        batch_op.drop_index(batch_op.f("ix_recovery_request_account_id"))

    op.drop_table("recovery_request")
    op.drop_table("recovery_setup")
