"""Wire shapes of the account API, shared by the server and the Python client.

Binary values are unpadded base64url strings; crypto structures travel as their `to_json()`
dictionaries and are validated by `dossier.crypto` on arrival.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import msgspec

AccountKind = Literal["youth", "professional"]
Username = msgspec.Meta(min_length=3, max_length=32, pattern=r"^[a-z0-9][a-z0-9._-]*$")
B64 = msgspec.Meta(max_length=512, pattern=r"^[A-Za-z0-9_-]*$")


class SignUp(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    username: str
    kind: AccountKind
    kdf: dict[str, Any]
    auth_key: str
    recovery_auth_key: str
    bundle: dict[str, Any]
    recovery_bundle: dict[str, Any]
    identity: dict[str, Any]
    birth_date: dt.date | None = None


class KdfParamsOut(msgspec.Struct):
    kdf: dict[str, Any]


class Login(msgspec.Struct, forbid_unknown_fields=True):
    username: str
    auth_key: str


class AccountOut(msgspec.Struct):
    id: str
    username: str
    kind: AccountKind
    identity: dict[str, Any]
    dossier_id: str | None


class LoginOut(msgspec.Struct):
    token: str
    session_id: str
    expires_at: dt.datetime
    account: AccountOut
    bundle: dict[str, Any]


class KeyBundleOut(msgspec.Struct):
    """The sealed key bundle and the KDF parameters to open it with a passphrase."""

    account: AccountOut
    kdf: dict[str, Any]
    bundle: dict[str, Any]


class RecoveryOpen(msgspec.Struct, forbid_unknown_fields=True):
    username: str
    recovery_auth_key: str


class RecoveryBundleOut(msgspec.Struct):
    account_id: str
    recovery_bundle: dict[str, Any]


class Recover(msgspec.Struct, forbid_unknown_fields=True):
    """Set a new passphrase with the recovery code: new KDF salt, new login proof, and the
    key bundle re-sealed under the new wrap key, all in one transaction."""

    username: str
    recovery_auth_key: str
    kdf: dict[str, Any]
    auth_key: str
    bundle: dict[str, Any]


class PassphraseChange(msgspec.Struct, forbid_unknown_fields=True):
    auth_key: str
    new_kdf: dict[str, Any]
    new_auth_key: str
    new_bundle: dict[str, Any]


class DeleteAccount(msgspec.Struct, forbid_unknown_fields=True):
    auth_key: str


class SessionOut(msgspec.Struct):
    id: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime
    user_agent: str
    current: bool
