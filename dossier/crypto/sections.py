"""Section keys: one X25519 keypair per section per dossier, its public half signed by the owner.

Invariant: a client seals data keys only to a section public key whose owner signature it has
verified (`SignedSectionKey.verify`), so a server that substitutes its own key gets nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import nacl.utils
from nacl.public import PrivateKey

from dossier.crypto.encoding import (
    VERSION,
    b64e,
    canonical,
    check_len,
    check_version,
    get_bytes,
    get_int,
    get_str,
)
from dossier.crypto.identity import KEY_BYTES, Identity, check_v, verify_signature

SIGNATURE_BYTES: Final = 64


@dataclass(frozen=True, slots=True)
class SectionKeyPair:
    sk: PrivateKey

    @classmethod
    def generate(cls) -> SectionKeyPair:
        return cls(PrivateKey(nacl.utils.random(KEY_BYTES)))

    @property
    def pk(self) -> bytes:
        return bytes(self.sk.public_key)


@dataclass(frozen=True, slots=True, kw_only=True)
class SignedSectionKey:
    dossier: str
    section: str
    version: int
    pk: bytes
    signature: bytes
    v: int = VERSION

    def __post_init__(self) -> None:
        check_v(self.v)
        check_len("pk", self.pk, KEY_BYTES)
        check_len("signature", self.signature, SIGNATURE_BYTES)

    def payload(self) -> bytes:
        return _payload(self.dossier, self.section, self.version, self.pk)

    def verify(self, owner_sign_pk: bytes) -> None:
        verify_signature(owner_sign_pk, "section-key", self.payload(), self.signature)

    def to_json(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "dossier": self.dossier,
            "section": self.section,
            "version": self.version,
            "pk": b64e(self.pk),
            "signature": b64e(self.signature),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SignedSectionKey:
        check_version(d)
        return cls(
            dossier=get_str(d, "dossier"),
            section=get_str(d, "section"),
            version=get_int(d, "version"),
            pk=get_bytes(d, "pk", KEY_BYTES),
            signature=get_bytes(d, "signature", SIGNATURE_BYTES),
        )


def _payload(dossier: str, section: str, version: int, pk: bytes) -> bytes:
    return canonical(
        {"v": VERSION, "dossier": dossier, "section": section, "version": version, "pk": b64e(pk)}
    )


def sign_section_key(
    owner: Identity, dossier: str, section: str, version: int, pk: bytes
) -> SignedSectionKey:
    check_len("pk", pk, KEY_BYTES)
    signature = owner.sign_bytes("section-key", _payload(dossier, section, version, pk))
    return SignedSectionKey(
        dossier=dossier, section=section, version=version, pk=pk, signature=signature
    )
