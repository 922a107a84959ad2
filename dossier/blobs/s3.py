"""The S3-compatible blob store (`RUGZAK_BLOB_STORE=s3`): one object per blob, for several
app servers sharing one bucket. aiobotocore streams both ways, so memory stays bounded:

- upload: the request body is cut into parts of `PART` bytes (S3's multipart upload; a blob
  smaller than one part is a single PUT); at most one part is held at a time. A failed or
  refused upload aborts the multipart upload, so S3 keeps nothing of it.
- download: the object's body is read `CHUNK` bytes at a time.

The object is written before its `blob` row (dossier/documents.py). An object whose row was
never committed (a crash between the two) is an orphan: ciphertext nobody can name, which
`rugzak blobs check` lists and removes."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from sqlalchemy.ext.asyncio import AsyncSession

from dossier.blobs.backends import CHUNK, BlobStore, StoredBlob, Written, rechunk

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client
    from types_aiobotocore_s3.type_defs import CompletedPartTypeDef

PART = 8 * 1024 * 1024  # S3 wants at least 5 MiB for every part but the last


@dataclass(frozen=True, slots=True)
class S3Settings:
    bucket: str
    endpoint_url: str = ""
    region: str = "us-east-1"
    access_key_id: str = ""
    secret_access_key: str = ""
    prefix: str = "blobs/"


class S3BlobStore(BlobStore):
    name = "s3"

    def __init__(self, settings: S3Settings) -> None:
        if not settings.bucket:
            raise ValueError("RUGZAK_S3_BUCKET is required for RUGZAK_BLOB_STORE=s3")
        self.settings = settings
        self._stack: AsyncExitStack | None = None
        self._client: S3Client | None = None

    async def client(self) -> S3Client:
        """One client per store, made in the running event loop on first use."""
        if self._client is None:
            s = self.settings
            stack = AsyncExitStack()
            client: S3Client = await stack.enter_async_context(
                get_session().create_client(
                    "s3",
                    endpoint_url=s.endpoint_url or None,
                    region_name=s.region,
                    aws_access_key_id=s.access_key_id or None,
                    aws_secret_access_key=s.secret_access_key or None,
                    config=AioConfig(retries={"max_attempts": 3, "mode": "standard"}),
                )
            )
            self._stack, self._client = stack, client
        return self._client

    async def close(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
        self._stack, self._client = None, None

    def key(self, blob_id: uuid.UUID) -> str:
        return f"{self.settings.prefix}{blob_id.hex}"

    async def write(
        self, db: AsyncSession, blob_id: uuid.UUID, chunks: AsyncIterator[bytes], limit: int
    ) -> Written:
        del db
        client, bucket, key = await self.client(), self.settings.bucket, self.key(blob_id)
        digest = hashlib.sha256()
        size = 0
        part = bytearray()
        upload_id: str | None = None
        parts: list[CompletedPartTypeDef] = []
        try:
            async for chunk in rechunk(chunks, limit):
                digest.update(chunk)
                size += len(chunk)
                part += chunk
                if len(part) >= PART:
                    if upload_id is None:
                        started = await client.create_multipart_upload(Bucket=bucket, Key=key)
                        upload_id = started["UploadId"]
                    parts.append(await self._part(client, key, upload_id, len(parts) + 1, part))
                    part = bytearray()
            if upload_id is None:
                await client.put_object(Bucket=bucket, Key=key, Body=bytes(part))
            else:
                if part:
                    parts.append(await self._part(client, key, upload_id, len(parts) + 1, part))
                await client.complete_multipart_upload(
                    Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
                )
        except BaseException:
            if upload_id is not None:
                await client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
            raise
        return Written(size, digest.digest())

    async def _part(
        self, client: S3Client, key: str, upload_id: str, number: int, body: bytearray
    ) -> CompletedPartTypeDef:
        done = await client.upload_part(
            Bucket=self.settings.bucket,
            Key=key,
            UploadId=upload_id,
            PartNumber=number,
            Body=bytes(body),
        )
        return {"ETag": done["ETag"], "PartNumber": number}

    async def read(self, blob_id: uuid.UUID) -> AsyncIterator[bytes]:
        client = await self.client()
        found = await client.get_object(Bucket=self.settings.bucket, Key=self.key(blob_id))
        async with found["Body"] as body:
            while chunk := await body.read(CHUNK):
                yield chunk

    async def delete(self, db: AsyncSession, blob_id: uuid.UUID) -> None:
        del db
        client = await self.client()
        await client.delete_object(Bucket=self.settings.bucket, Key=self.key(blob_id))

    async def stored(self) -> AsyncIterator[StoredBlob]:
        client = await self.client()
        pages = client.get_paginator("list_objects_v2").paginate(
            Bucket=self.settings.bucket, Prefix=self.settings.prefix
        )
        async for page in pages:
            for item in page.get("Contents", []):
                name = item.get("Key", "").removeprefix(self.settings.prefix)
                try:
                    blob_id = uuid.UUID(hex=name)
                except ValueError:
                    continue
                modified = item.get("LastModified", dt.datetime.now(dt.UTC))
                yield StoredBlob(blob_id, modified)
