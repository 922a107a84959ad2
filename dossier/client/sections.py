"""Reading and writing entries. Every section key is checked against the owner's signature
before anything is sealed to it; every entry is checked (author authorised, signature,
place, version) before it is opened."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from nacl.public import PrivateKey

from dossier import crypto
from dossier.client.api import RollbackError
from dossier.client.base import ClientBase


@dataclass(frozen=True)
class SectionView:
    dossier: str
    key: str
    key_version: int
    signed_key: crypto.SignedSectionKey
    private_key: PrivateKey | None
    owner_id: str
    owner: crypto.PublicIdentity


@dataclass(frozen=True)
class Opened:
    entry: str
    version: int
    author: str
    body: dict[str, Any]
    created_at: dt.datetime
    has_blob: bool


class SectionsClient(ClientBase):
    def _dossier_id(self, dossier_id: str | None) -> str:
        found = dossier_id or self.unlocked().dossier_id
        if found is None:
            raise RuntimeError("this account has no dossier")
        return found

    def owner_identity(self, owner_id: str, claimed: dict[str, Any]) -> crypto.PublicIdentity:
        """The owner's identity as this client trusts it: our own, or one pinned when the
        fingerprints were compared. The server's copy is only accepted when it matches."""
        me = self.unlocked()
        if owner_id == me.account_id:
            trusted = me.identity.public
        elif owner_id in self._pinned:
            trusted = self._pinned[owner_id]
        else:
            raise crypto.TamperedError("owner identity is not pinned on this device")
        if crypto.PublicIdentity.from_json(claimed) != trusted:
            raise crypto.TamperedError("server shows another identity for the owner")
        return trusted

    def pin(self, account_id: str, identity: crypto.PublicIdentity) -> None:
        self._pinned[account_id] = identity

    def dossier(self, dossier_id: str | None = None) -> dict[str, Any]:
        return dict(self.api.call("GET", f"/api/v1/dossiers/{self._dossier_id(dossier_id)}"))

    def section(self, key: str, dossier_id: str | None = None) -> SectionView:
        data = self.dossier(dossier_id)
        owner = self.owner_identity(data["owner_id"], data["owner_identity"])
        for section in data["sections"]:
            if section["key"] != key:
                continue
            signed = crypto.SignedSectionKey.from_json(section["signed_key"])
            signed.verify(owner.sign_pk)
            if (signed.dossier, signed.section, signed.version) != (
                data["id"],
                key,
                section["key_version"],
            ):
                raise crypto.TamperedError("section key names another place or version")
            return SectionView(
                dossier=data["id"],
                key=key,
                key_version=signed.version,
                signed_key=signed,
                private_key=self._section_private_key(section),
                owner_id=data["owner_id"],
                owner=owner,
            )
        raise KeyError(key)

    def _section_private_key(self, section: dict[str, Any]) -> PrivateKey | None:
        sealed = section.get("owner_sealed_sk")
        if not sealed:
            return None
        return PrivateKey(crypto.open_sealed(self.unlocked().identity.box, crypto.b64d(sealed)))

    def _next_version(self, view: SectionView, entry_id: str) -> int:
        path = f"/api/v1/dossiers/{view.dossier}/sections/{view.key}/entries/{entry_id}/versions"
        versions = self.api.call("GET", path)
        return max(int(v["entry"]["version"]) for v in versions) + 1

    def write(
        self,
        section: str,
        body: dict[str, Any],
        *,
        entry_id: str | None = None,
        dossier_id: str | None = None,
    ) -> str:
        """Seal `body` as a new entry, or as the next version of `entry_id`."""
        me = self.unlocked()
        view = self.section(section, dossier_id)
        version = 1 if entry_id is None else self._next_version(view, entry_id)
        entry_id = entry_id or str(uuid.uuid4())
        sealed = crypto.seal_entry(
            body,
            dossier=view.dossier,
            section=section,
            entry=entry_id,
            version=version,
            author_id=me.account_id,
            author=me.identity,
            section_key=view.signed_key,
        )
        path = f"/api/v1/dossiers/{view.dossier}/sections/{section}/entries"
        self.api.call("POST", path, json=sealed.to_json())
        self._seen[entry_id] = version
        return entry_id

    def receipts(
        self, view: SectionView
    ) -> list[tuple[crypto.ConsentReceipt, crypto.PublicIdentity]]:
        """Owner-signed append receipts for this section (filled in by the consent engine)."""
        del view
        return []

    def open(
        self, view: SectionView, item: dict[str, Any], *, latest: bool = True
    ) -> tuple[Opened, bytes]:
        """Verify and open one listed entry; returns it with its data key. For the latest
        version, refuse one older than this device has already seen (rollback)."""
        sealed = crypto.SealedEntry.from_json(item["entry"])
        created = dt.datetime.fromisoformat(item["created_at"])
        signer = crypto.authorised_signer(
            sealed.author,
            created,
            dossier=view.dossier,
            section=view.key,
            owner_id=view.owner_id,
            owner=view.owner,
            receipts=self.receipts(view),
        )
        if view.private_key is None:
            raise crypto.TamperedError("no key for this section")
        body, data_key = crypto.open_entry_and_key(
            sealed,
            box_key=view.private_key,
            author_sign_pk=signer.sign_pk,
            owner_sign_pk=view.owner.sign_pk,
            dossier=view.dossier,
            section=view.key,
            entry=sealed.entry,
        )
        if latest:
            if sealed.version < self._seen.get(sealed.entry, 0):
                raise RollbackError("server shows an older version than this device has seen")
            self._seen[sealed.entry] = sealed.version
        opened = Opened(
            entry=sealed.entry,
            version=sealed.version,
            author=sealed.author,
            body=body,
            created_at=created,
            has_blob=bool(item.get("has_blob")),
        )
        return opened, data_key

    def entries(self, section: str, dossier_id: str | None = None) -> list[Opened]:
        view = self.section(section, dossier_id)
        data = self.api.call("GET", f"/api/v1/dossiers/{view.dossier}/sections/{section}/entries")
        return [self.open(view, item)[0] for item in data["entries"]]

    def history(self, section: str, entry_id: str, dossier_id: str | None = None) -> list[Opened]:
        view = self.section(section, dossier_id)
        path = f"/api/v1/dossiers/{view.dossier}/sections/{section}/entries/{entry_id}/versions"
        versions = self.api.call("GET", path)
        ordered = sorted(versions, key=lambda v: v["entry"]["version"])
        return [self.open(view, item, latest=False)[0] for item in ordered]
