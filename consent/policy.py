"""The policy decision: may this actor do this to this section, now? Pure, no I/O.

The server calls it on every read and append route before any ciphertext is touched; a
revoked or expired grant is refused at once, before any key rotation has happened."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Action(StrEnum):
    READ = "section:read"
    APPEND = "section:append"
    MANAGE = "section:manage"


class Reason(StrEnum):
    OWNER = "owner"
    GRANT = "grant"
    OWNER_ONLY = "owner-only"
    NO_GRANT = "no-grant"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_PERMITTED = "not-permitted"
    NOT_YET_VALID = "not-yet-valid"


@dataclass(frozen=True, slots=True)
class GrantFacts:
    id: uuid.UUID
    grantee_id: uuid.UUID
    section: str
    can_read: bool
    can_append: bool
    issued_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who asks: an account, and the organisations it is an *active* member of."""

    account_id: uuid.UUID
    organisations: frozenset[uuid.UUID] = field(default_factory=frozenset)

    def parties(self) -> frozenset[uuid.UUID]:
        return self.organisations | {self.account_id}


@dataclass(frozen=True, slots=True)
class SectionFacts:
    dossier_id: uuid.UUID
    owner_id: uuid.UUID
    section: str
    grants: tuple[GrantFacts, ...]
    now: dt.datetime


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: Reason
    grant_id: uuid.UUID | None = None

    def __bool__(self) -> bool:
        return self.allowed


def _permits(grant: GrantFacts, action: Action) -> bool:
    return (action is Action.READ and grant.can_read) or (
        action is Action.APPEND and grant.can_append
    )


def _refusal(grant: GrantFacts, action: Action, now: dt.datetime) -> Reason | None:
    if grant.revoked_at is not None and grant.revoked_at <= now:
        return Reason.REVOKED
    if now >= grant.expires_at:
        return Reason.EXPIRED
    if now < grant.issued_at:
        return Reason.NOT_YET_VALID
    if not _permits(grant, action):
        return Reason.NOT_PERMITTED
    return None


def may(actor: Actor, action: Action, section: SectionFacts) -> Decision:
    """Owner: everything. Others: only through a grant for exactly this section, to them or to
    an organisation they are an active member of, not revoked, not expired, with the right
    permission. Managing (grants, rotation, log) is the owner's alone."""
    if actor.account_id == section.owner_id:
        return Decision(allowed=True, reason=Reason.OWNER)
    if action is Action.MANAGE:
        return Decision(allowed=False, reason=Reason.OWNER_ONLY)
    mine = [
        g
        for g in section.grants
        if g.section == section.section and g.grantee_id in actor.parties()
    ]
    reasons: list[Reason] = []
    for grant in mine:
        refusal = _refusal(grant, action, section.now)
        if refusal is None:
            return Decision(allowed=True, reason=Reason.GRANT, grant_id=grant.id)
        reasons.append(refusal)
    return Decision(allowed=False, reason=_most_telling(reasons))


def _most_telling(reasons: Iterable[Reason]) -> Reason:
    """With several refused grants, say the one that explains most (revoked before expired)."""
    order = [Reason.REVOKED, Reason.EXPIRED, Reason.NOT_PERMITTED, Reason.NOT_YET_VALID]
    found = set(reasons)
    return next((r for r in order if r in found), Reason.NO_GRANT)
