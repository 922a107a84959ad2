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
    """`fields` plus `"v": 1` and the owner's Ed25519 signature over their canonical JSON."""
    if "signature" in fields or "v" in fields:
        raise MalformedError("a statement's fields may not be named v or signature")
    unsigned = {**fields, "v": VERSION}
    return {**unsigned, "signature": b64e(owner.sign_bytes(canonical(unsigned)))}


def verify_statement(statement: Mapping[str, Any], owner_sign_pk: bytes) -> dict[str, Any]:
    """The statement's fields without the signature, if the owner signed exactly them."""
    check_version(statement)
    signature = get_bytes(statement, "signature", SIGNATURE_BYTES)
    unsigned = {k: v for k, v in statement.items() if k != "signature"}
    verify_signature(owner_sign_pk, canonical(unsigned), signature)
    return {k: v for k, v in unsigned.items() if k != "v"}


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
    if verify_statement(statement, org_sign_pk) != _membership_fields(
        org_id, account_id, member, key_version
    ):
        raise TamperedError("the attestation names another member, key or version")
