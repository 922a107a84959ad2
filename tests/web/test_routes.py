"""Every route declares who may call it: a guard, or the explicit `public` marker; and every
use case has one route: page routes answer HTML, JSON comes only from the JSON doors."""

import ast
from pathlib import Path
from types import UnionType
from typing import Union, get_args, get_origin

from litestar.response import Redirect, Template

import web.pages
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
    # Recovery through a contact: the new device is not logged in; its request token
    # (X-Recovery-Token) is the credential for everything after the start.
    "/api/v1/auth/recovery/contact",
    "/api/v1/auth/recovery/contact/{request_id:uuid}",
    "/api/v1/auth/recovery/contact/{request_id:uuid}/release",
    "/api/v1/auth/recovery/contact/{request_id:uuid}/complete",
    "/api/v1/auth/recovery/contact/{request_id:uuid}/cancel",
    "/api/v1/invites/{token:str}",
    "/api/v1/campaign-invites/{token:str}",
    "/api/v1/campaign-invites/{token:str}/decline",
    "/api/v1/mail/confirm",  # the double opt-in link's token is the credential
    "/api/v1/mail/unsubscribe/{token:str}",  # RFC 8058 one-click: the mail client POSTs
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


# -- one use case, one route ----------------------------------------------------------------
# The JSON doors: the API (bearer token, or the page cookie with the CSRF header) and the
# OAuth partner door. Everything else is a page and answers HTML: a full page, an htmx
# partial, or a redirect to one. A page route answering JSON would be a second route for a use
# case the API serves already (CONVENTIONS.md item 4).
JSON_DOORS = ("/api/", "/partner/v1/", "/oauth/")
PAGE_ANSWERS = (Template, Redirect)

# Not JSON and not a page, each for a reason.
NOT_PAGES = {
    ("GET", "/health"): "the load balancer's probe, no use case",
    ("POST", "/sessie"): "exchanges the bearer token of a browser login for the page cookie: 204",
    ("GET", "/inloggen/sso/{org_id:uuid}"): "OIDC: a redirect to the identity provider, or a page",
    ("GET", "/inloggen/sso/terug"): "OIDC: the identity provider's redirect back; a page",
    ("POST", "/pro/sso/{org_id:uuid}/koppelen"): "OIDC: a redirect to the identity provider",
}


def _answers_a_page(annotation: object) -> bool:
    options = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else ()
    return all(
        isinstance(option, type) and issubclass(option, PAGE_ANSWERS)
        for option in (options or (annotation,))
    )


def test_page_routes_answer_html_only():
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    others = set()
    for route in app.routes:
        if route.path.startswith((*JSON_DOORS, "/static")):
            continue
        for handler in getattr(route, "route_handlers", []):
            for method in handler.http_methods - {"OPTIONS"}:
                key = (method, route.path)
                if key in NOT_PAGES:
                    others.add(key)
                else:
                    annotation = handler.parsed_fn_signature.return_type.annotation
                    assert _answers_a_page(annotation), (key, annotation)
    assert others == set(NOT_PAGES)


def test_no_page_module_imports_the_api():
    pages = Path(web.pages.__file__).parent
    importing = {
        path.name
        for path in pages.glob("*.py")
        if any(
            isinstance(node, ast.ImportFrom) and (node.module or "").startswith("web.api")
            for node in ast.walk(ast.parse(path.read_text("utf-8")))
        )
    }
    assert importing == set()
