"""Wire shapes of the organisations API. Binary values are unpadded base64url strings;
identities travel as `PublicIdentity.to_json()` dictionaries and are checked on arrival.

The server never sees an organisation's private key: `sealed_org_key` is the org identity's
64-byte secret (X25519 secret key, then Ed25519 seed) sealed with `crypto_box_seal` to one
member's box key. Each membership also carries an attestation signed with the org key
(`crypto.sign_membership`), so an admin's client seals a new key only to members another
member's client added."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

import msgspec

from dossier import crypto
from dossier.accounts.service import parse_uuid
from dossier.errors import InvalidInput

OrgKind = Literal["school", "jobcoach", "gemeente", "zorg"]
Role = Literal["member", "admin"]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Id = Annotated[str, msgspec.Meta(max_length=36)]
Version = Annotated[int, msgspec.Meta(ge=1)]
SealedKey = Annotated[str, msgspec.Meta(max_length=200, pattern=r"^[A-Za-z0-9_-]*$")]
Envelope = Annotated[str, msgspec.Meta(max_length=4096, pattern=r"^[A-Za-z0-9_-]*$")]
MAX_PARTIES = 20_000
SEALED_ORG_KEY_BYTES = 2 * 32 + 48  # Identity.secret() in a crypto_box_seal


class NewOrganisation(msgspec.Struct, forbid_unknown_fields=True):
    id: Id
    name: Name
    kind: OrgKind
    identity: dict[str, Any]
    sealed_org_key: SealedKey
    attestation: dict[str, Any]


class OrganisationOut(msgspec.Struct):
    """Public: anyone signed in may look up an organisation's current public identity (a
    youth needs it to make a grant)."""

    id: str
    name: str
    kind: str
    key_version: int
    identity: dict[str, Any]


class MyOrganisation(msgspec.Struct):
    id: str
    name: str
    kind: str
    key_version: int
    role: str
    rotation_due: bool


class OrgKeyOut(msgspec.Struct):
    org: str
    key_version: int
    identity: dict[str, Any]
    sealed_org_key: str


class Person(msgspec.Struct):
    account_id: str
    username: str
    identity: dict[str, Any]


class MemberOut(msgspec.Struct):
    account_id: str
    username: str
    role: str
    state: str
    key_version: int
    identity: dict[str, Any]


class NewMember(msgspec.Struct, forbid_unknown_fields=True):
    account_id: Id
    key_version: Version
    sealed_org_key: SealedKey
    attestation: dict[str, Any]
    role: Role = "member"


class RoleChange(msgspec.Struct, forbid_unknown_fields=True):
    role: Role


class SealedFor(msgspec.Struct, forbid_unknown_fields=True):
    account_id: Id
    sealed_org_key: SealedKey
    attestation: dict[str, Any]


class Attested(msgspec.Struct):
    """An active member as a rotation sees it: the identity the server shows and the
    attestation an admin's client signed with the org key (None for a row no client made)."""

    account_id: str
    username: str
    identity: dict[str, Any]
    attestation: dict[str, Any] | None


class GrantEnvelope(msgspec.Struct, forbid_unknown_fields=True):
    grant_id: Id
    envelope: Envelope


class RotationState(msgspec.Struct):
    """What an admin's client needs to rotate: who to seal the new key to, and every grant
    envelope still sealed to the current key."""

    org: str
    key_version: int
    rotation_due: bool
    members: list[Attested]
    grants: list[GrantEnvelope]


class Rotation(msgspec.Struct, forbid_unknown_fields=True):
    old_key_version: Version
    identity: dict[str, Any]
    succession: dict[str, Any]
    members: Annotated[list[SealedFor], msgspec.Meta(max_length=MAX_PARTIES)]
    grants: Annotated[list[GrantEnvelope], msgspec.Meta(max_length=MAX_PARTIES)]


class SectionGrants(msgspec.Struct):
    section: str
    grants: int


# -- reading fields on arrival ------------------------------------------------------------


def decode_bytes(value: str, what: str, length: int | None = None) -> bytes:
    try:
        raw = crypto.b64d(value)
    except crypto.CryptoError as exc:
        raise InvalidInput(f"{what} is not unpadded base64url") from exc
    if length is not None and len(raw) != length:
        raise InvalidInput(f"{what} must be {length} bytes")
    return raw


def sealed_org_key(value: str) -> bytes:
    return decode_bytes(value, "sealed_org_key", SEALED_ORG_KEY_BYTES)


def public_identity(data: dict[str, Any]) -> crypto.PublicIdentity:
    try:
        return crypto.PublicIdentity.from_json(data)
    except crypto.CryptoError as exc:
        raise InvalidInput("identity is malformed") from exc


def attested(
    statement: dict[str, Any],
    org_sign_pk: bytes,
    org_id: uuid.UUID,
    account_id: uuid.UUID,
    member: crypto.PublicIdentity,
    key_version: int,
) -> dict[str, Any]:
    """The attestation, if the org key signed exactly this member, key and version."""
    try:
        crypto.verify_membership(
            statement, org_sign_pk, str(org_id), str(account_id), member, key_version
        )
    except crypto.CryptoError as exc:
        raise InvalidInput("the membership attestation does not match") from exc
    return statement


def unique_ids(ids: list[str], what: str) -> list[uuid.UUID]:
    parsed = [parse_uuid(i, what) for i in ids]
    if len(set(parsed)) != len(parsed):
        raise InvalidInput(f"a {what} appears twice")
    return parsed
