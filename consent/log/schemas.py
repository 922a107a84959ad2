"""Wire shapes of the access-log API, shared by the server and the Python client. Bytes travel
as unpadded base64url; an event carries exactly the fields the hash chain covers, plus its
`hash`, so the owner's client can recompute every link."""

from __future__ import annotations

import datetime as dt

import msgspec


class LogEventOut(msgspec.Struct):
    seq: int
    dossier: str
    actor: str
    action: str
    section: str | None
    at: str
    prev_hash: str
    hash: str


class CheckpointIn(msgspec.Struct, forbid_unknown_fields=True):
    """A checkpoint signed by the owner (`dossier.crypto.Checkpoint.to_json()`)."""

    v: int
    dossier: str
    seq: int
    hash: str
    signature: str


class CheckpointOut(msgspec.Struct):
    v: int
    dossier: str
    seq: int
    hash: str
    signature: str
    created_at: dt.datetime


class LogPage(msgspec.Struct):
    """Events with `seq > after`, oldest first, at most `limit` of them. `next` is the `after`
    to ask for the following page, or null at the end of the log. `checkpoint` is the newest
    checkpoint the server stores (null before the first one)."""

    events: list[LogEventOut]
    checkpoint: CheckpointOut | None
    next: int | None
