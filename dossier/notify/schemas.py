"""Wire shapes of notifications: metadata only."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec


class NoticeOut(msgspec.Struct):
    kind: str
    dossier_id: str | None
    section: str | None
    at: dt.datetime


class Unread(msgspec.Struct):
    count: int
    notices: list[NoticeOut]


class MarkRead(msgspec.Struct, forbid_unknown_fields=True):
    """No fields: everything ("alles gelezen"); a dossier, or a section of it."""

    dossier_id: str | None = None
    section: Annotated[str, msgspec.Meta(max_length=32)] | None = None


class Marked(msgspec.Struct):
    marked: int


class MailIn(msgspec.Struct, forbid_unknown_fields=True):
    address: Annotated[str, msgspec.Meta(min_length=3, max_length=254)]


class MailMode(msgspec.Struct, forbid_unknown_fields=True):
    mode: Literal["direct", "daily", "never"]


class MailOut(msgspec.Struct):
    """`address` is null when none is set."""

    address: str | None
    confirmed: bool = False
    mode: Literal["direct", "daily", "never"] = "direct"


class Confirm(msgspec.Struct, forbid_unknown_fields=True):
    token: Annotated[str, msgspec.Meta(min_length=16, max_length=128)]


class PushKey(msgspec.Struct):
    public_key: str


class PushKeys(msgspec.Struct):
    p256dh: Annotated[str, msgspec.Meta(max_length=128)]
    auth: Annotated[str, msgspec.Meta(max_length=64)]


class PushSubscriptionIn(msgspec.Struct):
    """The browser's `PushSubscription.toJSON()` (`expirationTime` is ignored)."""

    endpoint: Annotated[str, msgspec.Meta(min_length=8, max_length=2000)]
    keys: PushKeys
    expirationTime: int | None = None  # noqa: N815  (the browser's own field name)


class PushEndpoint(msgspec.Struct, forbid_unknown_fields=True):
    endpoint: Annotated[str, msgspec.Meta(min_length=8, max_length=2000)]
