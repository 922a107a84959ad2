"""Two doors to one set of JSON handlers: `/api/v1` takes a bearer token, or the page cookie
together with the page's CSRF header (docs/design.md, "Doors"). The cookie alone is never a
credential there, on any route and any method, so a request forged by another site gets
nothing."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from tests.browser.test_pro_access import pages_of
from web.app import create_app
from web.auth import CALLER_SECURITY, public

RELOAD = "Deze pagina was verlopen. Laad de pagina opnieuw en probeer het nog eens."


def _example(path: str) -> str:
    """A concrete path for a route template: fresh ids, a real section, a small number."""
    path = re.sub(r"\{[a-z_]+:uuid\}", lambda _: str(uuid.uuid4()), path)
    path = re.sub(r"\{[a-z_]+:int\}", "1", path)
    return re.sub(r"\{[a-z_]+:str\}", "contact", path)


def caller_routes(settings) -> list[tuple[str, str]]:
    """Every (method, path) under /api/v1 that needs a caller."""
    found = []
    for route in create_app(settings).routes:
        if not route.path.startswith("/api/v1/"):
            continue
        for handler in getattr(route, "route_handlers", []):
            guards = [getattr(g, "func", g) for g in handler.resolve_guards()]
            if public in guards or handler.http_methods == {"OPTIONS"}:
                continue
            found.extend((method, route.path) for method in sorted(handler.http_methods))
    return found


def test_every_caller_route_declares_both_doors_in_openapi(server, settings):
    schema = httpx.get(f"{server}/api/schema/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer"
    assert schemes["pageSession"]["in"] == "cookie"
    assert schemes["csrfHeader"]["in"] == "header"
    operations = {
        (method.upper(), path): op
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if path.startswith("/api/v1/")
    }
    needs_caller = {(m, re.sub(r":[a-z]+\}", "}", p)) for m, p in caller_routes(settings)}
    assert needs_caller <= operations.keys()
    for key, op in operations.items():
        expected = CALLER_SECURITY if key in needs_caller else None
        assert op.get("security") == expected, key


def test_every_api_route_refuses_the_page_cookie_without_the_csrf_header(server, settings, youth):
    routes = caller_routes(settings)
    assert len(routes) > 40
    dossier = youth.unlocked().dossier_id
    with pages_of(server, youth) as http:
        for method, path in routes:
            concrete = _example(path.replace("{dossier_id:uuid}", str(dossier)))
            answer = http.request(method, concrete, json={})
            assert answer.status_code == 401, (method, path, answer.status_code)
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.json()["type"].endswith("/not-authenticated")
    assert youth.sessions()  # the session the cookie carries still stands


def test_the_page_cookie_with_its_csrf_header_is_a_caller(server, youth):
    with pages_of(server, youth) as http:
        csrf = http.cookies["csrftoken"]
        me = http.get("/api/v1/account/", headers={"x-csrftoken": csrf})
        assert me.status_code == 200, me.text
        assert me.json()["id"] == str(youth.unlocked().account_id)


def test_a_stale_csrf_header_is_told_to_reload(server, youth):
    with pages_of(server, youth) as http:
        refused = http.get("/api/v1/account/", headers={"x-csrftoken": "oud"})
        assert refused.status_code == 403
        assert refused.json()["type"].endswith("/page-expired")
        assert refused.json()["title"] == RELOAD
        # Another site cannot read the CSRF cookie; a header it guessed does not match.
        forged = http.cookies["csrftoken"][:-4] + "0000"
        assert http.get("/api/v1/account/", headers={"x-csrftoken": forged}).status_code == 403


@pytest.mark.parametrize("scheme", ["Basic abc", "Bearer"])
def test_a_malformed_authorization_header_falls_back_to_nothing(server, youth, scheme):
    with pages_of(server, youth) as http:
        answer = http.get("/api/v1/account/", headers={"authorization": scheme})
        assert answer.status_code == 401
