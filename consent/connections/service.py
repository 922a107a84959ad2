"""Invites and connections between a youth and a professional.

Security invariants: the server stores an invite token only as its SHA-256, so a copy of the
database cannot be used to connect; the profile cards are signed and sealed by the clients
(`dossier.crypto.seal_profile_card`), so the server never learns a name, role or phone number
of either side. A connection shares nothing by itself: grants are a separate, later step.

An unknown, used or expired invite all end in the same `InviteUnavailable`, so the answer is
no oracle for which tokens exist or were used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from consent.connections.models import Connection, Invite
from consent.log.actions import LogAction
from consent.log.service import LogService
from consent.notify import events
from consent.parties.models import Membership, Organisation
from consent.profiles.service import ProfileService
from consent.recovery.setup import revoke_contact
from dossier import crypto
from dossier.accounts.models import Account
from dossier.db import changed_rows
from dossier.errors import Conflict, Forbidden, InvalidInput, NotFound
from dossier.sections.models import Dossier

INVITE_DAYS = 7
TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
MAX_TOKEN_CHARS = 64
MAX_CARD_BYTES = 4096
MIN_CARD_BYTES = 48 + 64  # a sealed box around at least a signature


class InviteUnavailable(NotFound):
    """The one answer for an unknown, used or expired invite token."""

    code = "invite-unavailable"


PURPOSES = ("care", "recovery")
"""A connection's purpose: "recovery" is a trusted person, recovery contact only."""


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def fingerprint_of(account: Account) -> str:
    """The digits two people compare in person (DESIGN.md §4 "key fingerprint")."""
    identity = crypto.PublicIdentity(box_pk=account.box_pk, sign_pk=account.sign_pk)
    return crypto.format_fingerprint(identity.fingerprint())


def decode_card(value: str) -> bytes:
    """A sealed card as sent by a client. The server cannot check what is inside (it cannot
    open it); it only bounds the size."""
    try:
        raw = crypto.b64d(value)
    except crypto.CryptoError as exc:
        raise InvalidInput("card is not unpadded base64url") from exc
    if not MIN_CARD_BYTES <= len(raw) <= MAX_CARD_BYTES:
        raise InvalidInput("card has an impossible size")
    return raw


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class NewInvite:
    invite: Invite
    token: str
    """Shown once, to the professional who made it; the server keeps only its hash."""
    org_name: str | None


@dataclass(frozen=True, slots=True)
class InviteView:
    invite: Invite
    professional: Account
    fingerprint: str
    org_name: str | None


@dataclass(frozen=True, slots=True)
class ConnectionView:
    """One connection as one side sees it: the other party and the card addressed to me."""

    connection: Connection
    role: str
    other: Account
    fingerprint: str
    card: bytes | None


class ConnectionService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    # -- invites -----------------------------------------------------------------------------

    async def create_invite(
        self,
        professional: uuid.UUID,
        kind: str,
        org_id: uuid.UUID | None,
        *,
        token: str,
        card: bytes,
        purpose: str = "care",
    ) -> NewInvite:
        """Profile before invite: refused (`ProfileMissing`) until the professional stored
        their own profile card. `token` is made by the professional's client (32 random
        bytes, base64url) because `card` is sealed to a key derived from it
        (dossier/crypto/invites.py); the server keeps only the token's hash."""
        if kind != "professional":
            raise Forbidden("only a professional can invite")
        if purpose not in PURPOSES or (purpose == "recovery" and org_id is not None):
            raise InvalidInput('purpose is "care" or "recovery" (a recovery invite has no org)')
        await ProfileService(self.db).require(professional)
        if not TOKEN_PATTERN.fullmatch(token):
            raise InvalidInput("token must be 32 random bytes in base64url")
        if await self.db.scalar(select(Invite.id).where(Invite.token_hash == token_hash(token))):
            raise Conflict("this token was used before")
        org_name = None if org_id is None else await self._member_org(professional, org_id)
        invite = Invite(
            token_hash=token_hash(token),
            professional_id=professional,
            org_id=org_id,
            expires_at=_utcnow() + dt.timedelta(days=INVITE_DAYS),
            card=card,
            purpose=purpose,
        )
        self.db.add(invite)
        await self.db.flush()
        return NewInvite(invite, token, org_name)

    async def _member_org(self, account_id: uuid.UUID, org_id: uuid.UUID) -> str:
        name = await self.db.scalar(
            select(Organisation.name)
            .join(Membership, Membership.org_id == Organisation.id)
            .where(
                Organisation.id == org_id,
                Membership.account_id == account_id,
                Membership.state == "active",
            )
        )
        if name is None:
            raise Forbidden("not an active member of this organisation")
        return name

    async def _invite(self, token: str) -> Invite:
        if not token or len(token) > MAX_TOKEN_CHARS:
            raise InviteUnavailable
        invite = await self.db.scalar(select(Invite).where(Invite.token_hash == token_hash(token)))
        if invite is None:
            raise InviteUnavailable
        return invite

    async def invite_info(self, token: str, viewer: uuid.UUID | None) -> InviteView:
        """What the invite page shows before accepting. A used invite stays visible only to
        its two parties (so the youth can reopen the link and see "al verbonden")."""
        invite = await self._invite(token)
        if invite.used_at is not None:
            if viewer is None or viewer not in await self._parties(invite):
                raise InviteUnavailable
        elif invite.expires_at <= _utcnow():
            raise InviteUnavailable
        professional = await self.db.get_one(Account, invite.professional_id)
        org_name = None
        if invite.org_id is not None:
            org_name = await self.db.scalar(
                select(Organisation.name).where(Organisation.id == invite.org_id)
            )
        return InviteView(invite, professional, fingerprint_of(professional), org_name)

    async def _parties(self, invite: Invite) -> set[uuid.UUID]:
        parties = {invite.professional_id}
        if invite.connection_id is not None:
            youth = await self.db.scalar(
                select(Connection.youth_id).where(Connection.id == invite.connection_id)
            )
            if youth is not None:
                parties.add(youth)
        return parties

    # -- accepting ---------------------------------------------------------------------------

    async def accept(self, youth: uuid.UUID, kind: str, token: str, card: bytes) -> ConnectionView:
        """Use the invite once and connect, in the caller's transaction: the invite is claimed
        with a conditional UPDATE, so two concurrent accepts cannot both succeed."""
        if kind != "youth":
            raise Forbidden("only a youth accepts an invite")
        dossier_id = await self.db.scalar(select(Dossier.id).where(Dossier.owner_id == youth))
        if dossier_id is None:
            raise InvalidInput("make your dossier before connecting")
        invite = await self._invite(token)
        now = _utcnow()
        claimed = await changed_rows(
            self.db,
            update(Invite)
            .where(Invite.id == invite.id, Invite.used_at.is_(None), Invite.expires_at > now)
            .values(used_at=now)
            .execution_options(synchronize_session=False),
        )
        if claimed != 1:
            raise InviteUnavailable
        connection = await self._connect(youth, invite, dossier_id, card)
        invite.used_at = now
        invite.connection_id = connection.id
        await LogService(self.db).record(dossier_id, youth, LogAction.CONNECT)
        await self.db.flush()
        await events.to_person(self.db, invite.professional_id, "connection", invite.id, dossier_id)
        professional = await self.db.get_one(Account, invite.professional_id)
        return self._view(connection, youth, professional)

    async def _connect(
        self, youth: uuid.UUID, invite: Invite, dossier_id: uuid.UUID, card: bytes
    ) -> Connection:
        """A new connection, or the ended one between the same two people reopened with
        fresh cards (there is one row per pair)."""
        existing = await self.db.scalar(
            select(Connection).where(
                Connection.youth_id == youth,
                Connection.professional_id == invite.professional_id,
            )
        )
        if existing is not None and existing.ended_at is None:
            raise Conflict("already connected")
        connection = existing or Connection(youth_id=youth, professional_id=invite.professional_id)
        connection.dossier_id = dossier_id
        connection.org_id = invite.org_id
        connection.youth_card = card
        connection.professional_card = None
        connection.contact_person = False
        connection.purpose = invite.purpose
        connection.created_at = _utcnow()
        connection.ended_at = None
        self.db.add(connection)
        await self.db.flush()
        return connection

    # -- after connecting --------------------------------------------------------------------

    async def _own(self, account_id: uuid.UUID, connection_id: uuid.UUID, role: str) -> Connection:
        """The active connection if `account_id` is on the `role` side of it; otherwise
        Forbidden, also when it does not exist (no oracle for connection ids)."""
        connection = await self.db.get(Connection, connection_id)
        side = None
        if connection is not None:
            side = connection.youth_id if role == "youth" else connection.professional_id
        if connection is None or side != account_id:
            raise Forbidden("not your connection")
        if connection.ended_at is not None:
            raise Forbidden("this connection has ended")
        return connection

    async def send_card(
        self, professional: uuid.UUID, connection_id: uuid.UUID, card: bytes
    ) -> None:
        connection = await self._own(professional, connection_id, "professional")
        connection.professional_card = card
        await self.db.flush()

    async def set_contact_person(
        self, youth: uuid.UUID, connection_id: uuid.UUID, *, on: bool = True
    ) -> None:
        """At most one fixed contact person per youth: setting one clears every other, in one
        statement, so concurrent changes cannot leave two."""
        connection = await self._own(youth, connection_id, "youth")
        if on:
            await self.db.execute(
                update(Connection)
                .where(Connection.youth_id == youth, Connection.id != connection.id)
                .values(contact_person=False)
                .execution_options(synchronize_session=False)
            )
        connection.contact_person = on
        await self.db.flush()

    async def end(self, youth: uuid.UUID, connection_id: uuid.UUID) -> Connection:
        """Ends the connection; grants are revoked separately (`GrantService.revoke_for`). A
        recovery share the professional held is revoked here, and the setup marked stale."""
        connection = await self._own(youth, connection_id, "youth")
        connection.ended_at = _utcnow()
        connection.contact_person = False
        await self.db.flush()
        # A recovery contact whose connection ends can no longer help (docs/recovery.md).
        await revoke_contact(self.db, youth, connection.professional_id, connection.ended_at)
        return connection

    async def list_for(self, account_id: uuid.UUID) -> list[ConnectionView]:
        rows = await self.db.execute(
            select(Connection, Account)
            .join(
                Account,
                or_(
                    and_(
                        Connection.youth_id == account_id,
                        Account.id == Connection.professional_id,
                    ),
                    and_(
                        Connection.professional_id == account_id,
                        Account.id == Connection.youth_id,
                    ),
                ),
            )
            .order_by(Connection.created_at, Connection.id)
        )
        return [self._view(connection, account_id, other) for connection, other in rows.tuples()]

    @staticmethod
    def _view(connection: Connection, me: uuid.UUID, other: Account) -> ConnectionView:
        is_youth = connection.youth_id == me
        return ConnectionView(
            connection=connection,
            role="youth" if is_youth else "professional",
            other=other,
            fingerprint=fingerprint_of(other),
            card=connection.professional_card if is_youth else connection.youth_card,
        )
