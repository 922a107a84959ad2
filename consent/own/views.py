"""What the youth's own pages show, as plain data: ciphertext and the public facts needed to
check it in the browser. Nothing here can read an entry; the templates put each sealed entry in
a `data-ciphertext` attribute and `htmx-rugzak.js` opens it (docs/web-app.md)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from consent.grants.service import state_of
from dossier.crypto import VERSION, b64e
from dossier.sections.catalogue import LIFE_AREAS, SECTIONS

if TYPE_CHECKING:
    from consent.entries import SealedEntry
    from consent.grants.models import Grant
    from dossier.accounts.models import Account
    from dossier.sections.models import Dossier, Section

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Over mij", ("contact", "verhaal")),
    ("Leefgebieden", LIFE_AREAS),
    ("Samen verder", ("plan", "notities", "documenten")),
)
PERMISSION_LABELS = {"read": "lezen", "append": "toevoegen"}
STATE_LABELS = {"active": "actief", "expired": "verlopen", "revoked": "ingetrokken"}


def short_id(value: uuid.UUID | str) -> str:
    """A short, stable handle for a party until connections give names (first 8 hex)."""
    return str(value).replace("-", "")[:8].upper()


def identity_json(account: Account) -> str:
    return json.dumps(
        {"v": VERSION, "box_pk": b64e(account.box_pk), "sign_pk": b64e(account.sign_pk)}
    )


@dataclass(frozen=True)
class GrantView:
    id: str
    section: str
    grantee: str
    grantee_kind: str
    permissions: str
    purpose: str
    expires: dt.datetime  # shown with the `datum` filter (web/dutch.py)
    state: str

    @classmethod
    def of(cls, grant: Grant, now: dt.datetime) -> GrantView:
        perms = [p for p, ok in (("read", grant.can_read), ("append", grant.can_append)) if ok]
        return cls(
            id=str(grant.id),
            section=grant.section,
            grantee=short_id(grant.grantee_id),
            grantee_kind=grant.grantee_kind,
            permissions=" en ".join(PERMISSION_LABELS[p] for p in perms),
            purpose=grant.purpose,
            expires=grant.expires_at,
            state=STATE_LABELS.get(state_of(grant, now), state_of(grant, now)),
        )


@dataclass
class SectionPage:
    """Everything a section page needs: its place, its signed key (to seal to), the owner's
    own sealed copy of the private key (to unlock the tab), entries and author receipts."""

    dossier: Dossier
    owner: Account
    section: Section
    entries: list[SealedEntry]
    receipts: str = "[]"
    grants: list[GrantView] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def label(self) -> str:
        return SECTIONS[self.section.key]

    @property
    def signed_key(self) -> str:
        return json.dumps(self.section.signed_key)

    @property
    def manifest(self) -> str:
        """The owner's newest signed manifest as JSON, or "" before the first."""
        return "" if self.section.manifest is None else json.dumps(self.section.manifest)

    @property
    def owner_sealed_sk(self) -> str:
        return b64e(self.section.owner_sealed_sk)

    @property
    def owner_identity(self) -> str:
        return identity_json(self.owner)
