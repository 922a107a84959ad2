"""Who is calling: a login-session token from `Authorization: Bearer …` (the Python client, the
CLI, scripts) or the HttpOnly `rugzak_session` cookie (the browser). Sessions live in the
database, so app servers are stateless. Guards read the result; every route declares one.

Two doors to one set of JSON handlers (docs/design.md, "Doors"): `/api/v1` takes a bearer
token, or the page cookie *together with* a valid CSRF header (`X-CSRFToken`, the double-submit
token Litestar's CSRF middleware sets for pages) on every method, GET included. The cookie
alone is never a credential there, so a request another site forges carries none."""

from __future__ import annotations

import datetime as dt
import hmac
import uuid
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, generate_csrf_hash
from litestar.openapi.spec import Reference, SecurityScheme

from dossier.accounts.service import TOUCH_INTERVAL, SessionService, SignedIn, token_hash
from dossier.db import utcnow
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
    # The token hash when this worker's `SessionCache` answered: the route's own statement
    # must check the session (`CHECKS_SESSION` routes pass it to `AccessService.section`).
    unchecked: bytes | None = None


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


# A route handler whose own statement checks a cached session carries this `opt`; the
# middleware may then skip the lookup (see `SessionCache`).
CHECKS_SESSION = "checks_session"


@dataclass(frozen=True, slots=True)
class Cached:
    caller: Caller
    last_seen_at: dt.datetime
    expires_at: dt.datetime


class SessionCache:
    """What this worker learned about a login session: who it is and until when. Only routes
    marked `CHECKS_SESSION` use it, and their first statement checks again that the session
    is live (`consent.authorisation.SESSION_LIVE`), so logging out or ending a session on
    any worker counts from the next request. An entry is used until the session is due for
    its sliding-expiry touch (once a minute); the full lookup then runs again."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._found: OrderedDict[bytes, Cached] = OrderedDict()

    def get(self, token_hash: bytes, now: dt.datetime) -> Caller | None:
        hit = self._found.get(token_hash)
        if hit is None:
            return None
        if now >= hit.expires_at or now - hit.last_seen_at >= TOUCH_INTERVAL:
            del self._found[token_hash]
            return None
        return replace(hit.caller, unchecked=token_hash)

    def put(self, token_hash: bytes, row: SignedIn, caller: Caller) -> None:
        self._found[token_hash] = Cached(caller, row.last_seen_at, row.expires_at)
        self._found.move_to_end(token_hash)
        while len(self._found) > self.size:
            self._found.popitem(last=False)

    def forget(self, token_hash: bytes) -> None:
        self._found.pop(token_hash, None)


class SessionAuthMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the caller, or leaves `user` as None; guards decide what an anonymous caller
    may do. A presented but expired or unknown token is remembered so the guard can say so.

    The lookup runs on the request's own database session (the one its handler gets), so it
    costs one statement and no transaction of its own; on a `CHECKS_SESSION` route a cached
    session costs nothing here."""

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
        hashed = token_hash(token)
        cache: SessionCache = app.state.sessions
        if connection.route_handler.opt.get(CHECKS_SESSION):
            cached = cache.get(hashed, utcnow())
            if cached is not None:
                return AuthenticationResult(user=cached, auth=token)
        alchemy: SQLAlchemyAsyncConfig = app.state.alchemy
        db = alchemy.provide_session(app.state, connection.scope)
        service = SessionService(db, settings.session_ttl_seconds, settings.session_max_seconds)
        try:
            signed_in = await service.authenticate(token)
        except DomainError as exc:
            cache.forget(hashed)
            await db.commit()  # an expired session's row is gone whatever the request does
            return AuthenticationResult(user=None, auth=exc)
        caller = Caller(
            account_id=signed_in.account_id,
            session_id=signed_in.session_id,
            kind=signed_in.kind,
            sign_pk=signed_in.sign_pk,
        )
        cache.put(hashed, signed_in, caller)
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


async def requires_login(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Async, like every guard here: Litestar runs a sync guard in a worker thread, a thread
    hop on every request (docs/performance.md)."""
    caller_of(connection)


async def requires_professional(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Async on purpose: Litestar runs a sync guard in a worker thread, a hop per request."""
    if caller_of(connection).kind != "professional":
        raise Forbidden("only professionals use these routes")


async def public(_: ASGIConnection[Any, Any, Any, Any], __: BaseRouteHandler) -> None:
    """Explicitly public: sign-up, login, KDF parameters, health. Listed so that a test can
    check that every route carries a guard."""
