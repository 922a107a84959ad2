"""Wire shapes of the recovery API (binary values as unpadded base64url)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from consent.log.schemas import LogEventOut


class ShareIn(msgspec.Struct, forbid_unknown_fields=True):
    contact: str
    sealed: str


class SetupIn(msgspec.Struct, forbid_unknown_fields=True):
    """Made by the youth's device: the signed record, the server's share, the bundle copy
    under the recovery key, and the contact share sealed to each contact."""

    setup: dict[str, Any]
    server_share: str
    bundle: dict[str, Any]
    shares: list[ShareIn]


class ContactOut(msgspec.Struct):
    account: str
    fingerprint: str
    revoked: bool


class RequestOut(msgspec.Struct):
    id: str
    state: str
    started_at: dt.datetime
    not_before: dt.datetime
    approved: bool


class SetupOut(msgspec.Struct):
    setup: dict[str, Any] | None
    wait_seconds: int | None
    stale: bool
    contacts: list[ContactOut]
    requests: list[RequestOut]
    code_checked_at: dt.datetime | None
    code_check_due: bool


class ReceiptOut(msgspec.Struct):
    """Every step's answer: the access-log event it made (hash-chained, the owner's
    checkpoints pin it), or null when the youth has no dossier."""

    receipt: LogEventOut | None


class StartIn(msgspec.Struct, forbid_unknown_fields=True):
    username: str
    device_pk: str


class StartOut(msgspec.Struct):
    id: str
    token: str
    not_before: dt.datetime


class DeviceStatusOut(msgspec.Struct):
    id: str
    state: str
    not_before: dt.datetime
    now: dt.datetime
    challenge: str | None
    approved: bool


class ContactIdentity(msgspec.Struct):
    account: str
    identity: dict[str, Any]


class ReleaseOut(msgspec.Struct):
    account_id: str
    username: str
    identity: dict[str, Any]
    setup: dict[str, Any]
    server_share: str
    bundle: dict[str, Any]
    resealed: str
    contacts: list[ContactIdentity]


class CompleteIn(msgspec.Struct, forbid_unknown_fields=True):
    """New passphrase, new recovery code and (when a contact is left) a rotated setup."""

    kdf: dict[str, Any]
    auth_key: str
    bundle: dict[str, Any]
    recovery_auth_key: str
    recovery_bundle: dict[str, Any]
    setup: SetupIn | None = None


class HelpOut(msgspec.Struct):
    """A waiting request as a contact sees it; the contact's app checks `setup` against the
    youth's key before it re-seals `sealed`."""

    id: str
    youth: str
    youth_identity: dict[str, Any]
    device_pk: str
    setup: dict[str, Any]
    sealed: str
    started_at: dt.datetime
    not_before: dt.datetime
    challenge: str | None
    approved: bool


class ChallengeIn(msgspec.Struct, forbid_unknown_fields=True):
    challenge: str


class ApproveIn(msgspec.Struct, forbid_unknown_fields=True):
    challenge: str
    resealed: str


class CodeOut(msgspec.Struct):
    recovery_bundle: dict[str, Any]
    checked_at: dt.datetime | None
    due: bool


class NewCodeIn(msgspec.Struct, forbid_unknown_fields=True):
    auth_key: str
    recovery_auth_key: str
    recovery_bundle: dict[str, Any]
