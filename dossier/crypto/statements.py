"""Signed statements: a small owner-signed record for consent state changes that are not a
grant (a request answered, declined or withdrawn), so each change has a receipt the youth can
download and anyone can check with the owner's public key alone.

A membership attestation is the same shape, signed with an organisation's own key: "this
account, with this key, is a member at this key version". Only members hold the org key, so
the server cannot make one; an admin's client seals a new org key only to members that carry a
valid one (docs/organisations.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dossier.crypto.encoding import VERSION, b64e, canonical, check_version, get_bytes
from dossier.crypto.errors import MalformedError, TamperedError
from dossier.crypto.identity import Identity, PublicIdentity, verify_signature
from dossier.crypto.sections import SIGNATURE_BYTES


def sign_statement(owner: Identity, fields: Mapping[str, Any]) -> dict[str, Any]:
    """`fields` plus `"v": 2` and the owner's Ed25519 signature over their canonical JSON."""
    if "signature" in fields or "v" in fields:
        raise MalformedError("a statement's fields may not be named v or signature")
    unsigned = {**fields, "v": VERSION}
    return {**unsigned, "signature": b64e(owner.sign_bytes("statement", canonical(unsigned)))}


def verify_statement(statement: Mapping[str, Any], owner_sign_pk: bytes) -> dict[str, Any]:
    """The statement's fields without the signature, if the owner signed exactly them."""
    check_version(statement)
    signature = get_bytes(statement, "signature", SIGNATURE_BYTES)
    unsigned = {k: v for k, v in statement.items() if k != "signature"}
    verify_signature(owner_sign_pk, "statement", canonical(unsigned), signature)
    return {k: v for k, v in unsigned.items() if k != "v"}


def _verify_exactly(
    statement: Mapping[str, Any], sign_pk: bytes, expected: Mapping[str, Any], what: str
) -> None:
    if verify_statement(statement, sign_pk) != expected:
        raise TamperedError(f"the {what} names another member, key or version")


MEMBERSHIP = "org-member"


def _membership_fields(
    org_id: str, account_id: str, member: PublicIdentity, key_version: int
) -> dict[str, Any]:
    return {
        "kind": MEMBERSHIP,
        "org": org_id,
        "member": account_id,
        "member_key": b64e(member.fingerprint()),
        "key_version": key_version,
    }


def sign_membership(
    org: Identity, org_id: str, account_id: str, member: PublicIdentity, key_version: int
) -> dict[str, Any]:
    """The organisation attests, with its own signing key, that `account_id` holding `member`
    belongs to it at `key_version`."""
    return sign_statement(org, _membership_fields(org_id, account_id, member, key_version))


def verify_membership(
    statement: Mapping[str, Any],
    org_sign_pk: bytes,
    org_id: str,
    account_id: str,
    member: PublicIdentity,
    key_version: int,
) -> None:
    """TamperedError unless the organisation's key signed exactly this member, key and version."""
    expected = _membership_fields(org_id, account_id, member, key_version)
    _verify_exactly(statement, org_sign_pk, expected, "attestation")


SUCCESSION = "org-key"


def _succession_fields(org_id: str, new: PublicIdentity, key_version: int) -> dict[str, Any]:
    return {
        "kind": SUCCESSION,
        "org": org_id,
        "key_version": key_version,
        "key": b64e(new.fingerprint()),
    }


def sign_succession(
    old: Identity, org_id: str, new: PublicIdentity, key_version: int
) -> dict[str, Any]:
    """At a rotation the outgoing org key names its successor, so a reader who trusts the
    identity a grant receipt names can follow the organisation to its current key."""
    return sign_statement(old, _succession_fields(org_id, new, key_version))


def verify_succession(
    statement: Mapping[str, Any],
    old_sign_pk: bytes,
    org_id: str,
    new: PublicIdentity,
    key_version: int,
) -> None:
    expected = _succession_fields(org_id, new, key_version)
    _verify_exactly(statement, old_sign_pk, expected, "succession")


def verify_org_member(
    org_id: str,
    granted: PublicIdentity,
    org_keys: list[tuple[int, PublicIdentity, Mapping[str, Any] | None]],
    account_id: str,
    member: PublicIdentity,
    attestation: Mapping[str, Any] | None,
) -> None:
    """TamperedError unless `member` is attested by the organisation: from the identity a
    grant receipt names (`granted`), each later org key is named by the one before it, up to
    the key that signed the member's attestation. `org_keys` is (version, identity,
    succession) per version, as the server lists them."""
    if attestation is None:
        raise TamperedError("no attestation")
    keys = {version: (identity, succession) for version, identity, succession in org_keys}
    start = next((v for v, (identity, _) in keys.items() if identity == granted), None)
    target = attestation.get("key_version")
    if start is None or not isinstance(target, int) or target < start:
        raise TamperedError("the attestation is not for a key the grant leads to")
    current = granted
    for version in range(start + 1, target + 1):
        identity, succession = keys.get(version, (None, None))
        if identity is None or succession is None:
            raise TamperedError("a key without succession")
        verify_succession(succession, current.sign_pk, org_id, identity, version)
        current = identity
    verify_membership(attestation, current.sign_pk, org_id, account_id, member, target)
