"""Wire shapes of campaigns (school staff, partner systems, students) and partner clients."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec

from consent.grants.schemas import GrantIn

Scope = Literal["campaign:write", "campaign:read"]
State = Literal["not_opened", "opened", "accepted", "declined", "withdrawn"]
STATES: tuple[State, ...] = ("not_opened", "opened", "accepted", "declined", "withdrawn")


class NewCampaign(msgspec.Struct, forbid_unknown_fields=True):
    receiver_id: str
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    purpose: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    closes_on: dt.date
    """The last day a student can answer with the personal link."""
    period_days: Annotated[int, msgspec.Meta(ge=1, le=730)] = 365
    sections: Annotated[list[str], msgspec.Meta(min_length=1, max_length=12)] = msgspec.field(
        default_factory=lambda: ["contact"]
    )
    school_text: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    """The school's own words on the printed sheet (Dutch, B1)."""
    contact: Annotated[str, msgspec.Meta(max_length=200)] = ""
    """The school's contact person (name, phone or e-mail), printed on every sheet."""


class OrgOut(msgspec.Struct):
    id: str
    name: str
    kind: str
    identity: dict[str, Any]
    fingerprint: str


class CampaignOut(msgspec.Struct):
    id: str
    school: OrgOut
    receiver: OrgOut
    title: str
    sections: list[str]
    purpose: str
    period_days: int
    closes_at: dt.datetime
    school_text: str
    created_at: dt.datetime
    contact: str = ""


class IssuedLink(msgspec.Struct):
    """A personal link, shown once: the server keeps only the token's hash."""

    reference: str
    token: str
    link: str
    code: str = ""
    """The short code to type at `{base}/campagne` instead of the link (XXXX-XXXX-XXXX)."""


class ImportOut(msgspec.Struct):
    imported: int
    links: list[IssuedLink]
    skipped: list[dict[str, Any]]
    """With `only_valid`: the wrong lines that were left out, each with its Dutch message."""
    notices: list[dict[str, Any]]


class Reissue(msgspec.Struct, forbid_unknown_fields=True):
    references: list[str] | None = None
    """None: every student who has not answered with a rugzak yet."""


class StudentOut(msgspec.Struct, omit_defaults=True):
    reference: str
    state: State
    sealed_name: str | None
    """Sealed to the school's organisation key; only the school's members can open it."""
    sealed_group: str | None = None
    """The class or programme, sealed the same way."""


class StatusOut(msgspec.Struct):
    counts: dict[str, int]
    students: list[StudentOut]


class InviteOut(msgspec.Struct):
    """What the student sees before answering: who asks, what, why, for how long."""

    campaign_id: str
    title: str
    school: OrgOut
    receiver: OrgOut
    sections: list[dict[str, str]]
    purpose: str
    period_days: int
    closes_at: dt.datetime
    school_text: str
    state: State


class Acceptance(msgspec.Struct, forbid_unknown_fields=True):
    """The grants the youth's client made (receipts signed, envelopes sealed to the receiving
    organisation), stored together with the answer in one transaction."""

    grants: Annotated[list[GrantIn], msgspec.Meta(min_length=1, max_length=12)]


class AnswerOut(msgspec.Struct):
    entry_id: str
    campaign: CampaignOut
    state: State
    answered_at: dt.datetime | None
    grant_ids: list[str]
    rotate: list[str] = msgspec.field(default_factory=list)
    """Sections the youth's client must rotate now (after a withdrawal)."""


class NewPartnerClient(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    scopes: Annotated[list[Scope], msgspec.Meta(min_length=1, max_length=2)]


class PartnerClientOut(msgspec.Struct):
    client_id: str
    org_id: str
    name: str
    scopes: list[str]
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    client_secret: str | None = None
    """Only in the answer to creating the client: shown once, stored as a hash."""
