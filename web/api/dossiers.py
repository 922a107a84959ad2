"""Dossiers, sections, entries and documents. Every payload is ciphertext made by a client."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody
from litestar.response import Stream

from consent.authorisation import Along
from consent.grants.models import Grant
from consent.policy import Action
from dossier.accounts.models import Account
from dossier.crypto import VERSION, CryptoError, b64d, b64e
from dossier.errors import Forbidden, InvalidInput
from dossier.sections import schemas as s
from dossier.sections.manifests import ManifestService
from dossier.sections.models import Entry, Section
from dossier.sections.queries import EntryRow
from web.auth import CALLER_SECURITY, CHECKS_SESSION, requires_login
from web.deps import (
    Access,
    Accounts,
    BlobsDep,
    CallerDep,
    DbSession,
    Documents,
    Dossiers,
    Entries,
)
from web.params import VersionPath

ENTRY_HEADER = "x-rugzak-entry"
EntryHeader = Annotated[str, HeaderParameter(name=ENTRY_HEADER, max_length=64 * 1024)]


def section_grant(grant: Grant) -> s.SectionGrant:
    return s.SectionGrant(
        id=str(grant.id),
        grantee_kind=grant.grantee_kind,
        grantee_id=str(grant.grantee_id),
        permissions=[p for p, ok in (("append", grant.can_append), ("read", grant.can_read)) if ok],
        expires_at=grant.expires_at,
        envelope=None if grant.envelope is None else b64e(grant.envelope),
        envelope_key_version=grant.envelope_key_version,
        receipt=grant.receipt,
    )


def entry_out(row: Entry | EntryRow) -> s.EntryOut:
    first = row.first if isinstance(row, EntryRow) else None
    # msgspec.Raw keeps a str as it is (no copy into bytes): the payload is stored JSON.
    return s.EntryOut(
        entry=msgspec.Raw(row.payload),
        created_at=row.created_at,
        has_blob=row.blob_id is not None,
        first=None if first is None else msgspec.Raw(first),
    )


class DossierController(Controller):
    path = "/api/v1/dossiers"
    tags = ["dossier"]
    guards = [requires_login]
    security = CALLER_SECURITY

    @post("/", status_code=201)
    async def create(
        self,
        data: JSONBody[s.NewDossier],
        caller: CallerDep,
        accounts: Accounts,
        dossiers: Dossiers,
    ) -> s.DossierOut:
        owner = await accounts.get(caller.account_id)
        dossier = await dossiers.create(owner, data)
        return await self._out(dossier.id, owner.id, accounts, dossiers)

    @get("/{dossier_id:uuid}")
    async def show(
        self,
        dossier_id: FromPath[uuid.UUID],
        caller: CallerDep,
        access: Access,
        accounts: Accounts,
        dossiers: Dossiers,
    ) -> s.DossierOut:
        """The owner sees every section with its own sealed key; a grantee sees only the
        sections it holds a valid grant on, each with that grant's envelope."""
        dossier = await dossiers.get_or_none(dossier_id)
        if dossier is not None and dossier.owner_id == caller.account_id:
            return await self._out(dossier.id, dossier.owner_id, accounts, dossiers)
        grants = (
            [] if dossier is None else await access.visible_grants(caller.account_id, dossier_id)
        )
        if dossier is None or not grants:
            raise Forbidden("no access to this dossier")
        return await self._out(dossier.id, dossier.owner_id, accounts, dossiers, grants)

    @staticmethod
    async def _out(
        dossier_id: uuid.UUID,
        owner_id: uuid.UUID,
        accounts: Accounts,
        dossiers: Dossiers,
        grants: list[Grant] | None = None,
    ) -> s.DossierOut:
        owner = await accounts.get(owner_id)
        return dossier_out(dossier_id, owner, await dossiers.sections(dossier_id), grants)


def dossier_out(
    dossier_id: uuid.UUID,
    owner: Account,
    rows: list[tuple[Section, int, int]],
    grants: list[Grant] | None = None,
) -> s.DossierOut:
    """The owner's view (`grants` None: every section with the owner's sealed key), or a
    grantee's (only the sections its grants cover, each with the grant's envelope)."""
    by_section: dict[str, list[s.SectionGrant]] = {}
    for grant in grants or []:
        by_section.setdefault(grant.section, []).append(section_grant(grant))
    sections = [
        s.SectionOut(
            key=row.key,
            key_version=row.key_version,
            signed_key=row.signed_key,
            entries=n,
            size=size,
            owner_sealed_sk=b64e(row.owner_sealed_sk) if grants is None else None,
            grants=by_section.get(row.key, []),
        )
        for row, n, size in rows
        if grants is None or row.key in by_section
    ]
    return s.DossierOut(
        id=str(dossier_id),
        owner_id=str(owner.id),
        owner_identity={"v": VERSION, "box_pk": b64e(owner.box_pk), "sign_pk": b64e(owner.sign_pk)},
        sections=sections,
    )


class EntryController(Controller):
    path = "/api/v1/dossiers/{dossier_id:uuid}/sections/{section:str}"
    tags = ["dossier"]
    guards = [requires_login]
    security = CALLER_SECURITY

    @get("/entries", opt={CHECKS_SESSION: True})
    async def list_entries(
        self,
        dossier_id: FromPath[uuid.UUID],
        section: FromPath[str],
        caller: CallerDep,
        access: Access,
        dossiers: Dossiers,
        entry_service: Entries,
        mine: FromQuery[bool] = False,
        versions: FromQuery[Literal["latest", "all"]] = "latest",
    ) -> s.EntryList:
        """`?mine=true`: only my own entries (an append-only author reads back what they
        wrote); `?versions=all`: every version, for the owner's rotation and export."""
        if versions == "all":
            allowed = await access.section(
                caller.account_id,
                dossier_id,
                section,
                Action.MANAGE,
                along=Along(session=caller.unchecked),
            )
            row, entries = allowed.section, await dossiers.all_entries(allowed.section)
        else:
            row, entries = await entry_service.latest(
                caller.account_id, dossier_id, section, mine=mine, session=caller.unchecked
            )
        return s.EntryList(
            section=row.key,
            key_version=row.key_version,
            entries=[entry_out(e) for e in entries],
            manifest=row.manifest,
        )

    @put("/manifest", status_code=204)
    async def put_manifest(
        self,
        dossier_id: FromPath[uuid.UUID],
        section: FromPath[str],
        data: JSONBody[dict[str, Any]],
        caller: CallerDep,
        access: Access,
        accounts: Accounts,
        db_session: DbSession,
    ) -> None:
        """The owner's newer signed manifest of this section (docs/crypto.md)."""
        allowed = await access.section(caller.account_id, dossier_id, section, Action.MANAGE)
        owner = await accounts.get(caller.account_id)
        await ManifestService(db_session).put(owner, allowed.section, data)

    @post("/entries", status_code=201, opt={CHECKS_SESSION: True})
    async def add_entry(
        self,
        dossier_id: FromPath[uuid.UUID],
        section: FromPath[str],
        data: JSONBody[dict[str, object]],
        caller: CallerDep,
        entry_service: Entries,
    ) -> s.EntryOut:
        row = await entry_service.append(
            caller.account_id,
            caller.sign_pk,
            dossier_id,
            section,
            data,
            session=caller.unchecked,
        )
        return entry_out(row)

    @get("/entries/{entry_id:uuid}/versions")
    async def versions(
        self,
        dossier_id: FromPath[uuid.UUID],
        section: FromPath[str],
        entry_id: FromPath[uuid.UUID],
        caller: CallerDep,
        access: Access,
        dossiers: Dossiers,
    ) -> list[s.EntryOut]:
        allowed = await access.section(caller.account_id, dossier_id, section, Action.READ)
        return [entry_out(e) for e in await dossiers.versions(allowed.section, entry_id)]

    @put("/documents", status_code=201, request_max_body_size=None)
    async def upload_document(
        self,
        request: Request[Any, Any, Any],
        dossier_id: FromPath[uuid.UUID],
        section: FromPath[str],
        entry: EntryHeader,
        caller: CallerDep,
        access: Access,
        documents: Documents,
    ) -> s.EntryOut:
        """The body streams the secretstream ciphertext; the sealed entry (whose signed body
        names the blob's SHA-256) rides in the `X-Rugzak-Entry` header as base64url JSON, so
        blob and entry are stored in one transaction."""
        allowed = await access.section(caller.account_id, dossier_id, section, Action.APPEND)
        row = await documents.upload(
            allowed.section,
            caller.account_id,
            caller.sign_pk,
            _header_json(entry),
            request.stream(),
        )
        return entry_out(row)

    @get("/entries/{entry_id:uuid}/versions/{version:int}/blob")
    async def download_document(
        self,
        dossier_id: FromPath[uuid.UUID],
        section: FromPath[str],
        entry_id: FromPath[uuid.UUID],
        version: VersionPath,
        caller: CallerDep,
        access: Access,
        documents: Documents,
        blobs: BlobsDep,
    ) -> Stream:
        allowed = await access.section(caller.account_id, dossier_id, section, Action.READ)
        blob = await documents.blob_of(allowed.section, entry_id, version)
        return Stream(
            _stream(blobs, blob.id),
            media_type="application/octet-stream",
            headers={"content-length": str(blob.size)},
        )


async def _stream(blobs: BlobsDep, blob_id: uuid.UUID) -> AsyncIterator[bytes]:
    async for chunk in blobs.read(blob_id):
        yield chunk


def _header_json(value: str) -> dict[str, object]:
    try:
        decoded = msgspec.json.decode(b64d(value))
    except (CryptoError, msgspec.DecodeError) as exc:
        raise InvalidInput("X-Rugzak-Entry is not base64url JSON") from exc
    if not isinstance(decoded, dict):
        raise InvalidInput("X-Rugzak-Entry is not a JSON object")
    return decoded
