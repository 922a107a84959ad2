"""Who is calling: a login-session token from `Authorization: Bearer …` (API clients) or the
`rugzak_session` cookie (the browser). Sessions live in the database, so app servers are
stateless. Guards read the result; every route declares one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from dossier.accounts.service import SessionService
from dossier.errors import DomainError, NotAuthenticated, SessionExpired

COOKIE = "rugzak_session"
API_PREFIX = "/api/"


@dataclass(frozen=True, slots=True)
class Caller:
    account_id: uuid.UUID
    session_id: uuid.UUID
    kind: str
    sign_pk: bytes


def token_from(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The API takes only `Authorization: Bearer` (never cookies, so no request forged by
    another site carries a credential there); pages take only the HttpOnly cookie, and their
    forms are protected by Litestar's CSRF middleware."""
    if connection.url.path.startswith(API_PREFIX):
        header = connection.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        return value.strip() if scheme.lower() == "bearer" and value.strip() else None
    return connection.cookies.get(COOKIE) or None


class SessionAuthMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the caller, or leaves `user` as None; guards decide what an anonymous caller
    may do. A presented but expired or unknown token is remembered so the guard can say so."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        token = token_from(connection)
        if token is None:
            return AuthenticationResult(user=None, auth=None)
        app = connection.app
        alchemy: SQLAlchemyAsyncConfig = app.state.alchemy
        settings = app.state.settings
        async with alchemy.get_session() as db:
            service = SessionService(db, settings.session_ttl_seconds, settings.session_max_seconds)
            try:
                row, account = await service.authenticate(token)
            except DomainError as exc:
                await db.commit()
                return AuthenticationResult(user=None, auth=exc)
            if db.dirty:
                await db.commit()
        caller = Caller(
            account_id=row.account_id, session_id=row.id, kind=account.kind, sign_pk=account.sign_pk
        )
        return AuthenticationResult(user=caller, auth=token)


def viewer_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Caller | None:
    """The caller on a public route, if logged in; nobody otherwise."""
    user = connection.scope.get("user")
    return user if isinstance(user, Caller) else None


def caller_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Caller:
    user = viewer_of(connection)
    if user is not None:
        return user
    failure = connection.scope.get("auth")
    if isinstance(failure, SessionExpired):
        raise SessionExpired
    raise NotAuthenticated


def requires_login(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    caller_of(connection)


def public(_: ASGIConnection[Any, Any, Any, Any], __: BaseRouteHandler) -> None:
    """Explicitly public: sign-up, login, KDF parameters, health. Listed so that a test can
    check that every route carries a guard."""
