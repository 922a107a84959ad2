"""Wire shapes of grants, revocation and rotation (shared by the server and the client)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import msgspec

GranteeKind = Literal["person", "organisation"]


class GrantIn(msgspec.Struct, forbid_unknown_fields=True):
    """A grant as the owner's client makes it: the receipt is signed, the envelope (for
    read) holds the section private key sealed to the grantee."""

    id: str
    section: str
    grantee_kind: GranteeKind
    grantee_id: str
    receipt: dict[str, Any]
    envelope: str | None = None
    renewed_past_27: bool = False


class NewGrants(msgspec.Struct, forbid_unknown_fields=True):
    grants: list[GrantIn]


class GrantOut(msgspec.Struct):
    id: str
    dossier_id: str
    section: str
    grantee_kind: str
    grantee_id: str
    permissions: list[str]
    purpose: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    state: str
    receipt: dict[str, Any]
    envelope: str | None
    envelope_key_version: int | None
    request_id: str | None
    end_statement: dict[str, Any] | None = None


class Revoke(msgspec.Struct, forbid_unknown_fields=True):
    grant_ids: list[str]


class RotationDue(msgspec.Struct):
    sections: list[str]


class EndDue(msgspec.Struct):
    """A revoked grant whose end the owner's client has not signed yet."""

    grant: str
    section: str
    revoked_at: dt.datetime


class EndsDue(msgspec.Struct):
    ends: list[EndDue]


class GrantEnds(msgspec.Struct, forbid_unknown_fields=True):
    """Owner-signed grant ends (`crypto.sign_grant_end`)."""

    ends: list[dict[str, Any]]


class EndsStored(msgspec.Struct):
    stored: int


class NewEnvelope(msgspec.Struct, forbid_unknown_fields=True):
    grant_id: str
    envelope: str


class Rotation(msgspec.Struct, forbid_unknown_fields=True):
    """A whole section rotation from the owner's client, applied in one transaction."""

    old_key_version: int
    signed_key: dict[str, Any]
    owner_sealed_sk: str
    entries: list[dict[str, Any]]
    envelopes: list[NewEnvelope]


class AuthorOut(msgspec.Struct):
    """An append receipt of a section and the identities that may sign under it, so a reader
    can check who wrote an entry (DESIGN.md §4)."""

    receipt: dict[str, Any]
    grantee_kind: str
    identities: list[dict[str, Any]]
    members: dict[str, dict[str, Any]]
    # For an organisation: each member's attestation and every org key version with the
    # succession its predecessor signed, so a reader checks membership itself
    # (`crypto.verify_org_member`) instead of trusting `members`.
    attestations: dict[str, dict[str, Any] | None] = msgspec.field(default_factory=dict)
    org_keys: list[dict[str, Any]] = msgspec.field(default_factory=list)
    # The owner's signed end of this grant, if it was revoked (`crypto.verify_grant_end`):
    # readers accept entries under the receipt only before its `at`.
    end: dict[str, Any] | None = None


class PartyOut(msgspec.Struct):
    id: str
    kind: str
    identity: dict[str, Any]
    fingerprint: str
    name: str | None = None
