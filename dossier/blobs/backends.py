"""Where encrypted document bytes live. The bytes are secretstream ciphertext; a store never
sees plaintext. Both stores stream: memory use stays at one chunk, whatever the file size."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

import anyio
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from dossier.blobs.models import BlobChunk
from dossier.errors import TooLarge

CHUNK = 64 * 1024
SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]
READ_BATCH = 16


@dataclass(frozen=True, slots=True)
class StoredBlob:
    blob_id: uuid.UUID
    modified: dt.datetime


class Written:
    __slots__ = ("sha256", "size")

    def __init__(self, size: int, sha256: bytes) -> None:
        self.size = size
        self.sha256 = sha256


class BlobStore(ABC):
    name: str
    # True when the bytes go into the request's own transaction (the database store): the
    # `blob` row is written first then. Any other store writes the object before the row.
    transactional = False

    @abstractmethod
    async def write(
        self, db: AsyncSession, blob_id: uuid.UUID, chunks: AsyncIterator[bytes], limit: int
    ) -> Written:
        """Store the stream under `blob_id`; return its size and SHA-256."""

    @abstractmethod
    def read(self, blob_id: uuid.UUID) -> AsyncIterator[bytes]:
        """Stream the stored bytes back, chunk by chunk."""

    @abstractmethod
    async def delete(self, db: AsyncSession, blob_id: uuid.UUID) -> None:
        """Remove the bytes (the caller removes the `blob` row)."""

    async def stored(self) -> AsyncIterator[StoredBlob]:
        """Every blob this store holds outside the database (for `rugzak blobs check`)."""
        return
        yield  # pragma: no cover  (an async generator that yields nothing)

    async def close(self) -> None:  # noqa: B027  (most stores hold nothing to release)
        """Release connections (app shutdown)."""


async def rechunk(chunks: AsyncIterator[bytes], limit: int) -> AsyncIterator[bytes]:
    """Yield exact CHUNK-sized pieces (the last may be shorter); raise TooLarge past `limit`."""
    buffer = bytearray()
    total = 0
    async for piece in chunks:
        total += len(piece)
        if total > limit:
            raise TooLarge("document is larger than allowed")
        buffer += piece
        while len(buffer) >= CHUNK:
            yield bytes(buffer[:CHUNK])
            del buffer[:CHUNK]
    if buffer:
        yield bytes(buffer)


class DatabaseBlobStore(BlobStore):
    """Chunks as rows of `blob_chunk`, written in the request's transaction."""

    name = "database"
    transactional = True

    def __init__(
        self, session_factory: Callable[[], AbstractAsyncContextManager[AsyncSession]]
    ) -> None:
        self._sessions = session_factory

    async def write(
        self, db: AsyncSession, blob_id: uuid.UUID, chunks: AsyncIterator[bytes], limit: int
    ) -> Written:
        digest = hashlib.sha256()
        size = 0
        seq = 0
        async for chunk in rechunk(chunks, limit):
            digest.update(chunk)
            size += len(chunk)
            db.add(BlobChunk(blob_id=blob_id, seq=seq, data=chunk))
            seq += 1
            if seq % READ_BATCH == 0:
                await self._flush_out(db)
        await self._flush_out(db)
        return Written(size, digest.digest())

    @staticmethod
    async def _flush_out(db: AsyncSession) -> None:
        """Write pending chunk rows and drop them from the identity map, so a large upload
        never holds more than a batch of chunks in memory."""
        pending = [obj for obj in db.new if isinstance(obj, BlobChunk)]
        await db.flush()
        for obj in pending:
            db.expunge(obj)

    async def read(self, blob_id: uuid.UUID) -> AsyncIterator[bytes]:
        seq = 0
        async with self._sessions() as db:
            while True:
                rows = (
                    (
                        await db.execute(
                            select(BlobChunk.data)
                            .where(BlobChunk.blob_id == blob_id, BlobChunk.seq >= seq)
                            .order_by(BlobChunk.seq)
                            .limit(READ_BATCH)
                        )
                    )
                    .scalars()
                    .all()
                )
                for data in rows:
                    yield data
                if len(rows) < READ_BATCH:
                    return
                seq += READ_BATCH

    async def delete(self, db: AsyncSession, blob_id: uuid.UUID) -> None:
        await db.execute(delete(BlobChunk).where(BlobChunk.blob_id == blob_id))


class FilesystemBlobStore(BlobStore):
    """One file per blob under `root`. A file whose transaction rolled back stays behind as an
    orphan without a `blob` row; it holds only ciphertext, and `rugzak blobs check --remove`
    removes it."""

    name = "filesystem"

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path(self, blob_id: uuid.UUID) -> Path:
        return self.root / blob_id.hex[:2] / blob_id.hex

    async def write(
        self, db: AsyncSession, blob_id: uuid.UUID, chunks: AsyncIterator[bytes], limit: int
    ) -> Written:
        del db
        target = self.path(blob_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        digest = hashlib.sha256()
        size = 0
        try:
            async with await anyio.open_file(partial, "wb") as out:
                async for chunk in rechunk(chunks, limit):
                    digest.update(chunk)
                    size += len(chunk)
                    await out.write(chunk)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)
        return Written(size, digest.digest())

    async def read(self, blob_id: uuid.UUID) -> AsyncIterator[bytes]:
        async with await anyio.open_file(self.path(blob_id), "rb") as source:
            while chunk := await source.read(CHUNK):
                yield chunk

    async def delete(self, db: AsyncSession, blob_id: uuid.UUID) -> None:
        del db
        self.path(blob_id).unlink(missing_ok=True)

    async def stored(self) -> AsyncIterator[StoredBlob]:
        for path in sorted(self.root.glob("*/*")):
            try:
                blob_id = uuid.UUID(hex=path.stem)
            except ValueError:
                continue
            modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
            yield StoredBlob(blob_id, modified)
