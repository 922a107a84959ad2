"""Reader and owner side of section manifests (docs/crypto.md, "Section manifests").

Every reader checks a listing against the owner's newest signed manifest: a version it does
not list, signed well before it, is refused (`crypto.UnlistedEntry`); a listed entry that is
missing or older is reported (`WithheldError`); a manifest older than one this device has seen
is refused (`RollbackError`). After a clean check the owner's client signs a new manifest
when what it saw differs from the newest one ("countersigns on open"), so a grantee's entry
is covered from the owner's next open of the section."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from dossier import crypto
from dossier.client.api import ApiError, RollbackError, WithheldError
from dossier.client.base import ClientBase

if TYPE_CHECKING:
    from dossier.client.sections import SectionView


class ManifestsClient(ClientBase):
    def _manifest(
        self, dossier: str, section: str, owner: crypto.PublicIdentity, data: dict[str, Any] | None
    ) -> crypto.Manifest | None:
        """The verified newest manifest, never older than one this device has seen."""
        seen = self._manifest_seq.get((dossier, section), 0)
        if data is None:
            if seen:
                raise RollbackError("the server no longer shows the section's manifest")
            return None
        manifest = crypto.verify_manifest(data, owner.sign_pk, dossier=dossier, section=section)
        if manifest.seq < seen:
            raise RollbackError("the server shows an older manifest than this device has seen")
        self._manifest_seq[(dossier, section)] = manifest.seq
        return manifest

    def _check_manifest(
        self,
        manifest: crypto.Manifest | None,
        shown: Sequence[crypto.SealedEntry],
        *,
        complete: bool,
    ) -> None:
        """`complete`: `shown` is the whole list of latest versions (not `mine=true`)."""
        if manifest is None:
            return
        for sealed in shown:
            crypto.check_listed(manifest, sealed)
        if complete:
            missing = crypto.withheld(manifest, {s.entry: s.version for s in shown})
            if missing:
                raise WithheldError(missing)

    def _countersign(
        self,
        view: SectionView,
        manifest: crypto.Manifest | None,
        shown: Sequence[crypto.SealedEntry],
        served_ends: Mapping[str, Mapping[str, Any]],
    ) -> None:
        """Owner only, after a clean, complete check: sign what was seen if it is new. The
        grant ends are those of the last manifest (never dropped), those this device signed
        and those the server served that verify."""
        dossier, section = view.dossier, view.key
        ends = dict(manifest.ends) if manifest is not None else {}
        ends.update(self._ends_signed.get((dossier, section), {}))
        for grant, statement in served_ends.items():
            at = crypto.grant_end_time(
                statement, view.owner.sign_pk, grant=grant, dossier=dossier, section=section
            )
            if at is not None:
                ends[grant] = min(at, ends.get(grant, at))
        listed = {s.entry: (s.version, hashlib.sha256(s.signature).digest()) for s in shown}
        if manifest is not None and manifest.entries == listed and manifest.ends == ends:
            return
        seq = 1 if manifest is None else manifest.seq + 1
        statement = crypto.sign_manifest(
            self.unlocked().identity,
            dossier=dossier,
            section=section,
            seq=seq,
            at=dt.datetime.now(dt.UTC),
            entries=shown,
            ends=ends,
        )
        path = f"/api/v1/dossiers/{dossier}/sections/{section}/manifest"
        try:
            self.api.call("PUT", path, json=statement)
        except ApiError as exc:
            if exc.status != 409:  # another device of the owner signed a newer one first
                raise
            return
        self._manifest_seq[(dossier, section)] = seq
