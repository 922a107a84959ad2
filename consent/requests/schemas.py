"""Wire shapes of consent requests."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from consent.grants.schemas import GrantIn

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
    kind: Literal["access", "aftercare"] = "access"


class Answer(msgspec.Struct, forbid_unknown_fields=True):
    """yes, partly (a subset) or no; the statement is the owner's signed answer."""

    answer: Literal["yes", "partly", "no"]
    statement: dict[str, Any]
    grants: list[GrantIn] = msgspec.field(default_factory=list)


class Withdraw(msgspec.Struct, forbid_unknown_fields=True):
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


class Answered(RequestOut):
    """The answered request, and the sections the owner's client must now rotate (a yes to
    an aftercare request ended the grantee's other grants)."""

    rotation_due: list[str] = msgspec.field(default_factory=list)


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
    )
