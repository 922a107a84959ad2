"""The lookups and checks every organisation action starts with: who is an active member
or admin, the organisation's row claimed before a change (see `consent.parties.service`),
and the small query pieces the service reuses."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Exists, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from consent.grants.models import Grant
from consent.parties.errors import LastAdmin
from consent.parties.models import Membership, Organisation
from dossier import crypto
from dossier.accounts.models import Account
from dossier.errors import Forbidden, NotFound

ACTIVE, REMOVED = "active", "removed"
ADMIN = "admin"


def public_of(account: Account) -> crypto.PublicIdentity:
    return crypto.PublicIdentity(box_pk=account.box_pk, sign_pk=account.sign_pk)


async def organisations_named(
    db: AsyncSession, query: str, *, but: uuid.UUID | None = None, limit: int = 10
) -> list[Organisation]:
    """Organisations whose name contains `query` (at least two characters; at most `limit`
    answers, by name): the campaign receiver search and the handover candidate search."""
    words = query.strip().lower()
    if len(words) < 2:
        return []
    statement = select(Organisation).where(
        func.lower(Organisation.name).contains(words, autoescape=True)
    )
    if but is not None:
        statement = statement.where(Organisation.id != but)
    return list(await db.scalars(statement.order_by(Organisation.name).limit(limit)))


@dataclass(frozen=True, slots=True)
class Member:
    membership: Membership
    account: Account


class PartyLookups:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    @staticmethod
    def _keys(identity: crypto.PublicIdentity) -> dict[str, bytes]:
        return {"box_pk": identity.box_pk, "sign_pk": identity.sign_pk}

    @staticmethod
    def _org_grants(org_id: uuid.UUID) -> tuple[ColumnElement[bool], ...]:
        return (Grant.grantee_kind == "organisation", Grant.grantee_id == org_id)

    @staticmethod
    def _is_admin(account_id: uuid.UUID, org_id: uuid.UUID) -> Exists:
        return exists().where(
            Membership.org_id == org_id,
            Membership.account_id == account_id,
            Membership.state == ACTIVE,
            Membership.role == ADMIN,
        )

    async def _claim(self, caller: uuid.UUID, org_id: uuid.UUID) -> Organisation:
        """Write the org row first (see the module docstring), then check the caller is an
        active admin. A missing organisation looks the same as one you do not manage."""
        await self.db.execute(
            update(Organisation)
            .where(Organisation.id == org_id)
            .values(key_version=Organisation.key_version)
        )
        await self._member(caller, org_id, admin=True)
        return await self.db.get_one(Organisation, org_id, populate_existing=True)

    async def _membership(self, org_id: uuid.UUID, account_id: uuid.UUID) -> Membership | None:
        found: Membership | None = await self.db.scalar(
            select(Membership).where(
                Membership.org_id == org_id, Membership.account_id == account_id
            )
        )
        return found

    async def _member(
        self, caller: uuid.UUID, org_id: uuid.UUID, *, admin: bool = False
    ) -> Membership:
        membership = await self._membership(org_id, caller)
        if membership is None or membership.state != ACTIVE:
            raise Forbidden("not a member of this organisation")
        if admin and membership.role != ADMIN:
            raise Forbidden("only an admin of this organisation may do this")
        return membership

    async def _active(self, org_id: uuid.UUID, account_id: uuid.UUID) -> Membership:
        membership = await self._membership(org_id, account_id)
        if membership is None or membership.state != ACTIVE:
            raise NotFound("member")
        return membership

    async def _keep_an_admin(self, org_id: uuid.UUID) -> None:
        admins = await self.db.scalar(
            select(func.count()).where(
                Membership.org_id == org_id,
                Membership.state == ACTIVE,
                Membership.role == ADMIN,
            )
        )
        if (admins or 0) <= 1:
            raise LastAdmin("an organisation always keeps at least one admin")

    async def _members(self, org_id: uuid.UUID, *, everyone: bool = False) -> list[Member]:
        query = (
            select(Membership, Account)
            .join(Account, Account.id == Membership.account_id)
            .where(Membership.org_id == org_id)
            .order_by(Account.username)
        )
        if not everyone:
            query = query.where(Membership.state == ACTIVE)
        return [Member(m, a) for m, a in (await self.db.execute(query)).tuples()]

    async def _account(self, account_id: uuid.UUID) -> Account:
        account = await self.db.get(Account, account_id)
        if account is None:
            raise NotFound("account")
        return account

    async def _professional(self, who: str) -> Account:
        try:
            account = await self.db.get(Account, uuid.UUID(who))
        except ValueError:
            account = await self.db.scalar(select(Account).where(Account.username == who))
        if account is None or account.kind != "professional":
            raise NotFound("no professional account by that name or id")
        return account

    async def _rotation_due(self, org: Organisation) -> bool:
        """A member was removed since the last rotation: their last sealed key is current."""
        due = await self.db.scalar(
            select(
                exists().where(
                    Membership.org_id == org.id,
                    Membership.state == REMOVED,
                    Membership.key_version == org.key_version,
                )
            )
        )
        return bool(due)
