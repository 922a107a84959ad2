"""The one error table: every domain error has a row, and every exception, also an unexpected
one, is answered from it: problem+json for the API, a Dutch page for people."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import msgspec
import pytest
from litestar import Litestar, get
from litestar.exceptions import InternalServerException
from litestar.testing import TestClient
from sqlalchemy.exc import DataError

from dossier.errors import DomainError
from web.app import create_app
from web.auth import public
from web.errors import CLIENT_LEFT, TABLE, log_unexpected
from web.params import DB_INT_MAX
from web.problems import ROWS
from web.settings import Settings

PROBLEM = "application/problem+json"
SECRET = "a detail only the server log may see"


def every_subclass(cls: type[DomainError]) -> Iterator[type[DomainError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from every_subclass(sub)


def test_every_domain_error_has_a_row_of_its_own():
    create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))  # imports every package
    missing = {e.__qualname__ for e in every_subclass(DomainError) if e.code not in TABLE}
    assert not missing


def test_a_code_has_one_row():
    codes = [key if isinstance(key, str) else key.code for key, _, _ in ROWS]
    assert len(codes) == len(set(codes))
    assert all(title.endswith(".") for _, _, title in ROWS)


def test_no_body_field_is_named_like_a_dependency():
    """Litestar reports a body field that fails validation under its bare name; when a
    dependency has that name it takes the client's mistake for its own and answers 500."""
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    clashes = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            data = handler.parsed_fn_signature.parameters.get("data")
            body = data.annotation if data is not None else None
            if isinstance(body, type) and issubclass(body, msgspec.Struct):
                fields = {f.encode_name for f in msgspec.structs.fields(body)}
                clashes |= {
                    (route.path, name) for name in fields & set(handler.resolve_dependencies())
                }
    assert not clashes


@pytest.mark.parametrize(
    "exc",
    [
        OverflowError("Python int too large to convert to SQLite INTEGER"),
        DataError("SELECT", {}, Exception("integer out of range")),
    ],
    ids=["sqlite", "postgresql"],
)
def test_a_value_the_database_cannot_hold_is_the_clients_mistake(exc):
    """Behind the bounded parameters: a body number no bound caught is a 400, not a 500."""
    answer = TABLE.answer(exc)
    assert (answer.problem.code, answer.problem.status) == ("invalid-input", 400)


def is_int(field) -> bool:
    if field.annotation is int:
        return True
    return field.is_optional and any(t.annotation is int for t in field.inner_types)


def test_every_integer_parameter_is_bounded():
    """No number from a path or a query reaches the database outside its INTEGER range."""
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    seen, unbounded = 0, set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for name, field in handler.parsed_fn_signature.parameters.items():
                if name == "data" or not is_int(field):
                    continue
                seen += 1
                bounds = field.kwarg_definition
                low, high = getattr(bounds, "ge", None), getattr(bounds, "le", None)
                if low is None or high is None or low < 0 or high > DB_INT_MAX:
                    unbounded.add((route.path, name))
    assert seen
    assert not unbounded


@get("/api/v1/test-boom", guards=[public], include_in_schema=False)
async def api_boom() -> None:
    raise RuntimeError(SECRET)


@get("/test-boem", guards=[public], include_in_schema=False)
async def page_boom() -> None:
    raise RuntimeError(SECRET)


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def app(request: pytest.FixtureRequest) -> Litestar:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", debug=request.param))
    app.register(api_boom)
    app.register(page_boom)
    return app


def test_an_unexpected_error_is_a_problem_without_a_trace(app: Litestar):
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/test-boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["type"] == "/problems/internal-error"
    assert body["title"] == TABLE["internal-error"].title
    assert SECRET not in response.text
    assert "Traceback" not in response.text


def test_an_unexpected_error_on_a_page_is_a_dutch_page(app: Litestar):
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/test-boem")
        htmx = client.get("/test-boem", headers={"hx-request": "true"})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert TABLE["internal-error"].title in response.text
    assert SECRET not in response.text
    assert htmx.status_code == 200  # htmx swaps only 2xx: the alert goes to #meldingen
    assert htmx.headers["hx-retarget"] == "#meldingen"
    assert TABLE["internal-error"].title in htmx.text


def test_unknown_paths_and_methods_answer_from_the_table(app: Litestar):
    with TestClient(app) as client:
        api = client.get("/api/v1/geen-route/123")
        method = client.put("/health")
        page = client.get("/bestaat-niet")
    assert api.status_code == 404
    assert api.headers["content-type"].startswith(PROBLEM)
    assert api.json()["title"] == TABLE["not-found"].title
    assert method.status_code == 405
    assert page.status_code == 404
    assert TABLE["not-found"].title in page.text


async def test_a_client_that_hangs_up_mid_body_is_not_logged_as_an_error(caplog):
    """A tab closed during an upload makes Litestar raise a 500-class exception that nobody
    receives; the log keeps ERROR for what is really wrong on our side."""
    scope = {"method": "PUT", "path": "/api/v1/connections/x/card"}
    with caplog.at_level(logging.INFO, logger="rugzak"):
        await log_unexpected(InternalServerException(CLIENT_LEFT), scope)
        assert [r.levelno for r in caplog.records] == [logging.INFO]
        await log_unexpected(InternalServerException("something else"), scope)
        await log_unexpected(RuntimeError("a bug"), scope)
    assert [r.levelno for r in caplog.records] == [logging.INFO, logging.ERROR, logging.ERROR]
