"""Every route declares who may call it: a guard, or the explicit `public` marker."""

from web.app import create_app
from web.auth import public, requires_login
from web.pages import PUBLIC_PAGES
from web.settings import Settings

# Guards that establish who calls: a login session, or an OAuth partner client.
CALLER_GUARDS = {requires_login.__name__, "requires_partner"}

PUBLIC = {
    "/health",
    "/api/v1/auth/signup",
    "/api/v1/auth/params",
    "/api/v1/auth/login",
    "/api/v1/auth/recovery/open",
    "/api/v1/auth/recovery",
    "/api/v1/invites/{token:str}",
    "/api/v1/campaign-invites/{token:str}",
    "/api/v1/campaign-invites/{token:str}/decline",
    "/oauth/token",
} | PUBLIC_PAGES


def test_every_route_has_a_guard():
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    seen_public = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if handler.http_methods == {"OPTIONS"}:
                continue  # Litestar's automatic CORS preflight answer
            guards = [getattr(g, "func", g) for g in handler.resolve_guards()]
            if route.path.startswith(("/api/schema", "/static")):
                assert public in guards or route.path.startswith("/api/schema")
                continue
            assert guards, route.path
            if public in guards:
                seen_public.add(route.path)
            else:
                names = {getattr(g, "__name__", "") for g in guards}
                assert names & CALLER_GUARDS, route.path
    assert seen_public == PUBLIC
