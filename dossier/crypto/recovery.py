"""Recovery through a contact: a 2-of-2 split of a fresh recovery key (docs/crypto.md
"Recovery contact").

The youth's device makes a recovery key `R` as the XOR of two random shares: the server's
share `S_server` (kept by the server in the clear) and the contact share `S_contact` (sealed to
each chosen contact's box key). A copy of the key bundle is sealed under a key derived from
`R` (bundle kind "contact-recovery"). Invariant: neither share alone says anything about `R`
(a one-time pad), so the server alone, or a contact alone, opens nothing. The youth signs the
setup record (purpose "recovery-setup"), naming the contacts' keys and the hashes of their
sealed shares, so a contact's app re-seals a share only for the account and setup it was made
for. A new device compares a short code with the contact; the code is keyed by a challenge the
contact's app picks after it has seen the device's key, so a server cannot grind a key of its
own that shows the same six digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import nacl.encoding
import nacl.hash
import nacl.utils
from nacl.public import PrivateKey

from dossier.crypto.boxes import open_sealed, seal_to
from dossier.crypto.encoding import (
    VERSION,
    b64e,
    canonical,
    check_len,
    check_version,
    get_bytes,
    get_int,
    get_str,
    sha256,
)
from dossier.crypto.errors import MalformedError, TamperedError
from dossier.crypto.identity import (
    FINGERPRINT_BYTES,
    KEY_BYTES,
    Identity,
    SealedBundle,
    check_v,
    open_bundle,
    seal_bundle,
    verify_signature,
)
from dossier.crypto.kdf import keyed_blake2b
from dossier.crypto.sections import SIGNATURE_BYTES

SHARE_BYTES: Final = 32
SEALED_SHARE_BYTES: Final = SHARE_BYTES + 48
CHALLENGE_BYTES: Final = 16
BUNDLE_KIND: Final = "contact-recovery"
MIN_WAIT: Final = 24 * 3600
MAX_WAIT: Final = 7 * 24 * 3600
DEFAULT_WAIT: Final = 72 * 3600
MAX_CONTACTS: Final = 2
CODE_DIGITS: Final = 6


def xor_shares(a: bytes, b: bytes) -> bytes:
    check_len("share", a, SHARE_BYTES)
    check_len("share", b, SHARE_BYTES)
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


@dataclass(frozen=True, slots=True, kw_only=True)
class RecoverySplit:
    """What a setup makes on the youth's device; `key` is forgotten once the bundle is sealed."""

    key: bytes
    server_share: bytes
    contact_share: bytes


def new_recovery_split() -> RecoverySplit:
    """Two fresh random shares (server first, then contact); the key is their XOR."""
    server, contact = nacl.utils.random(SHARE_BYTES), nacl.utils.random(SHARE_BYTES)
    return RecoverySplit(
        key=xor_shares(server, contact), server_share=server, contact_share=contact
    )


def contact_wrap_key(recovery_key: bytes) -> bytes:
    check_len("recovery key", recovery_key, KEY_BYTES)
    return keyed_blake2b(recovery_key, b"rugzak/v2/contact-recovery-wrap")


def seal_contact_bundle(identity: Identity, recovery_key: bytes, account_id: str) -> SealedBundle:
    return seal_bundle(identity, contact_wrap_key(recovery_key), account_id, kind=BUNDLE_KIND)


def open_contact_bundle(
    sealed: SealedBundle, server_share: bytes, contact_share: bytes, account_id: str
) -> Identity:
    """Needs both shares: `R = S_server XOR S_contact`."""
    key = contact_wrap_key(xor_shares(server_share, contact_share))
    return open_bundle(sealed, key, account_id, kind=BUNDLE_KIND)


def seal_contact_share(contact_box_pk: bytes, contact_share: bytes) -> bytes:
    check_len("contact share", contact_share, SHARE_BYTES)
    return seal_to(contact_box_pk, contact_share)


def open_share(box_key: PrivateKey, sealed: bytes) -> bytes:
    """Opens a sealed share (to a contact, or re-sealed to a new device)."""
    check_len("sealed share", sealed, SEALED_SHARE_BYTES)
    return open_sealed(box_key, sealed)  # 80 sealed bytes always open to 32


def reseal_share(contact_box_key: PrivateKey, sealed: bytes, device_pk: bytes) -> bytes:
    """The contact's approval: open the share sealed to me, seal it to the new device's key."""
    return seal_to(device_pk, open_share(contact_box_key, sealed))


def share_hash(sealed: bytes) -> bytes:
    return sha256(sealed)


def new_challenge() -> bytes:
    """The contact's app picks it after it has seen the device key."""
    return nacl.utils.random(CHALLENGE_BYTES)


def short_code(device_pk: bytes, request_id: str, challenge: bytes) -> str:
    """Six digits, shown as `123 456`: BLAKE2b-256 keyed with the contact's 16-byte challenge
    over canonical `{"v", "kind": "recovery-code", "request", "device_pk"}`, the first 8 bytes
    as a big-endian integer modulo 10**6."""
    check_len("device_pk", device_pk, KEY_BYTES)
    check_len("challenge", challenge, CHALLENGE_BYTES)
    fields = {
        "v": VERSION,
        "kind": "recovery-code",
        "request": request_id,
        "device_pk": b64e(device_pk),
    }
    digest = nacl.hash.blake2b(
        canonical(fields), digest_size=32, key=challenge, encoder=nacl.encoding.RawEncoder
    )
    number = int.from_bytes(digest[:8], "big") % 10**CODE_DIGITS
    text = f"{number:0{CODE_DIGITS}d}"
    return f"{text[:3]} {text[3:]}"


@dataclass(frozen=True, slots=True, kw_only=True)
class RecoveryContact:
    account: str
    fingerprint: bytes
    share_sha256: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "fingerprint": b64e(self.fingerprint),
            "share_sha256": b64e(self.share_sha256),
        }

    @classmethod
    def from_json(cls, d: Any) -> RecoveryContact:
        if not isinstance(d, dict):
            raise MalformedError("contact: expected an object")
        return cls(
            account=get_str(d, "account"),
            fingerprint=get_bytes(d, "fingerprint", FINGERPRINT_BYTES),
            share_sha256=get_bytes(d, "share_sha256", 32),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class RecoverySetup:
    """The youth-signed record of one setup. Parsing checks the rules (1 or 2 distinct
    contacts, a wait from 24 hours to 7 days) before any signature is looked at."""

    account: str
    setup: str
    contacts: tuple[RecoveryContact, ...]
    wait_seconds: int
    signature: bytes = b""
    v: int = VERSION

    def __post_init__(self) -> None:
        check_v(self.v)
        if not 1 <= len(self.contacts) <= MAX_CONTACTS:
            raise MalformedError("a setup names one or two contacts")
        if len({c.account for c in self.contacts}) != len(self.contacts):
            raise MalformedError("a contact is named twice")
        if type(self.wait_seconds) is not int or not MIN_WAIT <= self.wait_seconds <= MAX_WAIT:
            raise MalformedError("the waiting period must be from 24 hours to 7 days")

    def payload(self) -> bytes:
        return canonical(
            {
                "v": self.v,
                "account": self.account,
                "setup": self.setup,
                "contacts": [c.to_json() for c in self.contacts],
                "wait_seconds": self.wait_seconds,
            }
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "account": self.account,
            "setup": self.setup,
            "contacts": [c.to_json() for c in self.contacts],
            "wait_seconds": self.wait_seconds,
            "signature": b64e(self.signature),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> RecoverySetup:
        check_version(d)
        contacts = d.get("contacts")
        if not isinstance(contacts, list):
            raise MalformedError("contacts: expected a list")
        return cls(
            account=get_str(d, "account"),
            setup=get_str(d, "setup"),
            contacts=tuple(RecoveryContact.from_json(c) for c in contacts),
            wait_seconds=get_int(d, "wait_seconds"),
            signature=get_bytes(d, "signature", SIGNATURE_BYTES),
        )

    def verify(self, youth_sign_pk: bytes) -> None:
        verify_signature(youth_sign_pk, "recovery-setup", self.payload(), self.signature)

    def contact(self, account_id: str) -> RecoveryContact:
        for c in self.contacts:
            if c.account == account_id:
                return c
        raise TamperedError("this setup does not name that contact")


def sign_recovery_setup(
    youth: Identity,
    *,
    account: str,
    setup: str,
    contacts: list[RecoveryContact],
    wait_seconds: int,
) -> RecoverySetup:
    unsigned = RecoverySetup(
        account=account, setup=setup, contacts=tuple(contacts), wait_seconds=wait_seconds
    )
    signature = youth.sign_bytes("recovery-setup", unsigned.payload())
    return RecoverySetup(
        account=account,
        setup=setup,
        contacts=tuple(contacts),
        wait_seconds=wait_seconds,
        signature=signature,
    )


def check_share_for(
    setup: RecoverySetup,
    youth_sign_pk: bytes,
    *,
    account: str,
    contact_id: str,
    sealed_share: bytes,
) -> None:
    """The contact's app, before re-sealing: the youth (whose key the contact compared)
    signed this setup, for this account, and it lists this exact sealed share for me."""
    setup.verify(youth_sign_pk)
    if setup.account != account:
        raise TamperedError("the setup is for another account")
    if setup.contact(contact_id).share_sha256 != share_hash(sealed_share):
        raise TamperedError("the sealed share is not the one the youth signed")
