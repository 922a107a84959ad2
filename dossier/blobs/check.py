"""`rugzak blobs check`: objects in an outside blob store (S3, a folder) that no `blob` row
names. They are left by an upload whose transaction never committed (a crash, a lost
connection between the object and the row) and hold only ciphertext. Objects younger than
`min_age` are skipped: their upload may still be about to commit its row."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dossier.blobs.backends import BlobStore, StoredBlob
from dossier.blobs.models import Blob

BATCH = 500


@dataclass
class CheckReport:
    checked: int = 0
    orphans: list[StoredBlob] = field(default_factory=list)
    removed: int = 0


async def _batches(store: BlobStore) -> AsyncIterator[list[StoredBlob]]:
    batch: list[StoredBlob] = []
    async for blob in store.stored():
        batch.append(blob)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


async def check_blobs(
    db: AsyncSession, store: BlobStore, *, min_age: dt.timedelta, remove: bool = False
) -> CheckReport:
    """List (and with `remove`, delete) the store's objects without a `blob` row."""
    report = CheckReport()
    cutoff = dt.datetime.now(dt.UTC) - min_age
    async for batch in _batches(store):
        report.checked += len(batch)
        ids = [b.blob_id for b in batch]
        known = set(await db.scalars(select(Blob.id).where(Blob.id.in_(ids))))
        report.orphans += [b for b in batch if b.blob_id not in known and b.modified < cutoff]
    if remove:
        for orphan in report.orphans:
            await store.delete(db, orphan.blob_id)
            report.removed += 1
    return report
