"""Initial schema: every Rugzak table, grouped by area.

Revision ID: 0001
Revises:
Create Date: 2026-12-04

Squashed from the eight revisions written before the first deployment. The models are the
source of truth: `tests/migrations/test_round_trip.py` checks that this schema equals
`Base.metadata` on SQLite and PostgreSQL. Areas are created in the order their foreign keys
need (accounts first, the access log last) and dropped in the reverse order; an index goes
with its table. Names follow the models' naming convention, which names a unique constraint
after its first column only: `uq_entry_entry_id` covers (entry_id, version).

Almost every column holds ciphertext, a public key, a hash or a routing fact: the server never
sees an entry, a document, a profile card or a passphrase.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# UUID on PostgreSQL, BINARY(16) on SQLite.
ID = GUID(length=16)
# Timezone-aware, stored and returned in UTC.
MOMENT = DateTimeUTC(timezone=True)
# A 32-byte public key, hash or digest.
BYTES32 = sa.LargeBinary(length=32)


def _id() -> sa.Column[object]:
    return sa.Column("id", ID, nullable=False)


def _fk(table: str, column: str, target: str, *, ondelete: str) -> sa.ForeignKeyConstraint:
    """A foreign key to `target.id`, named as the models' naming convention names it."""
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    _accounts()
    _kv_store()
    _dossier_store()
    _blobs()
    _entries()
    _organisations()
    _sso()
    _connections()
    _requests()
    _grants()
    _campaigns()
    _access_log()


def downgrade() -> None:
    # access log
    op.drop_table("log_checkpoint")
    op.drop_table("log_event")
    # campaigns and the partner API
    op.drop_table("partner_token")
    op.drop_table("partner_client")
    op.drop_table("campaign_entry")
    op.drop_table("campaign")
    # grants
    op.drop_table("consent_grant")
    # requests
    op.drop_table("consent_request")
    # connections
    op.drop_table("connection")
    op.drop_table("invite")
    # sso
    op.drop_table("oidc_link")
    # organisations
    op.drop_table("member_invite")
    op.drop_table("membership")
    op.drop_table("org_key_version")
    op.drop_table("organisation")
    # entries, blobs, dossier store
    op.drop_table("entry")
    op.drop_table("blob_chunk")
    op.drop_table("blob")
    op.drop_table("section")
    op.drop_table("dossier")
    # kv store
    op.drop_table("kv_store")
    # accounts
    op.drop_table("login_session")
    op.drop_table("account")


def _accounts() -> None:
    """Accounts (youth and professionals) and their login sessions (dossier/accounts)."""
    op.create_table(
        "account",
        _id(),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("kdf", sa.JSON(), nullable=False),
        sa.Column("auth_hash", sa.String(length=255), nullable=False),
        sa.Column("recovery_auth_hash", sa.String(length=255), nullable=False),
        sa.Column("bundle", sa.JSON(), nullable=False),
        sa.Column("recovery_bundle", sa.JSON(), nullable=False),
        sa.Column("box_pk", BYTES32, nullable=False),
        sa.Column("sign_pk", BYTES32, nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_account"),
        sa.UniqueConstraint("username", name="uq_account_username"),
    )
    op.create_table(
        "login_session",
        _id(),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("token_hash", BYTES32, nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("last_seen_at", MOMENT, nullable=False),
        sa.Column("expires_at", MOMENT, nullable=False),
        sa.Column("absolute_expires_at", MOMENT, nullable=False),
        _fk("login_session", "account_id", "account", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_login_session"),
        sa.UniqueConstraint("token_hash", name="uq_login_session_token_hash"),
        sa.Index("ix_login_session_account_id", "account_id"),
    )


def _kv_store() -> None:
    """The Litestar store table (dossier/kv.py: rate-limit counters, sign-in attempts in flight),
    shared by every app server. Its columns come from advanced-alchemy's `StoreModelMixin`.

    The mixin declares (key, namespace) unique twice, each behind `ddl_if`: a unique constraint
    everywhere except Spanner and a unique index only on Spanner. SQLite and PostgreSQL get the
    constraint alone, as `Base.metadata.create_all` would make it."""
    op.create_table(
        "kv_store",
        _id(),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("namespace", sa.String(length=255), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", MOMENT, nullable=False),
        # advanced-alchemy's insert sentinel (SentinelMixin): left out of statements, so NULL.
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_kv_store"),
        sa.UniqueConstraint("key", "namespace", name="uq_kv_store_key_namespace"),
        sa.Index("ix_kv_store_expires_at", "expires_at"),
    )


def _dossier_store() -> None:
    """A youth's dossier and its sections, each with an owner-signed public key and the private
    key sealed to the owner (dossier/sections)."""
    op.create_table(
        "dossier",
        _id(),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        _fk("dossier", "owner_id", "account", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_dossier"),
        sa.UniqueConstraint("owner_id", name="uq_dossier_owner_id"),
    )
    op.create_table(
        "section",
        _id(),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("signed_key", sa.JSON(), nullable=False),
        sa.Column("owner_sealed_sk", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        _fk("section", "dossier_id", "dossier", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_section"),
        sa.UniqueConstraint("dossier_id", "key", name="uq_section_dossier_id"),
        sa.Index("ix_section_dossier_id", "dossier_id"),
    )


def _blobs() -> None:
    """Document ciphertext in the database blob store, in 64 KiB chunks (dossier/blobs)."""
    op.create_table(
        "blob",
        _id(),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("store", sa.String(length=16), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", BYTES32, nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        _fk("blob", "dossier_id", "dossier", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_blob"),
        sa.Index("ix_blob_dossier_id", "dossier_id"),
    )
    op.create_table(
        "blob_chunk",
        sa.Column("blob_id", ID, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        _fk("blob_chunk", "blob_id", "blob", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("blob_id", "seq", name="pk_blob_chunk"),
    )


def _entries() -> None:
    """Entries, append-only versions of sealed JSON (dossier/sections). After the blobs: a document
    entry points at its blob."""
    op.create_table(
        "entry",
        _id(),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("section_id", ID, nullable=False),
        sa.Column("entry_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("author_id", ID, nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("blob_id", ID, nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        _fk("entry", "blob_id", "blob", ondelete="SET NULL"),
        _fk("entry", "dossier_id", "dossier", ondelete="CASCADE"),
        _fk("entry", "section_id", "section", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_entry"),
        sa.UniqueConstraint("entry_id", "version", name="uq_entry_entry_id"),
        sa.Index("ix_entry_author_id", "author_id"),
        sa.Index("ix_entry_dossier_id", "dossier_id"),
        sa.Index("ix_entry_entry_id", "entry_id"),
        sa.Index("ix_entry_section_id", "section_id"),
    )


def _organisations() -> None:
    """Organisations, every key version they have had (with the succession statement signed by
    the previous key), memberships (the org key sealed to each member, with the org's
    attestation) and colleague invites (consent/parties)."""
    op.create_table(
        "organisation",
        _id(),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("box_pk", BYTES32, nullable=False),
        sa.Column("sign_pk", BYTES32, nullable=False),
        sa.Column("oidc_issuer", sa.String(length=300), nullable=True),
        sa.Column("oidc_client_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organisation"),
    )
    op.create_table(
        "org_key_version",
        _id(),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("box_pk", BYTES32, nullable=False),
        sa.Column("sign_pk", BYTES32, nullable=False),
        sa.Column("succession", sa.JSON(), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        _fk("org_key_version", "org_id", "organisation", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_org_key_version"),
        sa.UniqueConstraint("org_id", "version", name="uq_org_key_version_org_id"),
        sa.Index("ix_org_key_version_org_id", "org_id"),
    )
    op.create_table(
        "membership",
        _id(),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("sealed_org_key", sa.LargeBinary(), nullable=False),
        sa.Column("attestation", sa.JSON(), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("removed_at", MOMENT, nullable=True),
        _fk("membership", "account_id", "account", ondelete="CASCADE"),
        _fk("membership", "org_id", "organisation", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_membership"),
        sa.UniqueConstraint("org_id", "account_id", name="uq_membership_org_id"),
        sa.Index("ix_membership_account_id", "account_id"),
        sa.Index("ix_membership_org_id", "org_id"),
    )
    op.create_table(
        "member_invite",
        _id(),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("token_hash", BYTES32, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_by", ID, nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("expires_at", MOMENT, nullable=False),
        sa.Column("account_id", ID, nullable=True),
        sa.Column("accepted_at", MOMENT, nullable=True),
        _fk("member_invite", "account_id", "account", ondelete="CASCADE"),
        _fk("member_invite", "created_by", "account", ondelete="SET NULL"),
        _fk("member_invite", "org_id", "organisation", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_member_invite"),
        sa.UniqueConstraint("token_hash", name="uq_member_invite_token_hash"),
        sa.Index("ix_member_invite_org_id", "org_id"),
    )


def _sso() -> None:
    """Which account an organisation's OpenID Connect subject is (consent/sso)."""
    op.create_table(
        "oidc_link",
        _id(),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        _fk("oidc_link", "account_id", "account", ondelete="CASCADE"),
        _fk("oidc_link", "org_id", "organisation", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_oidc_link"),
        sa.UniqueConstraint("org_id", "account_id", name="uq_oidc_link_org_account"),
        sa.UniqueConstraint("org_id", "subject", name="uq_oidc_link_org_subject"),
        sa.Index("ix_oidc_link_account_id", "account_id"),
        sa.Index("ix_oidc_link_org_id", "org_id"),
    )


def _connections() -> None:
    """A professional's invite links and the connections they make between a youth and a
    professional, with the sealed profile cards (consent/connections)."""
    op.create_table(
        "invite",
        _id(),
        sa.Column("token_hash", BYTES32, nullable=False),
        sa.Column("professional_id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("expires_at", MOMENT, nullable=False),
        sa.Column("used_at", MOMENT, nullable=True),
        # The connection the invite made; no foreign key in the models.
        sa.Column("connection_id", ID, nullable=True),
        _fk("invite", "org_id", "organisation", ondelete="SET NULL"),
        _fk("invite", "professional_id", "account", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_invite"),
        sa.UniqueConstraint("token_hash", name="uq_invite_token_hash"),
        sa.Index("ix_invite_professional_id", "professional_id"),
    )
    op.create_table(
        "connection",
        _id(),
        sa.Column("youth_id", ID, nullable=False),
        sa.Column("professional_id", ID, nullable=False),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=True),
        sa.Column("youth_card", sa.LargeBinary(), nullable=False),
        sa.Column("professional_card", sa.LargeBinary(), nullable=True),
        sa.Column("contact_person", sa.Boolean(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("ended_at", MOMENT, nullable=True),
        _fk("connection", "dossier_id", "dossier", ondelete="CASCADE"),
        _fk("connection", "org_id", "organisation", ondelete="SET NULL"),
        _fk("connection", "professional_id", "account", ondelete="CASCADE"),
        _fk("connection", "youth_id", "account", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_connection"),
        sa.UniqueConstraint("youth_id", "professional_id", name="uq_connection_youth_id"),
        sa.Index("ix_connection_dossier_id", "dossier_id"),
        sa.Index("ix_connection_professional_id", "professional_id"),
        sa.Index("ix_connection_youth_id", "youth_id"),
    )


def _requests() -> None:
    """Consent requests: access or aftercare (`kind`), answered yes, partly or no, with the
    youth's signed receipts (consent/requests)."""
    op.create_table(
        "consent_request",
        _id(),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("requester_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), server_default="access", nullable=False),
        sa.Column("grantee_kind", sa.String(length=16), nullable=False),
        # An account or an organisation, after `grantee_kind`: no foreign key.
        sa.Column("grantee_id", ID, nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("permissions", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("period_days", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("granted_sections", sa.JSON(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("answered_at", MOMENT, nullable=True),
        sa.Column("receipts", sa.JSON(), nullable=False),
        _fk("consent_request", "dossier_id", "dossier", ondelete="CASCADE"),
        _fk("consent_request", "requester_id", "account", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_consent_request"),
        sa.Index("ix_consent_request_dossier_id", "dossier_id"),
        sa.Index("ix_consent_request_requester_id", "requester_id"),
    )


def _grants() -> None:
    """Grants: one section to one grantee, with the youth's signed receipt and the section key
    wrapped to the grantee (consent/grants)."""
    op.create_table(
        "consent_grant",
        _id(),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("section_id", ID, nullable=False),
        sa.Column("section", sa.String(length=32), nullable=False),
        sa.Column("grantee_kind", sa.String(length=16), nullable=False),
        # An account or an organisation, after `grantee_kind`: no foreign key.
        sa.Column("grantee_id", ID, nullable=False),
        sa.Column("can_read", sa.Boolean(), nullable=False),
        sa.Column("can_append", sa.Boolean(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("issued_at", MOMENT, nullable=False),
        sa.Column("expires_at", MOMENT, nullable=False),
        sa.Column("revoked_at", MOMENT, nullable=True),
        sa.Column("rotated_out", sa.Boolean(), nullable=False),
        # The request it answered, if any; no foreign key in the models.
        sa.Column("request_id", ID, nullable=True),
        sa.Column("receipt", sa.JSON(), nullable=False),
        sa.Column("envelope", sa.LargeBinary(), nullable=True),
        sa.Column("envelope_key_version", sa.Integer(), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        _fk("consent_grant", "dossier_id", "dossier", ondelete="CASCADE"),
        _fk("consent_grant", "section_id", "section", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_consent_grant"),
        sa.Index("ix_consent_grant_dossier_id", "dossier_id"),
        sa.Index("ix_consent_grant_expires_at", "expires_at"),
        sa.Index("ix_consent_grant_grantee_id", "grantee_id"),
        sa.Index("ix_consent_grant_request_id", "request_id"),
        sa.Index("ix_consent_grant_section_id", "section_id"),
    )


def _campaigns() -> None:
    """School campaigns with their student links, and the partner API's OAuth 2.0 clients and
    tokens (consent/campaigns)."""
    op.create_table(
        "campaign",
        _id(),
        sa.Column("school_id", ID, nullable=False),
        sa.Column("receiver_id", ID, nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("period_days", sa.Integer(), nullable=False),
        sa.Column("closes_at", MOMENT, nullable=False),
        sa.Column("school_text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        _fk("campaign", "receiver_id", "organisation", ondelete="CASCADE"),
        _fk("campaign", "school_id", "organisation", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_campaign"),
        sa.Index("ix_campaign_receiver_id", "receiver_id"),
        sa.Index("ix_campaign_school_id", "school_id"),
    )
    op.create_table(
        "campaign_entry",
        _id(),
        sa.Column("campaign_id", ID, nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("sealed_name", sa.LargeBinary(), nullable=True),
        sa.Column("token_hash", BYTES32, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("youth_id", ID, nullable=True),
        sa.Column("opened_at", MOMENT, nullable=True),
        sa.Column("answered_at", MOMENT, nullable=True),
        _fk("campaign_entry", "campaign_id", "campaign", ondelete="CASCADE"),
        _fk("campaign_entry", "youth_id", "account", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_campaign_entry"),
        sa.UniqueConstraint("campaign_id", "reference", name="uq_campaign_entry_campaign_id"),
        sa.UniqueConstraint("token_hash", name="uq_campaign_entry_token_hash"),
        sa.Index("ix_campaign_entry_campaign_id", "campaign_id"),
        sa.Index("ix_campaign_entry_youth_id", "youth_id"),
    )
    op.create_table(
        "partner_client",
        _id(),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("secret_hash", BYTES32, nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("revoked_at", MOMENT, nullable=True),
        _fk("partner_client", "created_by", "account", ondelete="CASCADE"),
        _fk("partner_client", "org_id", "organisation", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_partner_client"),
        sa.Index("ix_partner_client_org_id", "org_id"),
    )
    op.create_table(
        "partner_token",
        _id(),
        sa.Column("token_hash", BYTES32, nullable=False),
        sa.Column("client_id", ID, nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("issued_at", MOMENT, nullable=False),
        sa.Column("expires_at", MOMENT, nullable=False),
        _fk("partner_token", "client_id", "partner_client", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_partner_token"),
        sa.UniqueConstraint("token_hash", name="uq_partner_token_token_hash"),
        sa.Index("ix_partner_token_client_id", "client_id"),
        sa.Index("ix_partner_token_expires_at", "expires_at"),
    )


def _access_log() -> None:
    """The hash-chained access log and the youth's signed checkpoints (consent/log)."""
    op.create_table(
        "log_event",
        _id(),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("section", sa.String(length=32), nullable=True),
        sa.Column("at", sa.String(length=20), nullable=False),
        sa.Column("prev_hash", BYTES32, nullable=False),
        sa.Column("hash", BYTES32, nullable=False),
        _fk("log_event", "dossier_id", "dossier", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_log_event"),
        sa.UniqueConstraint("dossier_id", "seq", name="uq_log_event_dossier_id"),
        sa.Index("ix_log_event_dossier_id", "dossier_id"),
    )
    op.create_table(
        "log_checkpoint",
        _id(),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", BYTES32, nullable=False),
        sa.Column("signature", sa.LargeBinary(length=64), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        _fk("log_checkpoint", "dossier_id", "dossier", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_log_checkpoint"),
        sa.Index("ix_log_checkpoint_dossier_id", "dossier_id"),
    )
