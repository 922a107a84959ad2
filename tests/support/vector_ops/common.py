"""What the vector ops share: base64url both ways and identities from a case's JSON."""

from __future__ import annotations

from typing import Any

from dossier import crypto as c

Inputs = dict[str, Any]


def d(text: str) -> bytes:
    return c.b64d(text)


def e(data: bytes) -> str:
    return c.b64e(data)


def identity(j: dict[str, str]) -> c.Identity:
    return c.Identity.from_secret(d(j["box_sk"]) + d(j["sign_seed"]))


def public(j: dict[str, Any]) -> c.PublicIdentity:
    return c.PublicIdentity.from_json(j)
