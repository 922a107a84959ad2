"""Signed statements: a small owner-signed record for consent state changes that are not a
grant (a request answered, declined or withdrawn), so each change has a receipt the youth can
download and anyone can check with the owner's public key alone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dossier.crypto.encoding import VERSION, b64e, canonical, check_version, get_bytes
from dossier.crypto.errors import MalformedError
from dossier.crypto.identity import Identity, verify_signature
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
