"""Who is calling: a login-session token from `Authorization: Bearer …` (the Python client, the
CLI, scripts) or the HttpOnly `rugzak_session` cookie (the browser). Sessions live in the
database, so app servers are stateless. Guards read the result; every route declares one.

Two doors to one set of JSON handlers (docs/design.md, "Doors"): `/api/v1` takes a bearer
token, or the page cookie *together with* a valid CSRF header (`X-CSRFToken`, the double-submit
token Litestar's CSRF middleware sets for pages) on every method, GET included. The cookie
alone is never a credential there, so a request another site forges carries none."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, generate_csrf_hash
from litestar.openapi.spec import Reference, SecurityScheme

from dossier.accounts.service import SessionService
from dossier.errors import DomainError, Forbidden, NotAuthenticated, SessionExpired

COOKIE = "rugzak_session"
API_PREFIX = "/api/"
CSRF_COOKIE = "csrftoken"
CSRF_HEADER = "x-csrftoken"


class PageExpired(DomainError):
    """A page script sent the session cookie with a CSRF header that no longer matches (an old
    tab, cookies cleared): not the person's fault, and reloading the page fixes it."""

    code = "page-expired"


# OpenAPI: a route that needs a caller takes either door (docs/design.md, "Doors").
SECURITY_SCHEMES: dict[str, SecurityScheme | Reference] = {
    "bearer": SecurityScheme(
        type="http", scheme="bearer", description="A session token from POST /api/v1/auth/login"
    ),
    "pageSession": SecurityScheme(
        type="apiKey", security_scheme_in="cookie", name=COOKIE, description="The page session"
    ),
    "csrfHeader": SecurityScheme(
        type="apiKey",
        security_scheme_in="header",
        name="X-CSRFToken",
        description="The page's CSRF token; required with the page session on every method",
    ),
}
CALLER_SECURITY: list[dict[str, list[str]]] = [
    {"bearer": []},
    {"pageSession": [], "csrfHeader": []},
]


@dataclass(frozen=True, slots=True)
class Caller:
    account_id: uuid.UUID
    session_id: uuid.UUID
    kind: str
    sign_pk: bytes


def _csrf_secret(token: str, secret: str) -> str | None:
    """The random half of a Litestar CSRF token whose HMAC verifies, else None."""
    if len(token) <= CSRF_SECRET_LENGTH:
        return None
    value, mac = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    return value if hmac.compare_digest(mac, generate_csrf_hash(value, secret)) else None


def csrf_header_matches(connection: ASGIConnection[Any, Any, Any, Any], secret: str) -> bool:
    """The double-submit check: the header equals the CSRF cookie and both carry our HMAC."""
    header = _csrf_secret(connection.headers.get(CSRF_HEADER, ""), secret)
    cookie = _csrf_secret(connection.cookies.get(CSRF_COOKIE, ""), secret)
    return header is not None and cookie is not None and hmac.compare_digest(header, cookie)


def token_from(connection: ASGIConnection[Any, Any, Any, Any], secret: str) -> str | None:
    """The session token this request presents. The API takes a bearer token, or the page
    cookie with a matching CSRF header; a cookie with a stale header raises `PageExpired`, a
    cookie without one is ignored. Pages take only the cookie; their unsafe requests are
    checked by Litestar's CSRF middleware."""
    cookie = connection.cookies.get(COOKIE) or None
    if not connection.url.path.startswith(API_PREFIX):
        return cookie
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if cookie is None or not connection.headers.get(CSRF_HEADER):
        return None
    if not csrf_header_matches(connection, secret):
        raise PageExpired
    return cookie


class SessionAuthMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the caller, or leaves `user` as None; guards decide what an anonymous caller
    may do. A presented but expired or unknown token is remembered so the guard can say so."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        app = connection.app
        settings = app.state.settings
        try:
            token = token_from(connection, settings.secret().hex())
        except PageExpired as exc:
            return AuthenticationResult(user=None, auth=exc)
        if token is None:
            return AuthenticationResult(user=None, auth=None)
        alchemy: SQLAlchemyAsyncConfig = app.state.alchemy
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
    if isinstance(failure, SessionExpired | PageExpired):
        raise failure
    raise NotAuthenticated


def requires_login(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    caller_of(connection)


async def requires_professional(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Async on purpose: Litestar runs a sync guard in a worker thread, a hop per request."""
    if caller_of(connection).kind != "professional":
        raise Forbidden("only professionals use these routes")


def public(_: ASGIConnection[Any, Any, Any, Any], __: BaseRouteHandler) -> None:
    """Explicitly public: sign-up, login, KDF parameters, health. Listed so that a test can
    check that every route carries a guard."""
