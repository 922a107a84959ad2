"""Section manifests: the owner's signed list of what a section holds, so the server cannot
plant, withhold or roll back entries unnoticed (docs/crypto.md, "Section manifests").

The owner's client signs `{kind: "manifest", dossier, section, seq, at, entries, ends}`
(purpose `statement`) whenever it has opened the section and found it differs from the newest
manifest; `entries` maps every entry id to the latest version it saw and the SHA-256 of that
version's author signature; `ends` maps each grant id whose signed end the device knows to
that end's time, so the server cannot withhold a grant end from a reader holding the manifest.
Readers check what the server shows against the newest manifest:

- a listed entry that is missing, or shown at an older version, is withheld (`withheld`);
- a shown version that the manifest does not list (a new entry, or a later version of a listed
  one) is accepted only when its signed `at` is no earlier than the manifest's `at` minus
  `GRACE`; otherwise it was planted or backdated (`UnlistedEntry`);
- a shown version at the listed version number with another signature hash is `TamperedError`.

`GRACE` (10 minutes) is twice the server's clock-skew window: an honest entry the owner's
device had not yet seen when it signed carries an `at` at most that far before the manifest.
A device keeps the highest `seq` it has seen per section and refuses a lower one (rollback).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from dossier.crypto.encoding import (
    MAX_SAFE_INT,
    b64e,
    format_time,
    get_bytes,
    get_int,
    get_str,
    parse_time,
    sha256,
)
from dossier.crypto.entries import SealedEntry
from dossier.crypto.errors import MalformedError, TamperedError
from dossier.crypto.identity import Identity
from dossier.crypto.statements import sign_statement, verify_statement

MANIFEST: Final = "manifest"
GRACE: Final = timedelta(minutes=10)
_FIELDS: Final = frozenset({"kind", "dossier", "section", "seq", "at", "entries", "ends"})
_HASH_BYTES: Final = 32


class UnlistedEntry(TamperedError):
    """A version the newest manifest does not list, signed well before it: planted or
    backdated."""

    def __init__(self, message: str = "entry is not in the owner's manifest") -> None:
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Manifest:
    dossier: str
    section: str
    seq: int
    at: datetime
    entries: dict[str, tuple[int, bytes]]
    # grant id -> the end of that grant, as the owner's device knew it (never dropped)
    ends: dict[str, datetime]


def listing(entry: SealedEntry) -> dict[str, Any]:
    """How a manifest lists one entry version."""
    return {"version": entry.version, "signature_sha256": b64e(sha256(entry.signature))}


def sign_manifest(
    owner: Identity,
    *,
    dossier: str,
    section: str,
    seq: int,
    at: datetime | str,
    entries: Iterable[SealedEntry],
    ends: Mapping[str, datetime | str] | None = None,
) -> dict[str, Any]:
    """The owner's manifest of the latest version of each of `entries` (verified by the
    caller) and of the grant ends (grant id -> end time) her device knows."""
    listed: dict[str, Any] = {}
    for entry in entries:
        if (entry.dossier, entry.section) != (dossier, section):
            raise MalformedError("entry of another section")
        if entry.entry in listed and listed[entry.entry]["version"] >= entry.version:
            continue
        listed[entry.entry] = listing(entry)
    fields = {"kind": MANIFEST, "dossier": dossier, "section": section, "seq": seq}
    ended = {grant: format_time(when) for grant, when in (ends or {}).items()}
    return sign_statement(
        owner, {**fields, "at": format_time(at), "entries": listed, "ends": ended}
    )


def verify_manifest(
    statement: Mapping[str, Any], owner_sign_pk: bytes, *, dossier: str, section: str
) -> Manifest:
    """Order: `v`, the signature (`TamperedError`), then the fields (`MalformedError`)."""
    fields = verify_statement(statement, owner_sign_pk)
    if set(fields) != _FIELDS or fields.get("kind") != MANIFEST:
        raise MalformedError("not a manifest")
    if (fields.get("dossier"), fields.get("section")) != (dossier, section):
        raise MalformedError("the manifest is of another section")
    seq = get_int(fields, "seq")
    if not 1 <= seq <= MAX_SAFE_INT:
        raise MalformedError("seq: expected a positive integer")
    raw = fields.get("entries")
    if not isinstance(raw, Mapping):
        raise MalformedError("entries: expected an object")
    entries: dict[str, tuple[int, bytes]] = {}
    for entry_id, item in raw.items():
        if not isinstance(item, Mapping) or set(item) != {"version", "signature_sha256"}:
            raise MalformedError("entries: expected {version, signature_sha256}")
        version = get_int(item, "version")
        if version < 1:
            raise MalformedError("version: expected a positive integer")
        entries[entry_id] = (version, get_bytes(item, "signature_sha256", _HASH_BYTES))
    raw_ends = fields.get("ends")
    if not isinstance(raw_ends, Mapping):
        raise MalformedError("ends: expected an object")
    ends = {grant: parse_time(when) for grant, when in raw_ends.items()}
    return Manifest(dossier, section, seq, parse_time(get_str(fields, "at")), entries, ends)


def check_listed(manifest: Manifest, entry: SealedEntry) -> None:
    """Accept one shown version against the manifest, or raise (see the module docstring)."""
    listed = manifest.entries.get(entry.entry)
    if listed is not None and entry.version <= listed[0]:
        if entry.version == listed[0] and not hmac.compare_digest(
            sha256(entry.signature), listed[1]
        ):
            raise TamperedError("another version than the owner's manifest lists")
        return
    if parse_time(entry.at) < manifest.at - GRACE:
        raise UnlistedEntry


def withheld(manifest: Manifest, shown: Mapping[str, int]) -> list[str]:
    """Listed entries the server does not show, or shows at an older version than listed
    (`shown`: entry id -> latest version shown). Sorted."""
    return sorted(
        entry_id
        for entry_id, (version, _) in manifest.entries.items()
        if shown.get(entry_id, 0) < version
    )
