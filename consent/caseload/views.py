"""What the professional's pages show, as plain data: section keys, permission flags, dates and
ciphertext. Ids are strings and identities JSON text, so a template writes them as they are."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from consent.entries import SealedEntry
from dossier.crypto import VERSION, b64e
from dossier.sections.catalogue import LIFE_AREAS

if TYPE_CHECKING:
    from dossier.sections.models import Dossier, Section

READ, APPEND = "read", "append"


def identity_json(box_pk: bytes, sign_pk: bytes) -> str:
    """`{"v": 2, "box_pk": …, "sign_pk": …}` as `json.dumps` writes it (base64url needs no
    escaping, so the text is built directly: this runs once per youth on the caseload)."""
    return f'{{"v": {VERSION}, "box_pk": "{b64e(box_pk)}", "sign_pk": "{b64e(sign_pk)}"}}'


def day(at: dt.datetime) -> str:
    """A date as the pages write it (dd-mm-yyyy), in UTC like every stored time."""
    return f"{at.day:02d}-{at.month:02d}-{at.year}"


@dataclass(slots=True)
class SharedSection:
    """One section shared with me, a personal and an organisation grant merged:
    `permissions` is `("read",)`, `("append",)` or `("read", "append")`."""

    key: str
    permissions: tuple[str, ...]
    expires: str
    ends_soon: bool
    via: str | None

    @property
    def can_read(self) -> bool:
        return READ in self.permissions

    @property
    def can_append(self) -> bool:
        return APPEND in self.permissions


@dataclass(slots=True)
class YouthRow:
    """One connected youth on the caseload. `changed` lists the keys of shared sections with
    an entry by someone else since my last logged read (`seen`)."""

    dossier_id: str
    youth_id: str
    card: str
    """base64url (`b64e`) of the card sealed to me, or "": the page writes ids and card into
    attributes unescaped (web/pages/caseload_rows.py)."""
    identity: str
    contact_person: bool
    org: str | None
    connected: str
    seen: dt.datetime | None
    connection_id: str = ""
    card_sent: bool = True
    """Whether my profile card reached this youth (my browser sends it when it did not)."""
    shared: list[SharedSection] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    ends_soon: bool = False
    active: dt.datetime | None = None
    """The newest entry by someone else in a section shared with me: the last activity."""
    ends: dt.datetime | None = None
    """The first of my grants here to end within 30 days."""
    aftercare: str | None = None
    """My latest nazorg proposal here: `open`, `answered`, `declined` or `withdrawn`."""
    news: bool = False
    """I have an unread notice about this dossier (the caseload's "Nieuw")."""

    @property
    def last_visit(self) -> str | None:
        return None if self.seen is None else day(self.seen)

    @property
    def last_active(self) -> str | None:
        return None if self.active is None else day(self.active)

    @property
    def ends_on(self) -> str | None:
        return None if self.ends is None else day(self.ends)


@dataclass(frozen=True, slots=True)
class InviteRow:
    id: str
    org: str | None
    created: str
    expires: str
    used: bool


@dataclass(frozen=True, slots=True)
class Caseload:
    youths: list[YouthRow]
    pending: list[InviteRow]


@dataclass(frozen=True, slots=True)
class SectionKeys:
    """What the browser needs to open a section shared with me: the owner-signed public key,
    my envelope (the section private key sealed to me or my organisation), the owner-signed
    receipt naming me, the append receipts of other authors, and my sealed copy of the
    organisation key when the grant is to an organisation."""

    section: Section
    receipts: str
    envelope: str | None
    receipt: str
    org_key: str | None

    @property
    def signed_key(self) -> str:
        return json.dumps(self.section.signed_key)

    @property
    def manifest(self) -> str:
        """The owner's newest signed manifest as JSON, or "" before the first."""
        return "" if self.section.manifest is None else json.dumps(self.section.manifest)

    @property
    def key_version(self) -> int:
        return self.section.key_version


@dataclass(frozen=True, slots=True)
class SectionBlock:
    shared: SharedSection
    keys: SectionKeys
    entries: list[SealedEntry]

    @property
    def key(self) -> str:
        return self.shared.key

    @property
    def section(self) -> Section:
        return self.keys.section

    @property
    def kind(self) -> str:
        """Which form of entry the page shows for this section."""
        if self.key in LIFE_AREAS:
            return "leefgebied"
        known = {"notities", "plan", "contact", "verhaal", "documenten"}
        return self.key if self.key in known else "anders"


@dataclass(frozen=True, slots=True)
class RequestRow:
    sections: list[str]
    purpose: str
    period_days: int
    state: str
    created: str
    kind: str = "access"
    id: str = ""
    to: str | None = None
    """A handover's next professional ("<username> (<organisation>)") or organisation."""
    to_id: str | None = None


@dataclass(frozen=True, slots=True)
class HandoverNote:
    """A handover the youth said yes to, as the next professional's page gets it: the request
    (for the checks) and the note sealed to them, opened in their browser."""

    requester_id: str
    request: str
    """The request as JSON (`RequestOut`)."""
    sealed: str
    created: str


@dataclass(frozen=True, slots=True)
class YouthPage:
    dossier: Dossier
    owner_id: str
    owner_identity: str
    card: str | None
    contact_person: bool
    connected: bool
    blocks: list[SectionBlock]
    not_shared: list[str]
    requests: list[RequestRow]
    handovers: list[HandoverNote]
    authors: dict[str, str] = field(default_factory=dict)
    """Other professionals who wrote an entry here: id -> "<username> (<organisation>)"."""


@dataclass(frozen=True, slots=True)
class SharedPlan:
    """One youth's plan for the actions panel, or one shared life area for the ZRM strip: the
    same keys and sealed entries the youth view gives, and the card for the name. Reading it
    was logged like any section read."""

    dossier_id: str
    owner_id: str
    owner_identity: str
    card: str | None
    keys: SectionKeys
    entries: list[SealedEntry]
    section: str = "plan"
