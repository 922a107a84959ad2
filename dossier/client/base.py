"""State every part of the client shares: the HTTP API, the unlocked account, what this
device has pinned and seen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Self

import httpx

from dossier import crypto
from dossier.client.api import Api


@dataclass
class Unlocked:
    account_id: str
    username: str
    kind: str
    identity: crypto.Identity
    dossier_id: str | None
    session_id: str


class ClientBase:
    def __init__(self, base_url: str, http: httpx.Client | None = None) -> None:
        self.api = Api(base_url, http)
        self.me: Unlocked | None = None
        self._challenges: dict[str, bytes] = {}
        self.forget()

    def close(self) -> None:
        self.api.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def forget(self) -> None:
        """Drop everything this device remembered about other parties and versions."""
        self._seen: dict[str, int] = {}
        self._pinned: dict[str, crypto.PublicIdentity] = {}
        # (dossier, section) -> highest manifest seq seen (dossier/client/manifests.py)
        self._manifest_seq: dict[tuple[str, str], int] = {}
        # (dossier, section) -> grant id -> end time this device signed (GrantsClient.sign_ends)
        self._ends_signed: dict[tuple[str, str], dict[str, dt.datetime]] = {}

    def unlocked(self) -> Unlocked:
        if self.me is None:
            raise RuntimeError("log in first")
        return self.me

    def _kdf_params(self, username: str) -> crypto.KdfParams:
        data = self.api.call("GET", "/api/v1/auth/params", params={"username": username})
        params = crypto.KdfParams.from_json(data["kdf"])
        params.check()  # a client never derives with weaker parameters than DESIGN.md §4
        return params

    def _login_with(self, username: str, auth_key: bytes, wrap_key: bytes) -> None:
        data = self.api.call(
            "POST",
            "/api/v1/auth/login",
            json={"username": username, "auth_key": crypto.b64e(auth_key)},
        )
        account = data["account"]
        identity = crypto.open_bundle(
            crypto.SealedBundle.from_json(data["bundle"]), wrap_key, account["id"]
        )
        if identity.public != crypto.PublicIdentity.from_json(account["identity"]):
            raise crypto.TamperedError("server's public identity does not match the bundle")
        self.api.token = data["token"]
        self.me = Unlocked(
            account_id=account["id"],
            username=account["username"],
            kind=account["kind"],
            identity=identity,
            dossier_id=account["dossier_id"],
            session_id=data["session_id"],
        )
