"""DocumentService against SQLite and PostgreSQL with both blob stores, rolled back per test:
a document is an entry in `documenten` that signs the SHA-256 of its secretstream ciphertext,
written together with those bytes; nothing outside `documenten`, nothing past the size limit."""

import hashlib
import io
import json
import os
import uuid
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import func, select

from dossier import crypto
from dossier.blobs.backends import CHUNK, DatabaseBlobStore, FilesystemBlobStore
from dossier.blobs.models import Blob
from dossier.documents import DocumentService, ciphertext_limit
from dossier.errors import InvalidInput, NotFound, TooLarge
from dossier.sections.models import Entry
from tests.consent.caseload.world import Youth, pro, youth
from tests.support.factories import row_counts, sealed_entry

LIMIT = 3 * CHUNK


@pytest.fixture(params=["database", "filesystem"])
def blobs(request, db, tmp_path):
    if request.param == "filesystem":
        return FilesystemBlobStore(tmp_path / "blobs")

    @asynccontextmanager
    async def same_transaction():
        yield db

    return DatabaseBlobStore(same_transaction)


def sealed_document(owner: Youth, data: bytes, author=None, signer=None):
    """The document as the client seals it (`DocumentsClient.upload`): the secretstream chunks
    and the entry that names the file and signs the ciphertext's SHA-256."""
    author = author or owner
    upload = crypto.DocumentUpload(
        io.BytesIO(data),
        {"name": "cv.pdf", "mime": "application/pdf"},
        dossier=str(owner.dossier_id),
        entry=str(uuid.uuid4()),
        version=1,
    )
    chunks = list(upload.chunks())
    entry = upload.entry(
        author_id=str(author.id),
        author=signer or author.identity,
        section_key=crypto.SignedSectionKey.from_json(owner.sections["documenten"].signed_key),
    )
    return entry, chunks


async def stream(chunks):
    for chunk in chunks:
        yield chunk


async def upload(db, blobs, owner: Youth, entry, chunks, *, key="documenten", by=None):
    by = by or owner
    return await DocumentService(db, blobs, LIMIT).upload(
        owner.sections[key], by.id, by.account.sign_pk, entry.to_json(), stream(chunks)
    )


async def refused_in_transaction(db, error, call) -> None:
    """Refused; the request's transaction (a savepoint here) rolls back the blob row and any
    chunks written before the fault was found: no blob, no chunk, no entry remains."""
    before = await row_counts(db)
    with pytest.raises(error):
        async with db.begin_nested():
            await call
    assert await row_counts(db) == before


async def read_back(blobs, owner: Youth, row: Entry) -> bytes:
    sealed = crypto.SealedEntry.from_json(json.loads(row.payload))
    section_sk = owner.keys["documenten"].sk
    body, data_key = crypto.open_entry_and_key(
        sealed,
        box_key=section_sk,
        author_sign_pk=owner.account.sign_pk,
        dossier=str(owner.dossier_id),
        section="documenten",
        entry=sealed.entry,
    )
    ciphertext = [c async for c in blobs.read(row.blob_id)]
    plain = crypto.open_document(
        iter(ciphertext),
        data_key,
        dossier=str(owner.dossier_id),
        section="documenten",
        entry=sealed.entry,
        version=1,
        blob_sha256=crypto.b64d(body["blob_sha256"]),
    )
    return b"".join(plain)


@pytest.mark.parametrize("size", [0, 10, CHUNK, LIMIT])
async def test_a_document_is_stored_as_an_entry_and_its_ciphertext_together(db, blobs, size):
    owner = await youth(db, keys=("documenten",))
    data = os.urandom(size)
    entry, chunks = sealed_document(owner, data)
    row = await upload(db, blobs, owner, entry, chunks)
    ciphertext = b"".join(chunks)
    blob = await DocumentService(db, blobs, LIMIT).blob_of(
        owner.sections["documenten"], row.entry_id, 1
    )
    assert blob.id == row.blob_id
    assert (blob.dossier_id, blob.store, blob.size) == (
        owner.dossier_id,
        blobs.name,
        len(ciphertext),
    )
    assert blob.sha256 == hashlib.sha256(ciphertext).digest()
    assert await read_back(blobs, owner, row) == data


async def test_a_document_outside_documenten_is_refused_before_anything_is_written(db, blobs):
    owner = await youth(db, keys=("documenten", "plan"))
    entry, chunks = sealed_document(owner, b"%PDF-1.7")
    before = await row_counts(db)
    with pytest.raises(InvalidInput):
        await upload(db, blobs, owner, entry, chunks, key="plan")
    assert await row_counts(db) == before


async def test_a_document_larger_than_allowed_is_too_large_and_nothing_remains(db, blobs):
    owner = await youth(db, keys=("documenten",))
    entry, chunks = sealed_document(owner, os.urandom(LIMIT + 1))
    assert len(b"".join(chunks)) == ciphertext_limit(LIMIT) + 1
    await refused_in_transaction(db, TooLarge, upload(db, blobs, owner, entry, chunks))


async def test_a_document_whose_entry_another_key_signed_is_refused_and_nothing_remains(db, blobs):
    owner = await youth(db, keys=("documenten",))
    entry, chunks = sealed_document(owner, b"%PDF-1.7", signer=crypto.Identity.generate())
    await refused_in_transaction(db, InvalidInput, upload(db, blobs, owner, entry, chunks))


async def test_a_grantee_uploads_a_document_signed_with_their_own_key(db, blobs):
    owner, coach = await youth(db, keys=("documenten",)), await pro(db)
    entry, chunks = sealed_document(owner, b"verslag", author=coach)
    row = await upload(db, blobs, owner, entry, chunks, by=coach)
    assert row.author_id == coach.id
    assert await db.scalar(select(func.count()).select_from(Blob)) == 1


async def test_an_entry_without_a_document_or_an_unknown_version_has_no_blob(db, blobs):
    owner = await youth(db, keys=("documenten",))
    section = owner.sections["documenten"]
    service = DocumentService(db, blobs, LIMIT)
    note = sealed_entry(section, owner.id, owner.identity)
    plain = await service.dossiers.add_entry(
        section, owner.id, owner.account.sign_pk, note.to_json()
    )
    with pytest.raises(NotFound):
        await service.blob_of(section, plain.entry_id, 1)
    entry, chunks = sealed_document(owner, b"%PDF-1.7")
    row = await upload(db, blobs, owner, entry, chunks)
    with pytest.raises(NotFound):
        await service.blob_of(section, row.entry_id, 2)
    with pytest.raises(NotFound):
        await service.blob_of(section, uuid.uuid4(), 1)


def sealed_size(size: int) -> int:
    upload = crypto.DocumentUpload(
        io.BytesIO(os.urandom(size)), {"name": "a"}, dossier="d", entry="e", version=1
    )
    return len(b"".join(upload.chunks()))


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, 5 * CHUNK + 3])
def test_the_ciphertext_limit_admits_the_allowed_plaintext_and_not_one_byte_more(size):
    assert sealed_size(size) <= ciphertext_limit(size) < sealed_size(size + 1)
