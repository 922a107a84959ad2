"""Scripted randomness for the vector generator and the tests that replay its vectors; never
imported by `dossier.crypto` (issue 19).

Production code draws every random value straight from libsodium: `nacl.utils.random` for
keys, nonces and salts, `crypto_box_seal` for the ephemeral key of a sealed box, and
`crypto_secretstream_xchacha20poly1305_init_push` for a document stream's header. Inside
`scripted(values)` those three calls are replaced, for the calling thread only, by versions
that take the listed values in order, so every random draw of a vector is an explicit input:

- `nacl.utils.random(n)` returns the next value (which must have `n` bytes);
- `crypto_box_seal(m, pk)` is built from libsodium primitives exactly as libsodium builds it,
  with the ephemeral keypair from the next value as seed:
  `epk, esk = crypto_box_seed_keypair(seed)`, `nonce = BLAKE2b-192(epk || pk)`,
  `epk || crypto_box(m, nonce, pk, esk)`; the real `crypto_box_seal_open` opens it;
- `init_push(state, key)` takes the next value as the header and initialises the state with
  `init_pull(state, header, key)`: libsodium's push and pull states are the same structure,
  initialised the same way, so this is the stream `init_push` would have made.

Other threads (a live test server in the same process) keep the real functions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock

import nacl.bindings
import nacl.encoding
import nacl.hash
import nacl.utils

_SEED_BYTES = 32
_HEADER_BYTES = nacl.bindings.crypto_secretstream_xchacha20poly1305_HEADERBYTES


class _Script:
    def __init__(self, values: Iterable[bytes]) -> None:
        self.values = list(values)
        self.thread = threading.get_ident()

    def draw(self, size: int) -> bytes:
        if not self.values:
            raise AssertionError("scripted randomness exhausted")
        value = self.values.pop(0)
        if len(value) != size:
            raise AssertionError(f"scripted value has {len(value)} bytes, {size} were drawn")
        return value


def _here(script: _Script, real: Callable[..., Any], fake: Callable[..., Any]) -> Any:
    def call(*args: Any) -> Any:
        if threading.get_ident() == script.thread:
            return fake(*args)
        return real(*args)

    return call


@contextmanager
def scripted(values: Iterable[bytes]) -> Iterator[None]:
    """Replay `values` as the random draws inside the block; every value must be used."""
    script = _Script(values)
    random, box_seal = nacl.utils.random, nacl.bindings.crypto_box_seal
    init_push = nacl.bindings.crypto_secretstream_xchacha20poly1305_init_push

    def seal(message: bytes, pk: bytes) -> bytes:
        epk, esk = nacl.bindings.crypto_box_seed_keypair(script.draw(_SEED_BYTES))
        nonce = nacl.hash.blake2b(epk + pk, digest_size=24, encoder=nacl.encoding.RawEncoder)
        return bytes(epk + nacl.bindings.crypto_box(message, nonce, pk, esk))

    def push(state: Any, key: bytes) -> bytes:
        header = script.draw(_HEADER_BYTES)
        nacl.bindings.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
        return header

    with ExitStack() as stack:
        stack.enter_context(
            mock.patch.object(nacl.utils, "random", _here(script, random, script.draw))
        )
        stack.enter_context(
            mock.patch.object(nacl.bindings, "crypto_box_seal", _here(script, box_seal, seal))
        )
        stack.enter_context(
            mock.patch.object(
                nacl.bindings,
                "crypto_secretstream_xchacha20poly1305_init_push",
                _here(script, init_push, push),
            )
        )
        yield
    if script.values:
        raise AssertionError(f"{len(script.values)} scripted values were not drawn")
