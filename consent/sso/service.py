"""Which organisations offer single sign-on, and which professional an OpenID Connect subject
signs in as. A service around the request's session: it flushes, never commits.

Rules: only an active admin sets the organisation's issuer and client id; changing the issuer
drops every link (a subject is only unique per issuer); only an active professional member
links their own account, and only an active member signs in through a link, so a removed
member's link stops working at once. A link is made by the professional themself while signed
in with their passphrase, after signing in at the provider: it binds two proofs of one person
and holds no key material."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.parties.models import Membership, Organisation
from consent.sso.errors import (
    InvalidIssuer,
    SsoLinkedElsewhere,
    SsoNotConfigured,
    SsoUnknownSubject,
)
from consent.sso.models import OidcLink
from dossier.accounts.models import Account
from dossier.errors import Forbidden, InvalidInput, NotFound

MAX_CLIENT_ID = 200
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def check_issuer_url(issuer: str, *, loopback_http: bool = False) -> str:
    """An issuer (and every provider endpoint Rugzak calls) is an https URL without query or
    fragment; plain http only on loopback and only when the deployment allows it (the demo
    provider, tests: `RUGZAK_OIDC_LOOPBACK_HTTP`)."""
    parts = urlsplit(issuer.strip())
    local = loopback_http and parts.scheme == "http" and parts.hostname in LOOPBACK
    secure = parts.scheme == "https" or local
    if not secure or not parts.netloc or parts.query or parts.fragment:
        raise InvalidIssuer("issuer must be an https URL without query or fragment")
    return issuer.strip()


class SsoService:
    def __init__(self, session: AsyncSession, *, loopback_http: bool = False) -> None:
        self.db = session
        self.loopback_http = loopback_http

    async def configured(self) -> list[Organisation]:
        rows = await self.db.scalars(
            select(Organisation)
            .where(Organisation.oidc_issuer.is_not(None), Organisation.oidc_client_id.is_not(None))
            .order_by(Organisation.name)
        )
        return list(rows)

    async def for_sign_in(self, org_id: uuid.UUID) -> Organisation:
        org = await self.db.get(Organisation, org_id)
        if org is None or not org.oidc_issuer or not org.oidc_client_id:
            raise SsoNotConfigured(str(org_id))
        return org

    async def account_for(self, org: Organisation, subject: str) -> Account:
        """The linked professional, if still an active member of `org`."""
        account = await self.db.scalar(
            select(Account)
            .join(OidcLink, OidcLink.account_id == Account.id)
            .join(
                Membership,
                (Membership.account_id == Account.id) & (Membership.org_id == OidcLink.org_id),
            )
            .where(
                OidcLink.org_id == org.id,
                OidcLink.subject == subject,
                OidcLink.issuer == org.oidc_issuer,
                Membership.state == "active",
                Account.kind == "professional",
            )
        )
        if account is None:
            raise SsoUnknownSubject
        return account

    async def _active_member(self, org_id: uuid.UUID, account_id: uuid.UUID) -> Membership:
        member = await self.db.scalar(
            select(Membership).where(
                Membership.org_id == org_id,
                Membership.account_id == account_id,
                Membership.state == "active",
            )
        )
        if member is None:
            raise Forbidden("not an active member of this organisation")
        return member

    async def link(self, org: Organisation, subject: str, account_id: uuid.UUID) -> None:
        """Link my account to `subject` at the organisation's issuer (replacing my old link)."""
        await self._active_member(org.id, account_id)
        other = await self.db.scalar(
            select(OidcLink.account_id).where(
                OidcLink.org_id == org.id, OidcLink.subject == subject
            )
        )
        if other is not None and other != account_id:
            raise SsoLinkedElsewhere
        await self.unlink(org.id, account_id)
        self.db.add(
            OidcLink(
                org_id=org.id, subject=subject, account_id=account_id, issuer=org.oidc_issuer or ""
            )
        )
        await self.db.flush()

    async def unlink(self, org_id: uuid.UUID, account_id: uuid.UUID) -> None:
        await self.db.execute(
            delete(OidcLink).where(OidcLink.org_id == org_id, OidcLink.account_id == account_id)
        )
        await self.db.flush()

    async def mine(self, account_id: uuid.UUID) -> list[tuple[Organisation, str, bool]]:
        """Every organisation I am an active member of: (org, my role, linked?)."""
        rows = await self.db.execute(
            select(Organisation, Membership.role, OidcLink.id)
            .join(Membership, Membership.org_id == Organisation.id)
            .outerjoin(
                OidcLink,
                (OidcLink.org_id == Organisation.id) & (OidcLink.account_id == account_id),
            )
            .where(Membership.account_id == account_id, Membership.state == "active")
            .order_by(Organisation.name)
        )
        return [(org, role, link is not None) for org, role, link in rows.tuples()]

    async def configure(
        self, caller: uuid.UUID, org_id: uuid.UUID, issuer: str, client_id: str
    ) -> Organisation:
        """Set (or, with both empty, clear) the organisation's provider. Admins only."""
        member = await self._active_member(org_id, caller)
        if member.role != "admin":
            raise Forbidden("only an admin configures sign-in")
        org = await self.db.get(Organisation, org_id)
        if org is None:
            raise NotFound("organisation")
        issuer, client_id = issuer.strip(), client_id.strip()
        if not issuer and not client_id:
            new_issuer, new_client = None, None
        else:
            new_issuer = check_issuer_url(issuer, loopback_http=self.loopback_http)
            if not client_id or len(client_id) > MAX_CLIENT_ID:
                raise InvalidInput("client id is required (at most 200 characters)")
            new_client = client_id
        if new_issuer != org.oidc_issuer:
            await self.db.execute(delete(OidcLink).where(OidcLink.org_id == org_id))
        org.oidc_issuer, org.oidc_client_id = new_issuer, new_client
        await self.db.flush()
        return org
