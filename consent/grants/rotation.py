"""Section key rotation, uploaded by the owner's client and applied in one transaction.

The owner made a new section keypair, re-sealed every data key (every version of every entry)
to the new public key with a rewrap signature, sealed the new private key to every remaining
read grantee, and signed the new public key. The server claims the key version with a
conditional update first, so of two concurrent rotations exactly one wins; the other gets
VersionConflict and retries on fresh state. Cost for the server: O(entries + grantees)."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from consent.grants.models import Grant
from consent.grants.schemas import Rotation
from consent.grants.service import GrantService
from consent.log.actions import LogAction
from consent.log.service import LogService
from dossier import crypto
from dossier.accounts.models import Account
from dossier.db import changed_rows, utcnow
from dossier.errors import InvalidInput, VersionConflict
from dossier.sections.models import Entry, Section

# Everything of an entry but its key wrap: the ciphertext and the author's proof stay as signed.
UNCHANGED = (
    *("dossier", "section", "entry", "version", "author", "nonce", "ciphertext"),
    *("author_sealed_key", "signature", "signed_key_version", "signed_sealed_key_hash"),
)


def _parse(data: dict[str, Any]) -> crypto.SealedEntry:
    try:
        return crypto.SealedEntry.from_json(data)
    except crypto.CryptoError as exc:
        raise InvalidInput("rotated entry is malformed") from exc


class RotationService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def rotate(self, owner: Account, section: Section, data: Rotation) -> None:
        new_version = data.old_key_version + 1
        signed = self._signed_key(owner, section, data, new_version)
        claimed = await changed_rows(
            self.db,
            update(Section)
            .where(Section.id == section.id, Section.key_version == data.old_key_version)
            .values(
                key_version=new_version,
                signed_key=signed.to_json(),
                owner_sealed_sk=_b64(data.owner_sealed_sk),
                updated_at=utcnow(),
            ),
        )
        if claimed != 1:
            raise VersionConflict("the section key moved; rotate again on fresh state")
        await self._rewrap_entries(owner, section, data.entries, new_version)
        await self._rewrap_grants(section, data, new_version)
        await GrantService(self.db).mark_rotated(section)
        await LogService(self.db).record(
            section.dossier_id, owner.id, LogAction.ROTATE, section.key
        )
        await self.db.flush()

    @staticmethod
    def _signed_key(
        owner: Account, section: Section, data: Rotation, version: int
    ) -> crypto.SignedSectionKey:
        try:
            signed = crypto.SignedSectionKey.from_json(data.signed_key)
            signed.verify(owner.sign_pk)
        except crypto.CryptoError as exc:
            raise InvalidInput("new section key is malformed or not signed by the owner") from exc
        if (signed.dossier, signed.section, signed.version) != (
            str(section.dossier_id),
            section.key,
            version,
        ):
            raise InvalidInput("new section key names another place or version")
        return signed

    async def _rewrap_entries(
        self, owner: Account, section: Section, given: list[dict[str, Any]], version: int
    ) -> None:
        rows = (
            await self.db.execute(
                select(Entry.id, Entry.entry_id, Entry.version, Entry.payload, Account.sign_pk)
                .join(Account, Account.id == Entry.author_id, isouter=True)
                .where(Entry.section_id == section.id)
            )
        ).all()
        stored = {(str(r.entry_id), r.version): r for r in rows}
        updates = []
        for data in given:
            sealed = _parse(data)
            row = stored.pop((sealed.entry, sealed.version), None)
            if row is None:
                raise InvalidInput("rotation names an entry this section does not hold")
            old = msgspec.json.decode(row.payload)
            new = sealed.to_json()
            if sealed.key_version != version or any(old[k] != new[k] for k in UNCHANGED):
                raise InvalidInput("rotation may only change the key wrap of an entry")
            if row.sign_pk is not None:
                try:
                    crypto.verify_entry(
                        sealed, author_sign_pk=row.sign_pk, owner_sign_pk=owner.sign_pk
                    )
                except crypto.CryptoError as exc:
                    raise InvalidInput("rewrap signature does not verify") from exc
            payload = msgspec.json.encode(new).decode()
            updates.append({"id": row.id, "payload": payload, "key_version": version})
        if stored:
            raise InvalidInput("rotation must re-seal every entry of the section")
        if updates:
            await self.db.execute(update(Entry), updates)

    async def _rewrap_grants(self, section: Section, data: Rotation, version: int) -> None:
        now = utcnow()
        active = {
            g.id: g
            for g in await self.db.scalars(
                select(Grant).where(
                    Grant.section_id == section.id,
                    Grant.can_read,
                    Grant.revoked_at.is_(None),
                    Grant.expires_at > now,
                )
            )
        }
        given = {uuid.UUID(e.grant_id): _b64(e.envelope) for e in data.envelopes}
        if set(given) != set(active):
            raise InvalidInput("rotation must seal the new key to exactly the active readers")
        for grant_id, envelope in given.items():
            active[grant_id].envelope = envelope
            active[grant_id].envelope_key_version = version


def _b64(value: str) -> bytes:
    try:
        return crypto.b64d(value)
    except crypto.CryptoError as exc:
        raise InvalidInput("not unpadded base64url") from exc
