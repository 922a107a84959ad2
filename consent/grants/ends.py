"""Grant ends: the owner's signed statement that a revoked grant ended at a moment
(docs/crypto.md, "Grant ends"). The server still refuses a revoked grant at once on its own
(`consent.policy`); the statement is what lets every reader refuse, too, an entry a revoked
appender signs afterwards, even one a server working with that appender stored.

The owner's client signs the end right after the revocation (and on its next unlock for any
revocation it has not signed yet), with `at` = the server's `revoked_at`, or its own clock if
that is earlier. The server keeps the first valid statement per grant and serves it with the
receipt (`authors_of`)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.grants.models import Grant
from dossier import crypto
from dossier.accounts.models import Account
from dossier.errors import ClockSkew, InvalidInput, NotFound

MAX_CLOCK_SKEW = dt.timedelta(minutes=5)


class GrantEndService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def due(self, dossier_id: uuid.UUID) -> list[Grant]:
        """Revoked grants of this dossier whose end the owner has not signed yet."""
        rows = await self.db.scalars(
            select(Grant)
            .where(
                Grant.dossier_id == dossier_id,
                Grant.revoked_at.is_not(None),
                Grant.end_statement.is_(None),
            )
            .order_by(Grant.revoked_at)
        )
        return list(rows)

    async def record(
        self, owner: Account, dossier_id: uuid.UUID, statements: Iterable[Mapping[str, Any]]
    ) -> int:
        """Store each owner-signed end of a revoked grant of this dossier; returns how many
        were new. Anything unsigned, forged or about another grant is refused as a whole."""
        stored = 0
        now = dt.datetime.now(dt.UTC)
        for statement in statements:
            grant = await self._grant(dossier_id, statement)
            try:
                at = crypto.verify_grant_end(
                    statement,
                    owner.sign_pk,
                    grant=str(grant.id),
                    dossier=str(dossier_id),
                    section=grant.section,
                )
            except crypto.CryptoError as exc:
                raise InvalidInput("the grant end is not signed by the owner") from exc
            if at > now + MAX_CLOCK_SKEW:
                raise ClockSkew("the grant end's time is more than 5 minutes ahead")
            if grant.revoked_at is None:
                raise InvalidInput("only a revoked grant has an end")
            if grant.end_statement is None:
                grant.end_statement = dict(statement)
                stored += 1
        await self.db.flush()
        return stored

    async def _grant(self, dossier_id: uuid.UUID, statement: Mapping[str, Any]) -> Grant:
        grant_id = statement.get("grant") if isinstance(statement, Mapping) else None
        try:
            key = uuid.UUID(str(grant_id))
        except ValueError as exc:
            raise InvalidInput("the grant end names no grant") from exc
        grant = await self.db.get(Grant, key)
        if grant is None or grant.dossier_id != dossier_id:
            raise NotFound("grant")
        return grant
