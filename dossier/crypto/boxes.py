"""Secrets sealed to a party's box key: read grants, organisation keys and profile cards.

A sealed box (`crypto_box_seal`) hides its sender. That is fine for keys, whose use proves
them right, but not for a profile card, whose content is a claim: cards are signed by the
sender inside the box (sign-then-seal), and the signature covers both party ids so a card
cannot be replayed to someone else or attributed to someone else.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any, Final

import nacl.bindings
import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.utils
from nacl.public import PrivateKey, SealedBox

from dossier.crypto.encoding import (
    VERSION,
    b64d,
    b64e,
    canonical,
    check_len,
    check_version,
    get_bytes,
    get_int,
    get_str,
    parse_json_object,
)
from dossier.crypto.errors import CryptoError, TamperedError
from dossier.crypto.identity import KEY_BYTES, Identity, check_v, verify_signature
from dossier.crypto.sections import SignedSectionKey

SEAL_OVERHEAD: Final = 48
SEALED_KEY_BYTES: Final = KEY_BYTES + SEAL_OVERHEAD
ENVELOPE_BYTES: Final = 2 * KEY_BYTES + SEAL_OVERHEAD  # section key || binding, sealed


def seal_to(recipient_box_pk: bytes, secret: bytes) -> bytes:
    """`crypto_box_seal`: anonymous, so it proves nothing about who sealed it."""
    check_len("recipient_box_pk", recipient_box_pk, KEY_BYTES)
    return bytes(nacl.bindings.crypto_box_seal(secret, recipient_box_pk))


def open_sealed(box_key: PrivateKey, sealed: bytes) -> bytes:
    try:
        return SealedBox(box_key).decrypt(sealed)
    except nacl.exceptions.CryptoError as exc:
        raise TamperedError from exc


def _open_private_key(box_key: PrivateKey, sealed: bytes) -> PrivateKey:
    # The structures fix the sealed length at SEALED_KEY_BYTES, so the secret is 32 bytes.
    return PrivateKey(open_sealed(box_key, sealed))


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadGrantEnvelope:
    """A section private key sealed to a grantee (a person's or an organisation's box key)."""

    grant: str
    section: str
    key_version: int
    sealed_sk: bytes
    v: int = VERSION

    def __post_init__(self) -> None:
        check_v(self.v)
        check_len("sealed_sk", self.sealed_sk, ENVELOPE_BYTES)

    def to_json(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "grant": self.grant,
            "section": self.section,
            "key_version": self.key_version,
            "sealed_sk": b64e(self.sealed_sk),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ReadGrantEnvelope:
        check_version(d)
        return cls(
            grant=get_str(d, "grant"),
            section=get_str(d, "section"),
            key_version=get_int(d, "key_version"),
            sealed_sk=get_bytes(d, "sealed_sk", ENVELOPE_BYTES),
        )


def envelope_binding(*, grant: str, dossier: str, section: str, key_version: int) -> bytes:
    """BLAKE2b-256 (unkeyed) of `canonical({"v", "kind": "grant-envelope", "grant", "dossier",
    "section", "key_version"})`: sealed with the section key, so an envelope opens only for the
    grant, place and key version it was made for."""
    fields = {
        "v": VERSION,
        "kind": "grant-envelope",
        "grant": grant,
        "dossier": dossier,
        "section": section,
        "key_version": key_version,
    }
    return nacl.hash.blake2b(canonical(fields), digest_size=32, encoder=nacl.encoding.RawEncoder)


def seal_grant_envelope(
    section_sk: PrivateKey, grantee_box_pk: bytes, *, grant: str, section_key: SignedSectionKey
) -> bytes:
    """The section private key and its binding (`envelope_binding`), sealed to the grantee:
    `crypto_box_seal(sk || binding)`, ENVELOPE_BYTES long. `section_key` is the owner-signed
    public half."""
    if bytes(section_sk.public_key) != section_key.pk:
        raise TamperedError("section key does not match the signed public key")
    binding = envelope_binding(
        grant=grant,
        dossier=section_key.dossier,
        section=section_key.section,
        key_version=section_key.version,
    )
    return seal_to(grantee_box_pk, bytes(section_sk) + binding)


def open_grant_envelope(
    sealed: bytes, box_key: PrivateKey, *, grant: str, section_key: SignedSectionKey
) -> PrivateKey:
    """Open an envelope, check its binding names this grant and the signed key's dossier,
    section and version, and that the key is the signed key's private half; TamperedError
    otherwise."""
    plaintext = open_sealed(box_key, sealed)
    binding = envelope_binding(
        grant=grant,
        dossier=section_key.dossier,
        section=section_key.section,
        key_version=section_key.version,
    )
    if len(plaintext) != 2 * KEY_BYTES or not hmac.compare_digest(plaintext[KEY_BYTES:], binding):
        raise TamperedError
    sk = PrivateKey(plaintext[:KEY_BYTES])
    if bytes(sk.public_key) != section_key.pk:
        raise TamperedError
    return sk


def make_read_envelope(
    *, grant: str, section_key: SignedSectionKey, section_sk: PrivateKey, grantee_box_pk: bytes
) -> ReadGrantEnvelope:
    return ReadGrantEnvelope(
        grant=grant,
        section=section_key.section,
        key_version=section_key.version,
        sealed_sk=seal_grant_envelope(
            section_sk, grantee_box_pk, grant=grant, section_key=section_key
        ),
    )


def open_read_envelope(
    env: ReadGrantEnvelope, box_key: PrivateKey, section_key: SignedSectionKey
) -> PrivateKey:
    """The section private key, if the envelope is for this grant, the signed key's place and
    version, and holds the signed key's private half."""
    if (env.section, env.key_version) != (section_key.section, section_key.version):
        raise TamperedError
    return open_grant_envelope(env.sealed_sk, box_key, grant=env.grant, section_key=section_key)


@dataclass(frozen=True, slots=True)
class OrgKey:
    """An organisation's X25519 keypair; members receive the private half as a `SealedOrgKey`."""

    sk: PrivateKey

    @classmethod
    def generate(cls) -> OrgKey:
        return cls(PrivateKey(nacl.utils.random(KEY_BYTES)))

    @property
    def pk(self) -> bytes:
        return bytes(self.sk.public_key)


@dataclass(frozen=True, slots=True, kw_only=True)
class SealedOrgKey:
    org: str
    member: str
    key_version: int
    sealed_sk: bytes
    v: int = VERSION

    def __post_init__(self) -> None:
        check_v(self.v)
        check_len("sealed_sk", self.sealed_sk, SEALED_KEY_BYTES)

    def to_json(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "org": self.org,
            "member": self.member,
            "key_version": self.key_version,
            "sealed_sk": b64e(self.sealed_sk),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SealedOrgKey:
        check_version(d)
        return cls(
            org=get_str(d, "org"),
            member=get_str(d, "member"),
            key_version=get_int(d, "key_version"),
            sealed_sk=get_bytes(d, "sealed_sk", SEALED_KEY_BYTES),
        )


def seal_org_key(
    org_key: OrgKey, *, org: str, member: str, key_version: int, member_box_pk: bytes
) -> SealedOrgKey:
    return SealedOrgKey(
        org=org,
        member=member,
        key_version=key_version,
        sealed_sk=seal_to(member_box_pk, bytes(org_key.sk)),
    )


def open_org_key(sealed: SealedOrgKey, box_key: PrivateKey) -> OrgKey:
    return OrgKey(_open_private_key(box_key, sealed.sealed_sk))


def _card_payload(sender_id: str, recipient_id: str, card: dict[str, Any]) -> bytes:
    return canonical({"v": VERSION, "from": sender_id, "to": recipient_id, "card": card})


def seal_profile_card(
    card: dict[str, Any],
    *,
    sender_id: str,
    sender: Identity,
    recipient_id: str,
    recipient_box_pk: bytes,
) -> bytes:
    signature = sender.sign_bytes("profile-card", _card_payload(sender_id, recipient_id, card))
    plaintext = canonical(
        {"v": VERSION, "from": sender_id, "to": recipient_id, "card": card, "sig": b64e(signature)}
    )
    return seal_to(recipient_box_pk, plaintext)


def open_profile_card(
    sealed: bytes, *, box_key: PrivateKey, recipient_id: str, sender_id: str, sender_sign_pk: bytes
) -> dict[str, Any]:
    """Returns the card only if it was signed by `sender_id`'s key and addressed to us."""
    try:
        outer = parse_json_object(open_sealed(box_key, sealed))
        check_version(outer)
        card = outer["card"]
        if outer["from"] != sender_id or outer["to"] != recipient_id or not isinstance(card, dict):
            raise TamperedError
        signature = b64d(outer["sig"])
    except (CryptoError, KeyError) as exc:
        raise TamperedError from exc
    verify_signature(
        sender_sign_pk, "profile-card", _card_payload(sender_id, recipient_id, card), signature
    )
    return card
