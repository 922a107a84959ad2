"""Wire shapes of the dossier API, shared by the server and the Python client."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec


class NewSection(msgspec.Struct, forbid_unknown_fields=True):
    key: str
    signed_key: dict[str, Any]
    owner_sealed_sk: str


class NewDossier(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    sections: list[NewSection]


class SectionGrant(msgspec.Struct):
    """A grant of the caller on this section, with its envelope (read) to open the key."""

    id: str
    grantee_kind: str
    grantee_id: str
    permissions: list[str]
    expires_at: dt.datetime
    envelope: str | None
    envelope_key_version: int | None
    receipt: dict[str, Any]


class SectionOut(msgspec.Struct):
    key: str
    key_version: int
    signed_key: dict[str, Any]
    entries: int
    size: int
    owner_sealed_sk: str | None = None
    grants: list[SectionGrant] = msgspec.field(default_factory=list)


class DossierOut(msgspec.Struct):
    id: str
    owner_id: str
    owner_identity: dict[str, Any]
    sections: list[SectionOut]


class EntryOut(msgspec.Struct):
    """`first`: in a list of latest versions, the first version of an entry that has later
    ones; a reader accepts the later version only from the same author (issue 19)."""

    entry: msgspec.Raw
    created_at: dt.datetime
    has_blob: bool = False
    first: msgspec.Raw | None = None


class EntryList(msgspec.Struct):
    section: str
    key_version: int
    entries: list[EntryOut]
    # The owner's newest signed manifest (crypto.verify_manifest), or None before the first.
    manifest: dict[str, Any] | None = None
