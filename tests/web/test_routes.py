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

# Page-JSON twins of /api/v1 handlers that another branch is removing, with the page scripts
# moved to /api/v1 (docs/web-app.md, "Two doors"). Remove each entry with its route; the test
# fails on an entry whose route is gone, so this set only shrinks, and must end up empty.
KNOWN_TWINS_BEING_REMOVED = {
    # web/pages/pro_orgs_data.py OrgData
    ("POST", "/pro/organisaties/data"),
    ("GET", "/pro/organisaties/data/{org_id:uuid}/sleutel"),
    ("POST", "/pro/organisaties/data/{org_id:uuid}/leden"),
    ("DELETE", "/pro/organisaties/data/{org_id:uuid}/leden/{account_id:uuid}"),
    ("GET", "/pro/organisaties/data/{org_id:uuid}/rotatie"),
    ("POST", "/pro/organisaties/data/{org_id:uuid}/rotatie"),
    # web/pages/log.py LogData
    ("GET", "/wie-keek/data"),
    ("POST", "/wie-keek/data/checkpoints"),
    # web/pages/export.py ExportData (and the account deletion proof)
    ("POST", "/meenemen/gebeurtenis"),
    ("POST", "/verwijderen"),
    # web/pages/passphrase.py PassphraseData
    ("POST", "/wachtwoordzin"),
    # web/pages/documents.py: upload and download beside the API's
    ("PUT", "/bestanden"),
    ("GET", "/bestanden/{entry_id:uuid}/{version:int}"),
    # web/pages/pro.py PlanData, and the professional's key bundle (web/oidc/pages.py)
    ("GET", "/pro/acties"),
    ("GET", "/pro/acties/{dossier_id:uuid}"),
    ("GET", "/pro/sleutelbundel"),
}

# Page modules that still import from web.api (CONVENTIONS.md item 1: a shared serialiser
# belongs in a neutral module); the same branch empties this set.
PAGES_IMPORTING_API_BEING_FIXED = {"documents.py", "pro.py", "pro_orgs.py", "pro_orgs_data.py"}


def _answers_a_page(annotation: object) -> bool:
    options = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else ()
    return all(
        isinstance(option, type) and issubclass(option, PAGE_ANSWERS)
        for option in (options or (annotation,))
    )


def test_page_routes_answer_html_only():
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    twins, others = set(), set()
    for route in app.routes:
        if route.path.startswith((*JSON_DOORS, "/static")):
            continue
        for handler in getattr(route, "route_handlers", []):
            for method in handler.http_methods - {"OPTIONS"}:
                key = (method, route.path)
                if key in KNOWN_TWINS_BEING_REMOVED:
                    twins.add(key)
                elif key in NOT_PAGES:
                    others.add(key)
                else:
                    annotation = handler.parsed_fn_signature.return_type.annotation
                    assert _answers_a_page(annotation), (key, annotation)
    assert twins == KNOWN_TWINS_BEING_REMOVED, "remove the entries of twins that are gone"
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
    assert importing == PAGES_IMPORTING_API_BEING_FIXED
