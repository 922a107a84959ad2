"""Both blob stores against SQLite and PostgreSQL (and a temporary directory): ciphertext goes
in as any stream and comes back byte for byte in CHUNK-sized pieces, with its size and SHA-256;
past the limit nothing is kept; delete removes one blob's bytes and no other's."""

import hashlib
import os
import uuid
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import func, select

from dossier.blobs.backends import (
    CHUNK,
    READ_BATCH,
    DatabaseBlobStore,
    FilesystemBlobStore,
    rechunk,
)
from dossier.blobs.models import Blob, BlobChunk
from dossier.errors import TooLarge
from tests.consent.caseload.world import youth

SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK * READ_BATCH, CHUNK * (READ_BATCH + 1) + 5]


@pytest.fixture(params=["database", "filesystem"])
def store(request, db, tmp_path):
    if request.param == "filesystem":
        return FilesystemBlobStore(tmp_path / "blobs")

    @asynccontextmanager
    async def same_transaction():
        yield db  # the test's rolled-back transaction is the only place the chunks exist

    return DatabaseBlobStore(same_transaction)


async def stream(data: bytes, piece: int = 1000):
    """Upload pieces of an awkward size, as a browser's stream would arrive."""
    for start in range(0, len(data), piece):
        yield data[start : start + piece]


async def blob_row(db, store) -> Blob:
    owner = await youth(db, keys=())
    row = Blob(dossier_id=owner.dossier_id, store=store.name, size=0, sha256=b"")
    db.add(row)
    await db.flush()
    return row


async def read_all(store, blob_id) -> list[bytes]:
    return [chunk async for chunk in store.read(blob_id)]


async def chunk_rows(db, blob_id) -> int:
    return int(await db.scalar(select(func.count()).where(BlobChunk.blob_id == blob_id)) or 0)


@pytest.mark.parametrize("size", SIZES)
async def test_written_bytes_read_back_whole_in_chunk_sized_pieces(db, store, size):
    blob = await blob_row(db, store)
    data = os.urandom(size)
    written = await store.write(db, blob.id, stream(data), limit=size)
    assert (written.size, written.sha256) == (size, hashlib.sha256(data).digest())
    pieces = await read_all(store, blob.id)
    assert b"".join(pieces) == data
    assert all(len(p) == CHUNK for p in pieces[:-1])
    assert len(pieces) == -(-size // CHUNK)


async def test_a_stream_past_the_limit_is_too_large_and_nothing_is_kept(db, store, tmp_path):
    blob = await blob_row(db, store)
    data = os.urandom(CHUNK * (READ_BATCH + 2))
    with pytest.raises(TooLarge):
        async with db.begin_nested():  # the request's transaction, rolled back on the error
            await store.write(db, blob.id, stream(data, CHUNK), limit=len(data) - 1)
    assert await chunk_rows(db, blob.id) == 0
    assert [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == []  # no file, no .part


async def test_delete_removes_one_blob_and_leaves_the_others(db, store):
    gone, kept = await blob_row(db, store), await blob_row(db, store)
    await store.write(db, gone.id, stream(b"a" * (CHUNK + 1)), limit=CHUNK * 2)
    await store.write(db, kept.id, stream(b"b" * 10), limit=CHUNK)
    await store.delete(db, gone.id)
    assert await chunk_rows(db, gone.id) == 0
    assert b"".join(await read_all(store, kept.id)) == b"b" * 10


async def test_the_database_store_keeps_one_row_per_chunk_in_order(db):
    @asynccontextmanager
    async def same_transaction():
        yield db

    store = DatabaseBlobStore(same_transaction)
    blob = await blob_row(db, store)
    data = os.urandom(CHUNK * 2 + 7)
    await store.write(db, blob.id, stream(data, 777), limit=len(data))
    rows = (
        await db.execute(
            select(BlobChunk.seq, func.length(BlobChunk.data))
            .where(BlobChunk.blob_id == blob.id)
            .order_by(BlobChunk.seq)
        )
    ).all()
    assert [tuple(r) for r in rows] == [(0, CHUNK), (1, CHUNK), (2, 7)]
    assert list(db.new) == []  # written rows were flushed out of the session


async def test_the_filesystem_store_writes_one_file_per_blob_and_forgets_a_missing_one(tmp_path):
    store = FilesystemBlobStore(tmp_path)
    blob_id = uuid.uuid4()
    await store.write(None, blob_id, stream(b"ciphertext"), limit=100)
    path = tmp_path / blob_id.hex[:2] / blob_id.hex
    assert store.path(blob_id) == path
    assert path.read_bytes() == b"ciphertext"
    assert not path.with_suffix(".part").exists()
    await store.delete(None, blob_id)
    assert not path.exists()
    await store.delete(None, blob_id)  # already gone: nothing to do


async def test_rechunk_cuts_exact_chunks_and_counts_every_byte_against_the_limit():
    data = os.urandom(CHUNK * 2 + 3)
    pieces = [p async for p in rechunk(stream(data, 5000), len(data))]
    assert [len(p) for p in pieces] == [CHUNK, CHUNK, 3]
    assert b"".join(pieces) == data
    with pytest.raises(TooLarge):
        [p async for p in rechunk(stream(data, 5000), len(data) - 1)]
