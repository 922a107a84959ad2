"""Two indexes for the caseload's per-youth lookups (docs/performance.md, "Session 6"):

- the unread-notice index gets the dossier as its third column, so that "Nieuw" (does this
  professional have an unread notice about this youth?) is one seek per row, not a walk over all
  their unread notices;
- the access log's plain index on the dossier (redundant with the unique (dossier, seq)) becomes
  (dossier, actor, action, at), so that a professional's last visit is one seek, not a walk over
  the dossier's whole log;
- the entries' plain index on the section becomes (section, created_at), so that the newest
  entry by someone else in a shared section is found walking back from the newest entry, not
  over the section's whole history;
- the requests' plain index on the requester becomes (requester, dossier, kind, created_at,
  id), so that my latest nazorg proposal in a dossier is one seek, not a walk over all my
  requests.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notice") as batch:
        batch.drop_index("ix_notice_account_unread")
        batch.create_index(
            "ix_notice_account_unread", ["account_id", "read_at", "dossier_id"], unique=False
        )
    with op.batch_alter_table("log_event") as batch:
        batch.drop_index("ix_log_event_dossier_id")
        batch.create_index(
            "ix_log_event_dossier_actor", ["dossier_id", "actor", "action", "at"], unique=False
        )
    with op.batch_alter_table("entry") as batch:
        batch.drop_index("ix_entry_section_id")
        batch.create_index("ix_entry_section_created", ["section_id", "created_at"], unique=False)
    with op.batch_alter_table("consent_request") as batch:
        batch.drop_index("ix_consent_request_requester_id")
        batch.create_index(
            "ix_consent_request_requester_dossier",
            ["requester_id", "dossier_id", "kind", "created_at", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("consent_request") as batch:
        batch.drop_index("ix_consent_request_requester_dossier")
        batch.create_index("ix_consent_request_requester_id", ["requester_id"], unique=False)
    with op.batch_alter_table("entry") as batch:
        batch.drop_index("ix_entry_section_created")
        batch.create_index("ix_entry_section_id", ["section_id"], unique=False)
    with op.batch_alter_table("log_event") as batch:
        batch.drop_index("ix_log_event_dossier_actor")
        batch.create_index("ix_log_event_dossier_id", ["dossier_id"], unique=False)
    with op.batch_alter_table("notice") as batch:
        batch.drop_index("ix_notice_account_unread")
        batch.create_index("ix_notice_account_unread", ["account_id", "read_at"], unique=False)
