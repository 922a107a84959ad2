"""The newest owner-signed manifest of each section (docs/crypto.md, "Section manifests").

The server only stores and serves it: it verifies the owner's signature so that nobody else
can replace it, and keeps `seq` going up so that it cannot quietly go back to an older one
itself (a reader's device also refuses a `seq` lower than the highest it has seen)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dossier import crypto
from dossier.accounts.models import Account
from dossier.errors import InvalidInput, VersionConflict
from dossier.sections.models import Section


def manifest_seq(section: Section) -> int:
    manifest = section.manifest
    return 0 if manifest is None else int(manifest.get("seq", 0))


class ManifestService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def put(self, owner: Account, section: Section, statement: Mapping[str, Any]) -> None:
        """Store the owner's newer manifest of this section."""
        try:
            manifest = crypto.verify_manifest(
                statement, owner.sign_pk, dossier=str(section.dossier_id), section=section.key
            )
        except crypto.CryptoError as exc:
            raise InvalidInput("the manifest is not signed by the owner") from exc
        if manifest.seq <= manifest_seq(section):
            raise VersionConflict("a manifest with this number or a later one is stored")
        section.manifest = dict(statement)
        await self.db.flush()
