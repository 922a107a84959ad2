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
