"""Passphrase and recovery-code key derivation, and the server's hash of the login proof.

Invariants: the passphrase, the master key and the wrap key exist only on the client; the
server receives `auth_key` and stores only `hash_auth_key(auth_key)`. Sub-keys are derived
with keyed BLAKE2b under distinct labels, so knowing `auth_key` reveals nothing about
`wrap_key`.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Final

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.pwhash
import nacl.utils

from dossier.crypto.encoding import (
    VERSION,
    b64e,
    check_len,
    check_version,
    get_bytes,
    get_int,
    get_str,
)
from dossier.crypto.errors import MalformedError, UnsupportedVersion, WeakParameters

KDF_ALG: Final = "argon2id13"
MIN_OPSLIMIT: Final = 3
MIN_MEMLIMIT: Final = 64 * 1024 * 1024
SALT_BYTES: Final = 16
KEY_BYTES: Final = 32
# The login proof is already a 256-bit uniformly random key, so the server-side hash only has
# to make a stolen database useless for replay, not slow down guessing: interactive limits.
AUTH_HASH_OPSLIMIT: Final = 2
AUTH_HASH_MEMLIMIT: Final = 19 * 1024 * 1024
RECOVERY_BYTES: Final = 16
_RECOVERY_CHARS: Final = 26
_B32 = re.compile(r"[A-Z2-7]{26}")
_LOOKALIKES: Final = str.maketrans({"0": "O", "1": "I", "8": "B", " ": None, "-": None})


def keyed_blake2b(key: bytes, label: bytes, size: int = KEY_BYTES) -> bytes:
    """`crypto_generichash(label, key)`: the one KDF used for every sub-key in v1."""
    return nacl.hash.blake2b(label, digest_size=size, key=key, encoder=nacl.encoding.RawEncoder)


@dataclass(frozen=True, slots=True, kw_only=True)
class KdfParams:
    """Argon2id parameters stored with the account and sent to the client before login.

    They can be raised later without a new `v`; a client refuses anything below the v1
    minimum (`check`) so a hostile server cannot talk it into deriving a weak key.
    """

    salt: bytes
    v: int = VERSION
    alg: str = KDF_ALG
    opslimit: int = MIN_OPSLIMIT
    memlimit: int = MIN_MEMLIMIT

    def __post_init__(self) -> None:
        if self.v != VERSION:
            raise UnsupportedVersion(f"unsupported version {self.v!r}")
        check_len("salt", self.salt, SALT_BYTES)

    @classmethod
    def new(cls) -> KdfParams:
        return cls(salt=nacl.utils.random(SALT_BYTES))

    def check(self) -> None:
        if self.alg != KDF_ALG or self.opslimit < MIN_OPSLIMIT or self.memlimit < MIN_MEMLIMIT:
            raise WeakParameters("KDF parameters below the v1 minimum")

    def to_json(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "alg": self.alg,
            "opslimit": self.opslimit,
            "memlimit": self.memlimit,
            "salt": b64e(self.salt),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> KdfParams:
        d = dict(check_version(d))
        return cls(
            alg=get_str(d, "alg"),
            opslimit=get_int(d, "opslimit"),
            memlimit=get_int(d, "memlimit"),
            salt=get_bytes(d, "salt", SALT_BYTES),
        )


def derive_master_key(passphrase: str, params: KdfParams) -> bytes:
    """Argon2id of the NFC-normalised UTF-8 passphrase; refuses weak parameters first.

    NFC normalisation makes the same passphrase typed on different keyboards (composed or
    decomposed accents) derive the same key; the JavaScript side does `normalize("NFC")`.
    """
    params.check()
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return nacl.pwhash.argon2id.kdf(
        KEY_BYTES, secret, params.salt, opslimit=params.opslimit, memlimit=params.memlimit
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SubKeys:
    """`auth_key` goes to the server as the login proof; `wrap_key` never leaves the client."""

    auth_key: bytes
    wrap_key: bytes


def derive_subkeys(master: bytes) -> SubKeys:
    check_len("master", master, KEY_BYTES)
    return SubKeys(
        auth_key=keyed_blake2b(master, b"rugzak/v1/auth"),
        wrap_key=keyed_blake2b(master, b"rugzak/v1/wrap"),
    )


def hash_auth_key(auth_key: bytes) -> str:
    """Server side: an Argon2id string hash (interactive limits) of the client's login proof."""
    check_len("auth_key", auth_key, KEY_BYTES)
    hashed = nacl.pwhash.argon2id.str(
        auth_key, opslimit=AUTH_HASH_OPSLIMIT, memlimit=AUTH_HASH_MEMLIMIT
    )
    return hashed.decode("ascii")


def verify_auth_key(stored: str, auth_key: bytes) -> bool:
    """Constant-time check by libsodium; a mismatch is `False`, never an exception."""
    if not stored.isascii() or not stored.startswith("$argon2id$"):
        raise MalformedError("stored auth hash is not an Argon2id string")
    try:
        return nacl.pwhash.argon2id.verify(stored.encode("ascii"), auth_key)
    except nacl.exceptions.InvalidkeyError:
        return False


def format_recovery_code(code: bytes) -> str:
    """RFC 4648 base32 without padding (26 characters), in groups of four joined by `-`."""
    check_len("recovery code", code, RECOVERY_BYTES)
    text = base64.b32encode(code).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def new_recovery_code() -> str:
    return format_recovery_code(nacl.utils.random(RECOVERY_BYTES))


def parse_recovery_code(text: str) -> bytes:
    """Tolerates case, spaces and dashes, and digits that look like base32 letters (0, 1, 8)."""
    if not isinstance(text, str):
        raise MalformedError("recovery code must be text")
    cleaned = text.upper().translate(_LOOKALIKES)
    if not _B32.fullmatch(cleaned):
        raise MalformedError("recovery code must be 26 base32 characters")
    code = base64.b32decode(cleaned + "=" * 6)
    if base64.b32encode(code).decode("ascii").rstrip("=") != cleaned:
        raise MalformedError("recovery code has a wrong last character")
    return code


def recovery_subkeys(code: bytes) -> SubKeys:
    """Sub-keys straight from the code: 128 uniformly random bits need no Argon2 stretching."""
    check_len("recovery code", code, RECOVERY_BYTES)
    return SubKeys(
        auth_key=keyed_blake2b(code, b"rugzak/v1/recovery-auth"),
        wrap_key=keyed_blake2b(code, b"rugzak/v1/recovery-wrap"),
    )
