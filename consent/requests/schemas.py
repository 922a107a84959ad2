"""Wire shapes of consent requests."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from consent.grants.schemas import GrantIn
from dossier.crypto import b64e

if TYPE_CHECKING:
    from consent.requests.models import ConsentRequest

Permission = Literal["read", "append"]


class NewRequest(msgspec.Struct, forbid_unknown_fields=True):
    sections: list[str]
    purpose: str = msgspec.field(default="")
    period_days: int = 365
    permissions: list[Permission] = msgspec.field(default_factory=lambda: ["read"])
    grantee_kind: Literal["person", "organisation"] = "person"
    grantee_id: str | None = None
    kind: Literal["access", "aftercare", "handover"] = "access"
    note_owner: str | None = None
    """handover only: the proposer's signed note sealed to the youth (base64url)."""
    note_grantee: str | None = None
    """handover only: the same note sealed to the next professional."""
    grantee_key: str | None = None
    """handover only: the next professional's key code as the proposer's browser showed it."""
    step_down: bool = False
    """handover only: on a yes, every grant of the proposer in this dossier ends."""


class Answer(msgspec.Struct, forbid_unknown_fields=True):
    """yes, partly (a subset) or no; the statement is the owner's signed answer."""

    answer: Literal["yes", "partly", "no"]
    statement: dict[str, Any]
    grants: list[GrantIn] = msgspec.field(default_factory=list)
    card: str | None = None
    """A yes to a handover: the youth's profile card sealed to the next professional."""


class Withdraw(msgspec.Struct, forbid_unknown_fields=True):
    statement: dict[str, Any]


class Retract(msgspec.Struct, forbid_unknown_fields=True):
    """The asker's signed `consent-retract` statement: the receipt that they withdrew."""

    statement: dict[str, Any]


class RequestOut(msgspec.Struct):
    id: str
    dossier_id: str
    requester_id: str
    kind: str
    grantee_kind: str
    grantee_id: str
    sections: list[str]
    permissions: list[str]
    purpose: str
    period_days: int
    state: str
    granted_sections: list[str]
    created_at: dt.datetime
    answered_at: dt.datetime | None
    receipts: list[dict[str, Any]]
    step_down: bool = False
    note_owner: str | None = None
    note_grantee: str | None = None


class Answered(RequestOut):
    """The answered request, and the sections the owner's client must now rotate (a yes to
    an aftercare request ended the grantee's other grants)."""

    rotation_due: list[str] = msgspec.field(default_factory=list)


class Candidate(msgspec.Struct):
    """A professional to hand over to (found by organisation), or with `kind` "organisation"
    the organisation itself (`id` == `org_id`, no username); with the key code to compare."""

    id: str
    username: str
    org_id: str
    org_name: str
    identity: dict[str, Any]
    fingerprint: str
    kind: Literal["person", "organisation"] = "person"


class Withdrawn(msgspec.Struct):
    sections: list[str]


def request_out(r: ConsentRequest) -> RequestOut:
    return RequestOut(
        id=str(r.id),
        dossier_id=str(r.dossier_id),
        requester_id=str(r.requester_id),
        kind=r.kind,
        grantee_kind=r.grantee_kind,
        grantee_id=str(r.grantee_id),
        sections=list(r.sections),
        permissions=list(r.permissions),
        purpose=r.purpose,
        period_days=r.period_days,
        state=r.state,
        granted_sections=list(r.granted_sections),
        created_at=r.created_at,
        answered_at=r.answered_at,
        receipts=list(r.receipts),
        step_down=r.step_down,
        note_owner=None if r.note_owner is None else b64e(r.note_owner),
        note_grantee=None if r.note_grantee is None else b64e(r.note_grantee),
    )
