"""Factories shared by the crypto tests (plain functions, real keys); holds no tests itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dossier import crypto as c

DOSSIER = "dossier-1"
SECTION = "notities"


@dataclass
class World:
    owner: c.Identity
    coach: c.Identity
    section: c.SectionKeyPair
    section_key: c.SignedSectionKey


def world(section: str = SECTION, version: int = 1) -> World:
    owner = c.Identity.generate()
    pair = c.SectionKeyPair.generate()
    signed = c.sign_section_key(owner, DOSSIER, section, version, pair.pk)
    return World(owner, c.Identity.generate(), pair, signed)


def entry(w: World, body: dict[str, Any] | None = None, **kw: Any) -> c.SealedEntry:
    args: dict[str, Any] = {
        "dossier": DOSSIER,
        "section": w.section_key.section,
        "entry": "entry-1",
        "version": 1,
        "author_id": "coach-1",
        "author": w.coach,
        "section_key": w.section_key,
    }
    args.update(kw)
    return c.seal_entry({"text": "hallo"} if body is None else body, **args)


def expect(section: str = SECTION, **kw: Any) -> dict[str, Any]:
    return {"dossier": DOSSIER, "section": section, "entry": "entry-1", **kw}


def receipt(w: World, keys: c.Identity, **kw: Any) -> c.ConsentReceipt:
    fields: dict[str, Any] = {
        "grant": "grant-1",
        "dossier": DOSSIER,
        "section": SECTION,
        "grantee": "coach-1",
        "grantee_key_fingerprint": keys.public.fingerprint(),
        "permissions": ["append", "read"],
        "purpose": "begeleiding",
        "issued_at": "2025-01-01T00:00:00Z",
        "expires_at": "2026-01-01T00:00:00Z",
        "key_version": 1,
    }
    fields.update(kw)
    return c.sign_receipt(w.owner, **fields)
