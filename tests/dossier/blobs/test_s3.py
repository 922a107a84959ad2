"""The S3 blob store against a real S3 API server (moto's, in its own process), with the
`blob` rows on SQLite and PostgreSQL: a 100 MB document streams up (multipart) and down in
bounded memory; a failed or refused upload leaves neither a row nor an object; deleting the
account removes its objects; `rugzak blobs check` finds and removes orphans and nothing else."""

import asyncio
import dataclasses
import datetime as dt
import hashlib
import io
import os
import tracemalloc
import uuid

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from dossier import crypto
from dossier.accounts.service import AccountService
from dossier.blobs.check import check_blobs
from dossier.blobs.models import Blob
from dossier.blobs.s3 import PART, S3BlobStore
from dossier.client import RugzakClient
from dossier.deletion import delete_account
from dossier.documents import DocumentService
from dossier.errors import InvalidInput, TooLarge
from tests.conftest import make_settings
from tests.consent.caseload.world import youth
from tests.dossier.test_deletion import with_login
from tests.e2e.conftest import ADULT, PASSPHRASE, new_username
from tests.support.factories import sealed_entry
from tests.support.server import live_server
from web.cli import main

MB = 1024 * 1024
LIMIT = 200 * MB


@pytest.fixture
async def s3(s3_server):
    store = S3BlobStore(s3_server.settings())
    yield store
    await store.close()


async def pieces(block: bytes, count: int, *, fail_after: int | None = None):
    """`count` copies of `block`, as a request body arrives; the client may vanish midway."""
    for i in range(count):
        if fail_after is not None and i == fail_after:
            raise ConnectionResetError("the client went away")
        yield block


async def keys_in(store: S3BlobStore) -> list[uuid.UUID]:
    return [b.blob_id async for b in store.stored()]


async def open_uploads(store: S3BlobStore) -> list[str]:
    client = await store.client()
    found = await client.list_multipart_uploads(
        Bucket=store.settings.bucket, Prefix=store.settings.prefix
    )
    return [u.get("Key", "") for u in found.get("Uploads", [])]


async def upload(db, store, owner, body, *, entry=None):
    section = owner.sections["documenten"]
    sealed = entry or sealed_entry(section, owner.id, owner.identity).to_json()
    return await DocumentService(db, store, LIMIT).upload(
        section, owner.id, owner.account.sign_pk, sealed, body
    )


async def blob_rows(db, owner) -> int:
    where = Blob.dossier_id == owner.dossier_id
    return int(await db.scalar(select(func.count()).select_from(Blob).where(where)) or 0)


async def test_a_100_mb_document_streams_up_and_down_in_bounded_memory(db, s3):
    owner = await youth(db, keys=("documenten",))
    block, count = os.urandom(MB), 100
    expected = hashlib.sha256(block * count).digest()
    tracemalloc.start()
    try:
        row = await upload(db, s3, owner, pieces(block, count))
        _, upload_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        digest, size = hashlib.sha256(), 0
        assert row.blob_id is not None
        async for chunk in s3.read(row.blob_id):
            digest.update(chunk)
            size += len(chunk)
        _, download_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    blob = await db.get_one(Blob, row.blob_id)
    assert (blob.store, blob.size, blob.sha256) == ("s3", count * MB, expected)
    assert (size, digest.digest()) == (count * MB, expected)
    # A few parts in flight at most, never the file: 100 MB went through.
    assert upload_peak < 5 * PART, upload_peak
    assert download_peak < 2 * PART, download_peak


async def test_an_upload_that_breaks_off_leaves_no_row_and_no_object(db, s3):
    owner = await youth(db, keys=("documenten",))
    with pytest.raises(ConnectionResetError):
        await upload(db, s3, owner, pieces(os.urandom(MB), 30, fail_after=20))
    assert await blob_rows(db, owner) == 0
    assert await keys_in(s3) == []
    assert await open_uploads(s3) == []


async def test_a_document_over_the_limit_leaves_no_row_and_no_object(db, s3):
    owner = await youth(db, keys=("documenten",))
    section = owner.sections["documenten"]
    sealed = sealed_entry(section, owner.id, owner.identity).to_json()
    with pytest.raises(TooLarge):
        await DocumentService(db, s3, 10 * MB).upload(
            section, owner.id, owner.account.sign_pk, sealed, pieces(os.urandom(MB), 12)
        )
    assert await blob_rows(db, owner) == 0
    assert await keys_in(s3) == []
    assert await open_uploads(s3) == []


async def test_a_refused_entry_takes_its_object_away_again(db, s3):
    owner = await youth(db, keys=("documenten",))
    sealed = sealed_entry(owner.sections["documenten"], owner.id, owner.identity).to_json()
    sealed["author"] = str(uuid.uuid4())  # names another author: refused after the upload
    with pytest.raises(InvalidInput):
        await upload(db, s3, owner, pieces(os.urandom(1000), 3), entry=sealed)
    assert await keys_in(s3) == []


async def test_deleting_the_account_removes_its_objects_and_no_others(db, s3):
    owner, other = await youth(db, keys=("documenten",)), await youth(db, keys=("documenten",))
    for _ in range(2):
        await upload(db, s3, owner, pieces(os.urandom(1000), 2))
    kept = await upload(db, s3, other, pieces(os.urandom(1000), 2))
    auth_key = await with_login(db, owner)
    await delete_account(AccountService(db), s3, owner.id, crypto.b64e(auth_key))
    assert await keys_in(s3) == [kept.blob_id]


async def test_the_check_lists_and_removes_orphans_only(db, s3):
    owner = await youth(db, keys=("documenten",))
    document = await upload(db, s3, owner, pieces(os.urandom(1000), 2))
    orphan = uuid.uuid4()
    await s3.write(db, orphan, pieces(b"x" * 100, 1), LIMIT)

    young = await check_blobs(db, s3, min_age=dt.timedelta(hours=1))
    assert (young.checked, young.orphans) == (2, [])
    found = await check_blobs(db, s3, min_age=dt.timedelta(0))
    assert [o.blob_id for o in found.orphans] == [orphan]
    assert sorted(await keys_in(s3)) == sorted([orphan, document.blob_id])
    removed = await check_blobs(db, s3, min_age=dt.timedelta(0), remove=True)
    assert removed.removed == 1
    assert await keys_in(s3) == [document.blob_id]


def test_the_cli_command_reports_and_removes_orphans(backend, s3_server, tmp_path):
    settings = s3_server.settings()
    env = {
        "RUGZAK_DATABASE_URL": backend.fresh_url(),
        "RUGZAK_BLOB_STORE": "s3",
        "RUGZAK_S3_ENDPOINT_URL": settings.endpoint_url,
        "RUGZAK_S3_BUCKET": settings.bucket,
        "RUGZAK_S3_ACCESS_KEY_ID": settings.access_key_id,
        "RUGZAK_S3_SECRET_ACCESS_KEY": settings.secret_access_key,
        "RUGZAK_S3_PREFIX": settings.prefix,
    }
    orphan = uuid.uuid4()

    async def write_orphan():
        store = S3BlobStore(settings)
        try:
            await store.write(None, orphan, pieces(b"y" * 10, 1), LIMIT)
        finally:
            await store.close()

    asyncio.run(write_orphan())
    runner = CliRunner()
    listed = runner.invoke(main, ["blobs", "check", "--min-age", "0"], env=env)
    assert listed.exit_code == 0, listed.output
    assert f"orphan {orphan}" in listed.output
    assert "1 objects checked, 1 orphans found" in listed.output
    removed = runner.invoke(main, ["blobs", "check", "--min-age", "0", "--remove"], env=env)
    assert "1 orphans removed" in removed.output
    again = runner.invoke(main, ["blobs", "check", "--min-age", "0"], env=env)
    assert "0 objects checked, 0 orphans found" in again.output


def test_documents_go_through_the_app_to_s3_and_leave_with_the_account(
    backend, s3_server, tmp_path
):
    """The real path: the Python client uploads and downloads through the API of an app on
    `RUGZAK_BLOB_STORE=s3`; deleting the account empties its prefix."""
    overrides = s3_server.overrides()
    settings = make_settings(backend.fresh_url(), tmp_path, **overrides)
    data = os.urandom(3 * MB + 5)
    with live_server(settings) as url, RugzakClient(url) as client:
        client.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
        doc_id = client.upload(io.BytesIO(data), name="cv.pdf", mime="application/pdf")
        sink = io.BytesIO()
        opened = client.download(doc_id, sink)
        store = S3BlobStore(dataclasses.replace(s3_server.settings(), prefix=settings.s3_prefix))
        assert opened.body["name"] == "cv.pdf"
        assert sink.getvalue() == data
        assert len(asyncio.run(listed(store))) == 1
        client.delete_account(PASSPHRASE)
        assert asyncio.run(listed(store)) == []


async def listed(store):
    try:
        return await keys_in(store)
    finally:
        await store.close()
