"""Documents: sealed with secretstream in 64 KiB chunks, streamed up and down, never held in
memory whole. The sealed stream goes to a temporary file first because the entry, which
signs the stream's SHA-256, must travel in the same request as the stream."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from typing import IO, Any

from dossier import crypto
from dossier.client.sections import Opened, SectionsClient

SECTION = crypto.DOCUMENT_SECTION


def _file_chunks(handle: IO[bytes]) -> Iterator[bytes]:
    while chunk := handle.read(crypto.CIPHER_CHUNK):
        yield chunk


class DocumentsClient(SectionsClient):
    def upload(
        self,
        source: IO[bytes],
        *,
        name: str,
        mime: str = "application/octet-stream",
        dossier_id: str | None = None,
    ) -> str:
        me = self.unlocked()
        view = self.section(SECTION, dossier_id)
        entry_id = str(uuid.uuid4())
        upload = crypto.DocumentUpload(
            source, {"name": name, "mime": mime}, dossier=view.dossier, entry=entry_id, version=1
        )
        with tempfile.TemporaryFile() as sealed:
            for chunk in upload.chunks():
                sealed.write(chunk)
            entry = upload.entry(
                author_id=me.account_id, author=me.identity, section_key=view.signed_key
            )
            sealed.seek(0)
            header = crypto.b64e(crypto.canonical(entry.to_json()))
            self.api.call(
                "PUT",
                f"/api/v1/dossiers/{view.dossier}/sections/{SECTION}/documents",
                content=_file_chunks(sealed),
                headers={"x-rugzak-entry": header, "content-type": "application/octet-stream"},
            )
        self._seen[entry_id] = 1
        return entry_id

    def download(
        self,
        entry_id: str,
        target: IO[bytes],
        *,
        version: int | None = None,
        dossier_id: str | None = None,
    ) -> Opened:
        """Stream a document into `target`; the stream is checked against the SHA-256 in
        the signed entry, so a swapped or truncated blob raises TamperedError."""
        view = self.section(SECTION, dossier_id)
        path = f"/api/v1/dossiers/{view.dossier}/sections/{SECTION}/entries/{entry_id}/versions"
        versions: list[dict[str, Any]] = self.api.call("GET", path)
        item = max(versions, key=lambda v: v["entry"]["version"])
        if version is not None:
            item = next(v for v in versions if v["entry"]["version"] == version)
        opened, data_key = self.open(view, item, latest=version is None)
        blob = f"{path}/{opened.version}/blob"
        for plain in crypto.open_document(
            self.api.download(blob),
            data_key,
            dossier=view.dossier,
            section=SECTION,
            entry=entry_id,
            version=opened.version,
            blob_sha256=crypto.b64d(opened.body["blob_sha256"]),
        ):
            target.write(plain)
        return opened
