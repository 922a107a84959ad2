"""Reading and writing entries. Every section key is checked against the owner's signature
before anything is sealed to it; every entry is checked (author authorised, signature,
place, version) before it is opened."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from nacl.public import PrivateKey

from dossier import crypto
from dossier.client.api import RollbackError
from dossier.client.manifests import ManifestsClient
from dossier.sections.input import REMOVED, check_body, is_removed


@dataclass(frozen=True)
class SectionView:
    dossier: str
    key: str
    key_version: int
    signed_key: crypto.SignedSectionKey
    private_key: PrivateKey | None
    owner_id: str
    owner: crypto.PublicIdentity
    grants: tuple[dict[str, Any], ...] = ()


@dataclass
class Authors:
    receipts: list[tuple[crypto.ConsentReceipt, crypto.PublicIdentity]] = field(
        default_factory=list
    )
    member_of: dict[str, str] = field(default_factory=dict)
    identities: dict[str, crypto.PublicIdentity] = field(default_factory=dict)
    # grant id -> the owner's signed grant end as served; `authorised_signer` verifies it
    ends: dict[str, dict[str, Any]] = field(default_factory=dict)
    # grant id -> end time listed in the owner's verified section manifest
    listed_ends: dict[str, dt.datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class Opened:
    entry: str
    version: int
    author: str
    body: dict[str, Any]
    created_at: dt.datetime
    has_blob: bool

    @property
    def removed(self) -> bool:
        """This version is a tombstone: the entry was removed."""
        return is_removed(self.body)


class SectionsClient(ManifestsClient):
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
                private_key=self._section_private_key(section, signed, owner),
                owner_id=data["owner_id"],
                owner=owner,
                grants=tuple(section.get("grants", [])),
            )
        raise KeyError(f"section {key!r} is not shared with this account")

    def organisation_key(self, org_id: str) -> crypto.Identity:
        """The opened key of an organisation I am a member of (see PartiesClient)."""
        raise NotImplementedError(org_id)

    def _section_private_key(
        self, section: dict[str, Any], signed: crypto.SignedSectionKey, owner: crypto.PublicIdentity
    ) -> PrivateKey | None:
        """The owner's own copy, or a grantee's envelope; either way the key must match the
        owner-signed public key, and a grantee's receipt must be signed by the owner for my
        key (or my organisation's), before it is used."""
        me = self.unlocked()
        sealed = section.get("owner_sealed_sk")
        if sealed:
            key = PrivateKey(crypto.open_sealed(me.identity.box, crypto.b64d(sealed)))
        else:
            key = None
            for grant in section.get("grants", []):
                if grant.get("envelope") and grant["envelope_key_version"] == signed.version:
                    box = self._grantee_box(grant, owner)
                    key = crypto.open_grant_envelope(
                        crypto.b64d(grant["envelope"]), box, grant=grant["id"], section_key=signed
                    )
                    break
        if key is not None and bytes(key.public_key) != signed.pk:
            raise crypto.TamperedError("section key does not match the signed public key")
        return key

    def _grantee_box(self, grant: dict[str, Any], owner: crypto.PublicIdentity) -> PrivateKey:
        receipt = crypto.ConsentReceipt.from_json(grant["receipt"])
        receipt.verify(owner.sign_pk)
        if grant["grantee_kind"] == "organisation":
            identity = self.organisation_key(grant["grantee_id"])
        else:
            identity = self.unlocked().identity
        if (
            receipt.grantee != grant["grantee_id"]
            or receipt.grant != grant["id"]
            or (
                grant["grantee_kind"] == "person"
                and receipt.grantee_key_fingerprint != identity.public.fingerprint()
            )
        ):
            raise crypto.TamperedError("receipt is not for my key")
        return identity.box

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
        """Seal `body` as a new entry, or as the next version of `entry_id`. An empty or too
        long body is refused before anything is sealed or sent (`InputRefused`, with the field
        and a Dutch message): the server cannot see inside an entry to refuse it."""
        check_body(section, body)
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

    def remove(self, section: str, entry_id: str, *, dossier_id: str | None = None) -> str:
        """Remove a plan action or document: its next version is the tombstone `REMOVED`
        (earlier versions stay, as every version does; readers show it as removed)."""
        return self.write(section, dict(REMOVED), entry_id=entry_id, dossier_id=dossier_id)

    def authors(self, view: SectionView) -> Authors:
        """Who may have written here: owner-signed append receipts with the grantee's key
        (one whose fingerprint the receipt names), and for organisations their members."""
        path = f"/api/v1/dossiers/{view.dossier}/sections/{view.key}/authors"
        authors = Authors()
        for item in self.api.call("GET", path):
            receipt = crypto.ConsentReceipt.from_json(item["receipt"])
            if item.get("end") is not None:
                authors.ends[receipt.grant] = item["end"]
            granted = None
            for data in item["identities"]:
                identity = crypto.PublicIdentity.from_json(data)
                if identity.fingerprint() == receipt.grantee_key_fingerprint:
                    authors.receipts.append((receipt, identity))
                    granted = identity
            if granted is not None and item["grantee_kind"] == "organisation":
                self._attested_authors(authors, receipt, granted, item)
        return authors

    @staticmethod
    def _attested_authors(
        authors: Authors,
        receipt: crypto.ConsentReceipt,
        granted: crypto.PublicIdentity,
        item: dict[str, Any],
    ) -> None:
        """Members the server lists count as authors only when the organisation attested
        them, along the chain of org keys from the one the receipt names."""
        keys = [
            (k["version"], crypto.PublicIdentity.from_json(k["identity"]), k["succession"])
            for k in item["org_keys"]
        ]
        for member, data in item["members"].items():
            identity = crypto.PublicIdentity.from_json(data)
            attestation = item["attestations"].get(member)
            try:
                crypto.verify_org_member(
                    receipt.grantee, granted, keys, member, identity, attestation
                )
            except crypto.CryptoError:
                continue
            authors.member_of[member] = receipt.grantee
            authors.identities[member] = identity

    def open(
        self,
        view: SectionView,
        item: dict[str, Any],
        *,
        latest: bool = True,
        authors: Authors | None = None,
        first: dict[str, Any] | None = None,
    ) -> tuple[Opened, bytes]:
        """Verify and open one listed entry; returns it with its data key. For the latest
        version, refuse one older than this device has already seen (rollback). A later
        version is refused (`AnotherAuthor`) unless its first version (`first`, or the list
        item's own `first`) is by the same author."""
        sealed = crypto.SealedEntry.from_json(item["entry"])
        created = dt.datetime.fromisoformat(item["created_at"])
        if sealed.author == view.owner_id:
            authors = Authors()
        elif authors is None:
            authors = self.authors(view)
        signer = crypto.authorised_signer(
            sealed.author,
            crypto.parse_time(sealed.at),  # the author's signed time, not the server's
            dossier=view.dossier,
            section=view.key,
            owner_id=view.owner_id,
            owner=view.owner,
            receipts=authors.receipts,
            member_of=authors.member_of,
            author_identity=authors.identities.get(sealed.author),
            ends=authors.ends,
            listed_ends=authors.listed_ends,
        )
        if sealed.version != 1:
            crypto.verify_entry(
                sealed, author_sign_pk=signer.sign_pk, owner_sign_pk=view.owner.sign_pk
            )
            first_json = first if first is not None else item.get("first")
            crypto.check_first_version(
                sealed,
                None if first_json is None else crypto.SealedEntry.from_json(first_json),
                author_sign_pk=signer.sign_pk,
                owner_sign_pk=view.owner.sign_pk,
            )
        mine = sealed.author == self.unlocked().account_id
        if view.private_key is None and not mine:
            raise crypto.TamperedError("no key for this section")
        body, data_key = crypto.open_entry_and_key(
            sealed,
            box_key=view.private_key or self.unlocked().identity.box,
            use_author_copy=view.private_key is None,
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

    def entries(
        self, section: str, dossier_id: str | None = None, *, mine: bool = False
    ) -> list[Opened]:
        """The newest version of every entry, verified and opened. `mine=True`: only what I
        wrote, readable through my author copy even with append-only access."""
        view = self.section(section, dossier_id)
        path = f"/api/v1/dossiers/{view.dossier}/sections/{section}/entries"
        data = self.api.call("GET", path, params={"mine": "true"} if mine else None)
        manifest = self._manifest(view.dossier, section, view.owner, data.get("manifest"))
        authors = self._authors_if_needed(view, data["entries"])
        if authors is not None and manifest is not None:
            authors.listed_ends = manifest.ends
        opened = [self.open(view, item, authors=authors)[0] for item in data["entries"]]
        shown = [crypto.SealedEntry.from_json(item["entry"]) for item in data["entries"]]
        self._check_manifest(manifest, shown, complete=not mine)
        if not mine and view.owner_id == self.unlocked().account_id:
            served = {} if authors is None else authors.ends
            self._countersign(view, manifest, shown, served)
        return opened

    def _authors_if_needed(self, view: SectionView, items: list[dict[str, Any]]) -> Authors | None:
        """Fetch the section's author receipts once, if anyone but the owner wrote here."""
        if all(item["entry"]["author"] == view.owner_id for item in items):
            return None
        return self.authors(view)

    def history(self, section: str, entry_id: str, dossier_id: str | None = None) -> list[Opened]:
        view = self.section(section, dossier_id)
        path = f"/api/v1/dossiers/{view.dossier}/sections/{section}/entries/{entry_id}/versions"
        versions = self.api.call("GET", path)
        ordered = sorted(versions, key=lambda v: v["entry"]["version"])
        authors = self._authors_if_needed(view, ordered)
        first = ordered[0]["entry"] if ordered else None
        return [
            self.open(view, item, latest=False, authors=authors, first=first)[0] for item in ordered
        ]
