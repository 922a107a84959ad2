"""Shared helpers of the vector generators: fixed pseudo-random values and identities, the
scripted-randomness hook, and the case constructors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import nacl.encoding
import nacl.hash
import nacl.public

from dossier import crypto as c
from dossier.vectors import _rng

Case = dict[str, Any]
Json = dict[str, Any]
Keys = dict[str, str]


def det(label: str, size: int = 32) -> bytes:
    """A fixed pseudo-random value per label, so that the vectors never change."""
    return nacl.hash.blake2b(
        label.encode(),
        digest_size=size,
        key=b"rugzak/v1/test-vectors",
        encoder=nacl.encoding.RawEncoder,
    )


def e(data: bytes) -> str:
    return c.b64e(data)


def sha256(data: bytes) -> bytes:
    return nacl.hash.sha256(data, encoder=nacl.encoding.RawEncoder)


def flip(text: str, index: int = -1) -> str:
    data = bytearray(c.b64d(text))
    data[index] ^= 0x01
    return e(bytes(data))


def ident(label: str) -> tuple[c.Identity, Keys]:
    identity = c.Identity.from_secret(det(label + "/box") + det(label + "/sign"))
    public = identity.public
    return identity, {
        "box_sk": e(bytes(identity.box)),
        "sign_seed": e(bytes(identity.sign)),
        "box_pk": e(public.box_pk),
        "sign_pk": e(public.sign_pk),
    }


def pub(j: Keys) -> Json:
    return {"v": c.VERSION, "box_pk": j["box_pk"], "sign_pk": j["sign_pk"]}


def section_key(
    owner: c.Identity, dossier: str, section: str, version: int
) -> tuple[bytes, c.SignedSectionKey]:
    sk = det(f"section/{dossier}/{section}/{version}")
    pk = c.SectionKeyPair(nacl.public.PrivateKey(sk)).pk
    return sk, c.sign_section_key(owner, dossier, section, version, pk)


def ok(name: str, op: str, inputs: Json, expected: Json) -> Case:
    return {"name": name, "op": op, "inputs": inputs, "expected": expected}


def bad(name: str, op: str, inputs: Json, error: str, reason: str | None = None) -> Case:
    """A negative case; `reason`, when given, is text the error's message must contain (for
    rules whose refusal names itself in both implementations)."""
    case: Case = {"name": name, "op": op, "inputs": inputs, "error": error}
    if reason is not None:
        case["reason"] = reason
    return case


def with_(d: Json, **changes: Any) -> Json:
    return {**d, **changes}


@contextmanager
def script(*values: bytes) -> Iterator[None]:
    with _rng.scripted(values):
        yield
