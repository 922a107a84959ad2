"""Inviting a colleague into an organisation with a link (docs/organisations.md).

The link only says who wants to join: accepting it records the professional's account, and
the server still holds nothing it could give them. They become a member when an admin's client
seals the organisation key to the public key of that account (`PartiesService.add_member`),
after the admin and the colleague compared its fingerprint. So a link that leaks (a forwarded
e-mail, a screenshot) gives at most a join request an admin sees and can refuse.

Security invariants: the token is stored only as its SHA-256, works once and for a week; an
unknown, used, withdrawn or expired token all give the same `InviteUnavailable`. Only an
active admin makes, lists and withdraws invites; only a professional account accepts one."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from consent.connections.service import (
    MAX_TOKEN_CHARS,
    TOKEN_BYTES,
    InviteUnavailable,
    fingerprint_of,
    token_hash,
)
from consent.parties.lookups import ACTIVE
from consent.parties.models import MemberInvite, Membership, Organisation
from consent.parties.service import PartiesService
from dossier.accounts.models import Account
from dossier.db import utcnow
from dossier.errors import Conflict, Forbidden, InvalidInput

INVITE_DAYS = 7
ROLES = frozenset({"member", "admin"})
OPEN, ACCEPTED, ADDED, WITHDRAWN = "open", "accepted", "added", "withdrawn"


@dataclass(frozen=True, slots=True)
class NewMemberInvite:
    invite: MemberInvite
    token: str
    """Shown once, to the admin who made it; the server keeps only its hash."""


@dataclass(frozen=True, slots=True)
class InviteFacts:
    """What the person holding the link sees: which organisation, which role, and whether they
    already accepted it themselves (then: their own fingerprint to compare)."""

    invite: MemberInvite
    org: Organisation
    mine: bool


@dataclass(frozen=True, slots=True)
class Joiner:
    """An accepted invite waiting for an admin's client to seal the org key."""

    invite: MemberInvite
    account: Account
    fingerprint: str


@dataclass(frozen=True, slots=True)
class OpenInvites:
    waiting: list[MemberInvite]
    joiners: list[Joiner]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class MemberInvites:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session
        self.parties = PartiesService(session)

    async def create(self, caller: uuid.UUID, org_id: uuid.UUID, role: str) -> NewMemberInvite:
        if role not in ROLES:
            raise InvalidInput("unknown role")
        await self.parties.require_member(caller, org_id, admin=True)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        invite = MemberInvite(
            org_id=org_id,
            token_hash=token_hash(token),
            role=role,
            state=OPEN,
            created_by=caller,
            expires_at=_now() + dt.timedelta(days=INVITE_DAYS),
        )
        self.db.add(invite)
        await self.db.flush()
        return NewMemberInvite(invite, token)

    async def facts(self, token: str, viewer: uuid.UUID | None) -> InviteFacts:
        """Open invites show to anyone holding the link; an accepted one only to whoever
        accepted it (so they can come back to it), to anyone else it is unavailable."""
        invite = await self._by_token(token)
        mine = viewer is not None and invite.account_id == viewer
        if invite.state != OPEN and not (invite.state == ACCEPTED and mine):
            raise InviteUnavailable("invite unknown, used or expired")
        return InviteFacts(invite, await self.parties.organisation(invite.org_id), mine)

    async def accept(self, caller: uuid.UUID, token: str) -> InviteFacts:
        """Single use: the first professional to accept is the one an admin sees. Accepting
        again with the same account changes nothing."""
        account = await self.db.get(Account, caller)
        if account is None or account.kind != "professional":
            raise Forbidden("only a professional account can join an organisation")
        invite = await self._by_token(token)
        if invite.state == ACCEPTED and invite.account_id == caller:
            return InviteFacts(invite, await self.parties.organisation(invite.org_id), mine=True)
        if invite.state == OPEN and await self._is_member(invite.org_id, caller):
            raise Conflict("already a member of this organisation")
        claimed = await self.db.scalar(
            update(MemberInvite)
            .where(MemberInvite.id == invite.id, MemberInvite.state == OPEN)
            .values(state=ACCEPTED, account_id=caller, accepted_at=utcnow())
            .returning(MemberInvite.id)
        )
        if claimed is None:
            raise InviteUnavailable("invite unknown, used or expired")
        await self.db.refresh(invite)
        return InviteFacts(invite, await self.parties.organisation(invite.org_id), mine=True)

    async def open_invites(self, caller: uuid.UUID, org_id: uuid.UUID) -> OpenInvites:
        """For admins: links not yet used, and colleagues who accepted and wait to be added."""
        await self.parties.require_member(caller, org_id, admin=True)
        rows = await self.db.execute(
            select(MemberInvite, Account)
            .outerjoin(Account, Account.id == MemberInvite.account_id)
            .where(
                MemberInvite.org_id == org_id,
                MemberInvite.state.in_((OPEN, ACCEPTED)),
            )
            .order_by(MemberInvite.created_at)
        )
        now = _now()
        waiting, joiners = [], []
        for invite, account in rows.tuples():
            if invite.state == ACCEPTED and account is not None:
                joiners.append(Joiner(invite, account, fingerprint_of(account)))
            elif invite.state == OPEN and invite.expires_at > now:
                waiting.append(invite)
        return OpenInvites(waiting, joiners)

    async def withdraw(self, caller: uuid.UUID, org_id: uuid.UUID, invite_id: uuid.UUID) -> None:
        """An unused link stops working; an accepted one is refused (nobody gets added)."""
        await self.parties.require_member(caller, org_id, admin=True)
        await self.db.execute(
            update(MemberInvite)
            .where(
                MemberInvite.id == invite_id,
                MemberInvite.org_id == org_id,
                MemberInvite.state.in_((OPEN, ACCEPTED)),
            )
            .values(state=WITHDRAWN)
        )

    async def _by_token(self, token: str) -> MemberInvite:
        if not token or len(token) > MAX_TOKEN_CHARS:
            raise InviteUnavailable("invite unknown, used or expired")
        invite = await self.db.scalar(
            select(MemberInvite).where(MemberInvite.token_hash == token_hash(token))
        )
        if invite is None or invite.expires_at <= _now():
            raise InviteUnavailable("invite unknown, used or expired")
        return invite

    async def _is_member(self, org_id: uuid.UUID, account_id: uuid.UUID) -> bool:
        found = await self.db.scalar(
            select(Membership.id).where(
                Membership.org_id == org_id,
                Membership.account_id == account_id,
                Membership.state == ACTIVE,
            )
        )
        return found is not None
