"""Documents on pages: the browser seals the file with secretstream and sends the ciphertext
as the request body, the sealed entry (which signs the stream's SHA-256) in `X-Rugzak-Entry`
and the CSRF token in `X-CSRFToken`; download streams the ciphertext back for the browser to
open. The server never sees a document's bytes or name."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, put
from litestar.params import FromPath
from litestar.response import Stream
from litestar.status_codes import HTTP_201_CREATED

from consent.policy import Action
from dossier.crypto import DOCUMENT_SECTION
from web.api.dossiers import EntryHeader, _header_json
from web.auth import requires_login
from web.deps import Access, BlobsDep, CallerDep, Documents, Dossiers
from web.pages.view import Pages
from web.params import VersionPath


class DocumentPages(Controller):
    path = "/bestanden"
    guards = [requires_login]
    include_in_schema = False

    @put("/", status_code=HTTP_201_CREATED, request_max_body_size=None)
    async def upload(
        self,
        request: Request[Any, Any, Any],
        entry: EntryHeader,
        caller: CallerDep,
        dossiers: Dossiers,
        access: Access,
        documents: Documents,
    ) -> dict[str, str]:
        dossier = await Pages(dossiers.db).own_dossier(caller.account_id)
        allowed = await access.section(
            caller.account_id, dossier.id, DOCUMENT_SECTION, Action.APPEND
        )
        row = await documents.upload(
            allowed.section,
            caller.account_id,
            caller.sign_pk,
            _header_json(entry),
            request.stream(),
        )
        return {"entry": str(row.entry_id), "version": str(row.version)}

    @get("/{entry_id:uuid}/{version:int}")
    async def download(
        self,
        entry_id: FromPath[uuid.UUID],
        version: VersionPath,
        caller: CallerDep,
        dossiers: Dossiers,
        access: Access,
        documents: Documents,
        blobs: BlobsDep,
    ) -> Stream:
        dossier = await Pages(dossiers.db).own_dossier(caller.account_id)
        allowed = await access.section(caller.account_id, dossier.id, DOCUMENT_SECTION, Action.READ)
        blob = await documents.blob_of(allowed.section, entry_id, version)

        async def chunks() -> Any:
            async for chunk in blobs.read(blob.id):
                yield chunk

        return Stream(
            chunks(),
            media_type="application/octet-stream",
            headers={"content-length": str(blob.size)},
        )
