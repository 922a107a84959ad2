"""Secrets sealed to a party's box key: read grants, organisation keys and profile cards.

A sealed box (`crypto_box_seal`) hides its sender. That is fine for keys, whose use proves
them right, but not for a profile card, whose content is a claim: cards are signed by the
sender inside the box (sign-then-seal), and the signature covers both party ids so a card
cannot be replayed to someone else or attributed to someone else.
"""

from __future__ import annotations

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

SEAL_OVERHEAD: Final = 48
SEALED_KEY_BYTES: Final = KEY_BYTES + SEAL_OVERHEAD


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
        check_len("sealed_sk", self.sealed_sk, SEALED_KEY_BYTES)

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
            sealed_sk=get_bytes(d, "sealed_sk", SEALED_KEY_BYTES),
        )


def make_read_envelope(
    *, grant: str, section: str, key_version: int, section_sk: PrivateKey, grantee_box_pk: bytes
) -> ReadGrantEnvelope:
    return ReadGrantEnvelope(
        grant=grant,
        section=section,
        key_version=key_version,
        sealed_sk=seal_to(grantee_box_pk, bytes(section_sk)),
    )


def open_read_envelope(env: ReadGrantEnvelope, box_key: PrivateKey) -> PrivateKey:
    """The caller still checks that the key's public half matches the signed section key."""
    return _open_private_key(box_key, env.sealed_sk)


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
    signature = sender.sign_bytes(_card_payload(sender_id, recipient_id, card))
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
    verify_signature(sender_sign_pk, _card_payload(sender_id, recipient_id, card), signature)
    return card
