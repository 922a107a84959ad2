"""Consent receipts (owner-signed grant records) and the reader-side author check.

Invariant: a reader accepts an entry only when its signature verifies under the key of the
dossier owner, or of a grantee holding a valid owner-signed `append` receipt for that section
at that time. A server can neither mint such a receipt nor plant an entry under its own key.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from nacl.public import PrivateKey

from dossier.crypto.encoding import (
    VERSION,
    b64e,
    canonical,
    check_len,
    check_version,
    format_time,
    get_bytes,
    get_int,
    get_str,
    parse_time,
)
from dossier.crypto.entries import SealedEntry, check_first_version, open_entry, verify_entry
from dossier.crypto.errors import MalformedError, TamperedError, UnauthorisedAuthor
from dossier.crypto.identity import (
    FINGERPRINT_BYTES,
    Identity,
    PublicIdentity,
    check_v,
    verify_signature,
)
from dossier.crypto.revocations import grant_end_time
from dossier.crypto.sections import SIGNATURE_BYTES

PERMISSIONS: Final = frozenset({"read", "append"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsentReceipt:
    grant: str
    dossier: str
    section: str
    grantee: str
    grantee_key_fingerprint: bytes
    permissions: tuple[str, ...]
    purpose: str
    issued_at: str
    expires_at: str
    key_version: int
    signature: bytes
    v: int = VERSION

    def __post_init__(self) -> None:
        check_v(self.v)
        check_len("grantee_key_fingerprint", self.grantee_key_fingerprint, FINGERPRINT_BYTES)
        perms = self.permissions
        if (
            not isinstance(perms, tuple)
            or not perms
            or list(perms) != sorted(set(perms))
            or not PERMISSIONS.issuperset(perms)
        ):
            raise MalformedError("permissions: a sorted, non-empty subset of read and append")
        if parse_time(self.issued_at) >= parse_time(self.expires_at):
            raise MalformedError("expires_at must be after issued_at")
        check_len("signature", self.signature, SIGNATURE_BYTES)

    def payload(self) -> bytes:
        """Every field except the signature, canonical: what the owner signs."""
        return canonical(_unsigned_json(self.to_json()))

    def verify(self, owner_sign_pk: bytes) -> None:
        verify_signature(owner_sign_pk, "receipt", self.payload(), self.signature)

    def covers(self, at: datetime) -> bool:
        return parse_time(self.issued_at) <= at < parse_time(self.expires_at)

    def to_json(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "grant": self.grant,
            "dossier": self.dossier,
            "section": self.section,
            "grantee": self.grantee,
            "grantee_key_fingerprint": b64e(self.grantee_key_fingerprint),
            "permissions": list(self.permissions),
            "purpose": self.purpose,
            "issued_at": self.issued_at,
            "expires_at": self.expires_at,
            "key_version": self.key_version,
            "signature": b64e(self.signature),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ConsentReceipt:
        check_version(d)
        perms = d.get("permissions")
        if not isinstance(perms, list) or not all(isinstance(p, str) for p in perms):
            raise MalformedError("permissions: expected a list of strings")
        return cls(
            grant=get_str(d, "grant"),
            dossier=get_str(d, "dossier"),
            section=get_str(d, "section"),
            grantee=get_str(d, "grantee"),
            grantee_key_fingerprint=get_bytes(d, "grantee_key_fingerprint", FINGERPRINT_BYTES),
            permissions=tuple(perms),
            purpose=get_str(d, "purpose"),
            issued_at=get_str(d, "issued_at"),
            expires_at=get_str(d, "expires_at"),
            key_version=get_int(d, "key_version"),
            signature=get_bytes(d, "signature", SIGNATURE_BYTES),
        )

    def as_iso27560(self) -> dict[str, Any]:
        """A read-only view in ISO/IEC TS 27560 field names, for people and exports.

        Documentation only: the signed form is `to_json()`; nothing verifies this view.
        """
        return {
            "schema_version": "ISO/IEC TS 27560:2023",
            "record_id": self.grant,
            "piiPrincipalId": self.dossier,
            "purposes": [
                {
                    "purpose": self.purpose,
                    "piiCategories": [self.section],
                    "processingActivities": list(self.permissions),
                    "recipients": [self.grantee],
                }
            ],
            "validityPeriod": {"start": self.issued_at, "end": self.expires_at},
            "consentTimestamp": self.issued_at,
            "proof": {"alg": "Ed25519", "signature": b64e(self.signature)},
        }


def sign_receipt(  # noqa: PLR0913 - the receipt has exactly these fields, all keyword-only
    owner: Identity,
    *,
    grant: str,
    dossier: str,
    section: str,
    grantee: str,
    grantee_key_fingerprint: bytes,
    permissions: Iterable[str],
    purpose: str,
    issued_at: datetime | str,
    expires_at: datetime | str,
    key_version: int,
) -> ConsentReceipt:
    fields: dict[str, Any] = {
        "grant": grant,
        "dossier": dossier,
        "section": section,
        "grantee": grantee,
        "grantee_key_fingerprint": grantee_key_fingerprint,
        "permissions": tuple(sorted(set(permissions))),
        "purpose": purpose,
        "issued_at": format_time(issued_at),
        "expires_at": format_time(expires_at),
        "key_version": key_version,
    }
    unsigned = {
        **fields,
        "v": VERSION,
        "grantee_key_fingerprint": b64e(grantee_key_fingerprint),
        "permissions": list(fields["permissions"]),
    }
    # The constructor validates every field; a signature over invalid fields never escapes.
    return ConsentReceipt(**fields, signature=owner.sign_bytes("receipt", canonical(unsigned)))


def _unsigned_json(d: dict[str, Any]) -> dict[str, Any]:
    del d["signature"]
    return d


def _grants_append(
    receipt: ConsentReceipt,
    candidate: PublicIdentity,
    owner: PublicIdentity,
    place: tuple[str, str],
    at: datetime,
    end: Mapping[str, Any] | None,
    listed_end: datetime | None = None,
) -> bool:
    if (
        (receipt.dossier, receipt.section) != place
        or "append" not in receipt.permissions
        or not receipt.covers(at)
        or not hmac.compare_digest(receipt.grantee_key_fingerprint, candidate.fingerprint())
    ):
        return False
    try:
        receipt.verify(owner.sign_pk)
    except TamperedError:
        return False
    ended = grant_end_time(
        end, owner.sign_pk, grant=receipt.grant, dossier=receipt.dossier, section=receipt.section
    )
    ended = min((t for t in (ended, listed_end) if t is not None), default=None)
    return ended is None or at <= ended


def authorised_signer(  # noqa: PLR0913 - every argument is a separate, required fact
    entry_author: str,
    at: datetime,
    *,
    dossier: str,
    section: str,
    owner_id: str,
    owner: PublicIdentity,
    receipts: Iterable[tuple[ConsentReceipt, PublicIdentity]],
    member_of: Mapping[str, str] | None = None,
    author_identity: PublicIdentity | None = None,
    ends: Mapping[str, Mapping[str, Any]] | None = None,
    listed_ends: Mapping[str, datetime] | None = None,
) -> PublicIdentity:
    """The identity whose key must have signed an entry by `entry_author` made at `at`.

    Each receipt comes with the grantee's public identity, which must match the receipt's
    fingerprint. `ends` maps a grant id to the owner's signed grant end (revocations.py): a
    receipt counts up to and including the end's `at` (whole seconds: an entry in the second
    of the revocation stays valid). `listed_ends` are the ends the owner's verified section
    manifest lists (grant id -> time); they cap the same way. For a grant to an organisation,
    `member_of` maps the author's id to the org id named in the receipt and `author_identity`
    is the member's own identity, which signs; the membership itself is taken on trust from
    the caller (see docs/crypto.md).
    """
    if at.tzinfo is None:
        raise MalformedError("at must be timezone-aware")
    if entry_author == owner_id:
        return owner
    org = (member_of or {}).get(entry_author)
    for receipt, grantee in receipts:
        if receipt.grantee == entry_author:
            signer = grantee
        elif org is not None and receipt.grantee == org and author_identity is not None:
            signer = author_identity
        else:
            continue
        end = (ends or {}).get(receipt.grant)
        listed = (listed_ends or {}).get(receipt.grant)
        if _grants_append(receipt, grantee, owner, (dossier, section), at, end, listed):
            return signer
    raise UnauthorisedAuthor


def verify_and_open_entry(  # noqa: PLR0913 - the author check and the open need all of these
    sealed: SealedEntry,
    *,
    box_key: PrivateKey,
    at: datetime,
    owner_id: str,
    owner: PublicIdentity,
    receipts: Iterable[tuple[ConsentReceipt, PublicIdentity]],
    dossier: str,
    section: str,
    entry: str,
    version: int | None = None,
    use_author_copy: bool = False,
    member_of: Mapping[str, str] | None = None,
    author_identity: PublicIdentity | None = None,
    first: SealedEntry | None = None,
    ends: Mapping[str, Mapping[str, Any]] | None = None,
    listed_ends: Mapping[str, datetime] | None = None,
) -> dict[str, Any]:
    """The reader's one call: who may have signed this, then (for a later version) that its
    `first` version has the same author, then `open_entry` under that key."""
    signer = authorised_signer(
        sealed.author,
        at,
        dossier=dossier,
        section=section,
        owner_id=owner_id,
        owner=owner,
        receipts=receipts,
        member_of=member_of,
        author_identity=author_identity,
        ends=ends,
        listed_ends=listed_ends,
    )
    if sealed.version != 1:
        verify_entry(sealed, author_sign_pk=signer.sign_pk, owner_sign_pk=owner.sign_pk)
        check_first_version(
            sealed, first, author_sign_pk=signer.sign_pk, owner_sign_pk=owner.sign_pk
        )
    return open_entry(
        sealed,
        box_key=box_key,
        author_sign_pk=signer.sign_pk,
        dossier=dossier,
        section=section,
        entry=entry,
        version=version,
        use_author_copy=use_author_copy,
        owner_sign_pk=owner.sign_pk,
    )
