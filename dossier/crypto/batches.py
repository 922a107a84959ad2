"""Many short values sealed to one recipient in one go: a school's student names and groups.

A classic sealed box (`seal_to`) costs two X25519 operations per value. An import of 650
students seals 1,300 values, so here one ephemeral key pair is made per batch, the shared key
`k = crypto_box_beforenm(recipient_pk, ephemeral_sk)` is computed once, and every value is
`crypto_box_easy_afternm(value, nonce, k)` with its own random 24-byte nonce. Every value stays
self-contained, so the server stores it as before (one opaque column):

    0x02 (the wire-format version) | ephemeral pk (32) | nonce (24) | MAC (16) | ciphertext

The opener computes `k` once per ephemeral public key (`ValueOpener` caches it), so opening a
whole import costs one X25519 operation instead of one or two per value. Values sealed before
this format (plain `crypto_box_seal`, which has no version byte) still open: a value whose
first byte is not 0x02, or which does not open as a batch value, is opened as a sealed box.
docs/crypto.md, "Batch-sealed values", says why this is as safe as a sealed box here.
"""

from __future__ import annotations

from typing import Final, Self

import nacl.bindings
import nacl.exceptions
import nacl.utils
from nacl.public import PrivateKey

from dossier.crypto.boxes import open_sealed
from dossier.crypto.encoding import VERSION, check_len
from dossier.crypto.errors import CryptoError
from dossier.crypto.identity import KEY_BYTES

NONCE_BYTES: Final = 24
MAC_BYTES: Final = 16
BATCH_OVERHEAD: Final = 1 + KEY_BYTES + NONCE_BYTES + MAC_BYTES  # 73


class BatchSealer:
    """Seals values to `recipient_box_pk` under one ephemeral key; `close()` (or the `with`
    block's end) forgets the ephemeral secret and the shared key."""

    def __init__(self, recipient_box_pk: bytes) -> None:
        check_len("recipient_box_pk", recipient_box_pk, KEY_BYTES)
        seed = nacl.utils.random(KEY_BYTES)
        public, secret = nacl.bindings.crypto_box_seed_keypair(seed)
        self._prefix: bytes = bytes([VERSION]) + public
        self._key: bytes | None = nacl.bindings.crypto_box_beforenm(recipient_box_pk, secret)

    def seal(self, value: bytes) -> bytes:
        if self._key is None:
            raise CryptoError("this batch is closed")
        nonce = nacl.utils.random(NONCE_BYTES)
        box = nacl.bindings.crypto_box_easy_afternm(value, nonce, self._key)
        return self._prefix + nonce + box

    def close(self) -> None:
        # Python cannot overwrite immutable bytes; dropping the only reference is what it has.
        self._key = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def seal_values(recipient_box_pk: bytes, values: list[bytes]) -> list[bytes]:
    """Every value of `values` sealed in one batch (one ephemeral key)."""
    with BatchSealer(recipient_box_pk) as sealer:
        return [sealer.seal(v) for v in values]


class ValueOpener:
    """Opens batch values and classic sealed boxes with `box_key`, computing the shared key
    once per ephemeral public key."""

    def __init__(self, box_key: PrivateKey) -> None:
        self._box_key = box_key
        self._secret = bytes(box_key)
        self._keys: dict[bytes, bytes] = {}

    def _shared(self, ephemeral_pk: bytes) -> bytes:
        key = self._keys.get(ephemeral_pk)
        if key is None:
            key = nacl.bindings.crypto_box_beforenm(ephemeral_pk, self._secret)
            self._keys[ephemeral_pk] = key
        return key

    def open(self, sealed: bytes) -> bytes:
        if len(sealed) >= BATCH_OVERHEAD and sealed[0] == VERSION:
            ephemeral_pk = sealed[1 : 1 + KEY_BYTES]
            nonce = sealed[1 + KEY_BYTES : 1 + KEY_BYTES + NONCE_BYTES]
            try:
                return bytes(
                    nacl.bindings.crypto_box_open_easy_afternm(
                        sealed[1 + KEY_BYTES + NONCE_BYTES :], nonce, self._shared(ephemeral_pk)
                    )
                )
            except nacl.exceptions.CryptoError:
                pass  # one in 256 classic sealed boxes starts with 0x02: try it as one
        return open_sealed(self._box_key, sealed)


def open_value(box_key: PrivateKey, sealed: bytes) -> bytes:
    """One value, batch or classic sealed box (`ValueOpener` for many)."""
    return ValueOpener(box_key).open(sealed)
