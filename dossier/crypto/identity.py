"""Account identity (X25519 box + Ed25519 signing keypair), its fingerprint and key bundle.

Invariant: private keys leave the device only inside a `SealedBundle`, an XChaCha20-Poly1305
ciphertext under the wrap key (or the recovery wrap key) whose associated data binds the
account id and the bundle kind, so the server cannot hand one account's bundle to another
or swap the recovery copy for the passphrase copy unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

import nacl.bindings
import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.utils
from nacl.public import PrivateKey
from nacl.signing import SigningKey

from dossier.crypto.encoding import (
    VERSION,
    b64e,
    canonical,
    check_len,
    check_version,
    get_bytes,
)
from dossier.crypto.errors import MalformedError, TamperedError, UnsupportedVersion

NONCE_BYTES: Final = 24
KEY_BYTES: Final = 32
FINGERPRINT_BYTES: Final = 20
BUNDLE_KINDS: Final = frozenset({"bundle", "recovery", "contact-recovery"})


def check_v(v: int) -> None:
    if type(v) is not int or v != VERSION:
        raise UnsupportedVersion(f"unsupported version {v!r}")


def aead_seal(key: bytes, nonce: bytes, plaintext: bytes, ad: bytes) -> bytes:
    return nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, nonce, key)


def aead_open(key: bytes, nonce: bytes, ciphertext: bytes, ad: bytes) -> bytes:
    try:
        return nacl.bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(ciphertext, ad, nonce, key)
    except nacl.exceptions.CryptoError as exc:
        raise TamperedError from exc


Purpose = Literal[
    "section-key",
    "entry",
    "rewrap",
    "receipt",
    "checkpoint",
    "profile-card",
    "statement",
    "recovery-setup",
]
PURPOSES: Final[frozenset[str]] = frozenset(get_args(Purpose))


def signed_message(purpose: Purpose, payload: bytes) -> bytes:
    """What Ed25519 actually signs: `rugzak/v2/<purpose>`, a zero byte, then the payload. Every
    signature names what it is for, so one made for one kind of payload never verifies as
    another, whatever their fields."""
    if purpose not in PURPOSES:
        raise MalformedError(f"unknown signature purpose {purpose!r}")
    return f"rugzak/v{VERSION}/{purpose}".encode("ascii") + b"\x00" + payload


def verify_signature(sign_pk: bytes, purpose: Purpose, message: bytes, signature: bytes) -> None:
    """Ed25519 verification of `message` signed for `purpose`; fails only with `TamperedError`
    (bad key bytes included)."""
    signed = signed_message(purpose, message)
    try:
        nacl.bindings.crypto_sign_open(signature + signed, sign_pk)
    except (nacl.exceptions.CryptoError, TypeError) as exc:
        raise TamperedError from exc


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicIdentity:
    """What others know of an account: its box and signing public keys."""

    box_pk: bytes
    sign_pk: bytes
    v: int = VERSION

    def __post_init__(self) -> None:
        check_v(self.v)
        check_len("box_pk", self.box_pk, KEY_BYTES)
        check_len("sign_pk", self.sign_pk, KEY_BYTES)

    def fingerprint(self) -> bytes:
        """First 20 bytes of BLAKE2b-512 (unkeyed) of `box_pk || sign_pk`, compared in person."""
        digest = nacl.hash.blake2b(
            self.box_pk + self.sign_pk, digest_size=64, encoder=nacl.encoding.RawEncoder
        )
        return digest[:FINGERPRINT_BYTES]

    def to_json(self) -> dict[str, Any]:
        return {"v": self.v, "box_pk": b64e(self.box_pk), "sign_pk": b64e(self.sign_pk)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PublicIdentity:
        check_version(d)
        return cls(box_pk=get_bytes(d, "box_pk", KEY_BYTES), sign_pk=get_bytes(d, "sign_pk", 32))


FINGERPRINT_GROUPS: Final = 6


def format_fingerprint(fp: bytes) -> str:
    """What people compare: six groups of five digits, the fingerprint read as one big-endian
    integer modulo 10**30, zero padded (log2(10**30) = 99.7 bits). The one display function in
    Python; the browser's is `formatFingerprint` in web/static/js/crypto/identity.js."""
    check_len("fingerprint", fp, FINGERPRINT_BYTES)
    digits = f"{int.from_bytes(fp, 'big') % 10 ** (5 * FINGERPRINT_GROUPS):030d}"
    return " ".join(digits[i : i + 5] for i in range(0, 5 * FINGERPRINT_GROUPS, 5))


@dataclass(frozen=True, slots=True)
class Identity:
    """An account's private keys; lives in client memory only, or sealed in a `SealedBundle`."""

    box: PrivateKey
    sign: SigningKey

    @classmethod
    def generate(cls) -> Identity:
        return cls.from_secret(nacl.utils.random(KEY_BYTES) + nacl.utils.random(KEY_BYTES))

    @classmethod
    def from_secret(cls, secret: bytes) -> Identity:
        """From the 64-byte bundle plaintext: X25519 secret key, then Ed25519 seed."""
        check_len("identity secret", secret, 2 * KEY_BYTES)
        return cls(PrivateKey(secret[:KEY_BYTES]), SigningKey(secret[KEY_BYTES:]))

    def secret(self) -> bytes:
        return bytes(self.box) + bytes(self.sign)

    @property
    def public(self) -> PublicIdentity:
        return PublicIdentity(
            box_pk=bytes(self.box.public_key), sign_pk=bytes(self.sign.verify_key)
        )

    def sign_bytes(self, purpose: Purpose, message: bytes) -> bytes:
        return self.sign.sign(signed_message(purpose, message)).signature


@dataclass(frozen=True, slots=True, kw_only=True)
class SealedBundle:
    nonce: bytes
    ciphertext: bytes
    v: int = VERSION

    def __post_init__(self) -> None:
        check_v(self.v)
        check_len("nonce", self.nonce, NONCE_BYTES)

    def to_json(self) -> dict[str, Any]:
        return {"v": self.v, "nonce": b64e(self.nonce), "ciphertext": b64e(self.ciphertext)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SealedBundle:
        check_version(d)
        return cls(nonce=get_bytes(d, "nonce", NONCE_BYTES), ciphertext=get_bytes(d, "ciphertext"))


def _bundle_ad(account_id: str, kind: str) -> bytes:
    if kind not in BUNDLE_KINDS:
        raise MalformedError(f"unknown bundle kind {kind!r}")
    return canonical({"account": account_id, "kind": kind})


def seal_bundle(
    identity: Identity, wrap_key: bytes, account_id: str, kind: str = "bundle"
) -> SealedBundle:
    """The plaintext is the 64-byte `Identity.secret()`; kind is "bundle" or "recovery"."""
    check_len("wrap_key", wrap_key, KEY_BYTES)
    ad = _bundle_ad(account_id, kind)
    nonce = nacl.utils.random(NONCE_BYTES)
    return SealedBundle(nonce=nonce, ciphertext=aead_seal(wrap_key, nonce, identity.secret(), ad))


def open_bundle(
    sealed: SealedBundle, wrap_key: bytes, account_id: str, kind: str = "bundle"
) -> Identity:
    check_len("wrap_key", wrap_key, KEY_BYTES)
    secret = aead_open(wrap_key, sealed.nonce, sealed.ciphertext, _bundle_ad(account_id, kind))
    if len(secret) != 2 * KEY_BYTES:
        raise TamperedError
    return Identity.from_secret(secret)
