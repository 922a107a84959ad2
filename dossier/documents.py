"""Documents: an entry in `documenten` whose sealed body names the file, plus the secretstream
ciphertext of the file in the blob store, written together in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dossier.blobs.backends import CHUNK, BlobStore
from dossier.blobs.models import Blob
from dossier.errors import InvalidInput, NotFound
from dossier.sections.models import Entry, Section
from dossier.sections.service import DossierService

DOCUMENT_SECTION = "documenten"
STREAM_HEADER = 24
CHUNK_OVERHEAD = 17


def ciphertext_limit(plaintext_limit: int) -> int:
    """Largest secretstream ciphertext for a plaintext of `plaintext_limit` bytes."""
    return STREAM_HEADER + plaintext_limit + CHUNK_OVERHEAD * (plaintext_limit // CHUNK + 1)


class DocumentService:
    def __init__(self, session: AsyncSession, blobs: BlobStore, max_bytes: int) -> None:
        self.db = session
        self.blobs = blobs
        self.max_bytes = max_bytes
        self.dossiers = DossierService(session)

    async def upload(
        self,
        section: Section,
        author_id: uuid.UUID,
        author_sign_pk: bytes,
        entry: dict[str, Any],
        chunks: AsyncIterator[bytes],
    ) -> Entry:
        """The database store writes the bytes in this transaction, after the `blob` row
        (its chunks refer to it). Any other store writes the object first and the row after
        it, so a row never names a missing object; when the entry is then refused, the
        object is removed again (a crash in between leaves an orphan for `rugzak blobs
        check`)."""
        if section.key != DOCUMENT_SECTION:
            raise InvalidInput("documents belong in the documenten section")
        blob = Blob(
            id=uuid.uuid4(),
            dossier_id=section.dossier_id,
            store=self.blobs.name,
            size=0,
            sha256=b"",
        )
        limit = ciphertext_limit(self.max_bytes)
        if self.blobs.transactional:
            self.db.add(blob)
            await self.db.flush()
        written = await self.blobs.write(self.db, blob.id, chunks, limit)
        blob.size, blob.sha256 = written.size, written.sha256
        try:
            if not self.blobs.transactional:
                self.db.add(blob)
                await self.db.flush()
            return await self.dossiers.add_entry(
                section, author_id, author_sign_pk, entry, blob_id=blob.id
            )
        except BaseException:
            if not self.blobs.transactional:
                await self.blobs.delete(self.db, blob.id)
            raise

    async def blob_of(self, section: Section, entry_id: uuid.UUID, version: int) -> Blob:
        row = await self.dossiers.entry_version(section, entry_id, version)
        blob = None if row.blob_id is None else await self.db.get(Blob, row.blob_id)
        if blob is None:
            raise NotFound("document")
        return blob
