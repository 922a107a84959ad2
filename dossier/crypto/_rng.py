"""The single source of randomness, with a private scripted mode for the vector generator.

Production code always draws from `nacl.utils.random` (the OS CSPRNG via libsodium). Only
`dossier.vectors` (and the tests that replay its vectors) enters `scripted`, which hands out
the listed values in order so that every nonce, ephemeral key and stream header of a vector is
an explicit input. The mode lives in a context variable, so it can never leak into another
thread or task, and there is deliberately no public keyword argument that accepts a nonce.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import nacl.utils

_script: ContextVar[list[bytes] | None] = ContextVar("rugzak_crypto_script", default=None)


def random_bytes(size: int) -> bytes:
    script = _script.get()
    if script is None:
        return nacl.utils.random(size)
    if not script:
        raise AssertionError("scripted randomness exhausted")
    value = script.pop(0)
    if len(value) != size:
        raise AssertionError(f"scripted value has {len(value)} bytes, {size} were drawn")
    return value


def is_scripted() -> bool:
    return _script.get() is not None


@contextmanager
def scripted(values: Iterable[bytes]) -> Iterator[None]:
    """Replay `values` as the random draws inside the block; every value must be used."""
    script = list(values)
    token = _script.set(script)
    try:
        yield
    finally:
        _script.reset(token)
    if script:
        raise AssertionError(f"{len(script)} scripted values were not drawn")
