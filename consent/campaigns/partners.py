"""Partner clients (a school's student information system) and their access tokens.

Security invariants: a client secret and an access token are each 256 random bits, handed out
once and stored only as their SHA-256 (a fast hash is enough for values that cannot be
guessed; compared in constant time). Every use of a token re-reads its client, so revoking a
client refuses its tokens at once. Only an admin of the school's organisation creates, lists
or revokes its clients."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.campaigns import schemas as s
from consent.campaigns.errors import InsufficientScope, InvalidPartnerToken
from consent.campaigns.models import PartnerClient, PartnerToken
from consent.campaigns.service import active_membership
from dossier.db import utcnow
from dossier.errors import Forbidden, NotFound

SECRET_BYTES = 32
TOKEN_SECONDS = 3600
SCOPES = ("campaign:write", "campaign:read")


def digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


def secret_matches(client: PartnerClient, secret: str) -> bool:
    return hmac.compare_digest(client.secret_hash, digest(secret))


@dataclass(frozen=True, slots=True)
class Partner:
    """The caller of a partner endpoint: a live client of one organisation, with the scopes
    of the token it presented."""

    client_id: uuid.UUID
    org_id: uuid.UUID
    scopes: frozenset[str]


class PartnerService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def _admin(self, account_id: uuid.UUID, org_id: uuid.UUID) -> None:
        membership = await active_membership(self.db, account_id, org_id)
        if membership.role != "admin":
            raise Forbidden("only an admin of the organisation manages its partner clients")

    async def create(
        self, account_id: uuid.UUID, org_id: uuid.UUID, data: s.NewPartnerClient
    ) -> tuple[PartnerClient, str]:
        """Returns the client and its secret; the secret is not kept."""
        await self._admin(account_id, org_id)
        secret = secrets.token_urlsafe(SECRET_BYTES)
        client = PartnerClient(
            org_id=org_id,
            name=data.name.strip(),
            secret_hash=digest(secret),
            scopes=sorted(set(data.scopes)),
            created_by=account_id,
        )
        self.db.add(client)
        await self.db.flush()
        return client, secret

    async def of_org(self, account_id: uuid.UUID, org_id: uuid.UUID) -> list[PartnerClient]:
        await self._admin(account_id, org_id)
        rows = await self.db.scalars(
            select(PartnerClient)
            .where(PartnerClient.org_id == org_id)
            .order_by(PartnerClient.created_at)
        )
        return list(rows)

    async def revoke(self, account_id: uuid.UUID, org_id: uuid.UUID, client_id: uuid.UUID) -> None:
        await self._admin(account_id, org_id)
        client = await self.db.get(PartnerClient, client_id)
        if client is None or client.org_id != org_id:
            raise NotFound("partner client")
        client.revoked_at = client.revoked_at or utcnow()
        await self.db.flush()

    async def live_client(self, client_id: str) -> PartnerClient | None:
        """The client a token request names, if it exists and is not revoked."""
        try:
            key = uuid.UUID(client_id)
        except ValueError:
            return None
        client = await self.db.get(PartnerClient, key)
        return None if client is None or client.revoked_at is not None else client

    async def store_token(self, client: PartnerClient, token: str, scopes: list[str]) -> None:
        self.db.add(
            PartnerToken(
                token_hash=digest(token),
                client_id=client.id,
                scopes=scopes,
                expires_at=utcnow() + dt.timedelta(seconds=TOKEN_SECONDS),
            )
        )
        await self.db.flush()

    async def authenticate(self, token: str, scope: str) -> Partner:
        """Unknown, expired or revoked → InvalidPartnerToken (401); a live token without
        `scope` → InsufficientScope (403)."""
        found = (
            await self.db.execute(
                select(PartnerToken, PartnerClient)
                .join(PartnerClient, PartnerClient.id == PartnerToken.client_id)
                .where(PartnerToken.token_hash == digest(token))
            )
        ).first()
        if found is None:
            raise InvalidPartnerToken("unknown token")
        row, client = found
        if client.revoked_at is not None:
            raise InvalidPartnerToken("the client was revoked")
        if row.expires_at <= utcnow():
            raise InvalidPartnerToken("the token expired")
        if scope not in row.scopes:
            raise InsufficientScope(f"this needs the scope {scope}")
        return Partner(client.id, client.org_id, frozenset(row.scopes))
