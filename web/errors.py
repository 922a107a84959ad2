"""The one place where errors become HTTP: one declarative table (`ROWS`, in
`web/problems.py`) gives every error its stable problem type, its status and a Dutch (B1)
title. The API answers RFC 9457
problem+json from it, pages show the same title as a page or an htmx alert.

Nothing registers rows at import time: `ROWS` is a literal, `TABLE` a read-only view of it,
and `create_app` turns it into the app's exception handlers (`exception_handlers(TABLE, …)`) and
keeps it in `app.state.errors`. Every exception, also one nobody expected, gets an answer
from the table; a stack trace never leaves the server."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    InternalServerException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.plugins.problem_details import ProblemDetailsException
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
)
from sqlalchemy.exc import DataError, OperationalError

from dossier import errors as d
from web.problems import HTTP_STATUSES, PROBLEM_BASE, ROWS, SAY_AGAIN

logger = logging.getLogger("rugzak")

RETRY_AFTER = "retry-after"
RATE_LIMIT_RESET = "ratelimit-reset"


@dataclass(frozen=True, slots=True)
class Problem:
    """One row of the table: the stable type, the status and the Dutch title."""

    code: str
    status: int
    title: str


@dataclass(frozen=True, slots=True)
class Answer:
    """What one exception becomes: its row, and the details of this occurrence."""

    problem: Problem
    detail: str = ""
    extra: dict[str, Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def exception(self) -> ProblemDetailsException:
        return ProblemDetailsException(
            status_code=self.problem.status,
            type_=PROBLEM_BASE + self.problem.code,
            title=self.problem.title,
            detail=self.detail or self.problem.title,
            extra=self.extra,
            headers=dict(self.headers) or None,
        )

    def response(self, request: Request[Any, Any, Any]) -> Response[Any]:
        return self.exception().to_response(request)


def _code(key: type[d.DomainError] | str) -> str:
    return key if isinstance(key, str) else key.code


class ErrorTable:
    """`ROWS` as a read-only lookup. A domain error without a row of its own takes its nearest
    base class's row (and keeps its own code as the problem type)."""

    def __init__(
        self,
        rows: Iterable[tuple[type[d.DomainError] | str, int, str]],
        statuses: Iterable[tuple[int, str]],
    ) -> None:
        by_code = {_code(key): Problem(_code(key), status, title) for key, status, title in rows}
        self.by_code: Mapping[str, Problem] = MappingProxyType(by_code)
        self.by_status: Mapping[int, str] = MappingProxyType(dict(statuses))
        if missing := set(self.by_status.values()) - set(by_code):
            raise ValueError(f"HTTP statuses point at codes without a row: {missing}")

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __getitem__(self, code: str) -> Problem:
        return self.by_code[code]

    def of_domain(self, exc: d.DomainError) -> Problem:
        row = next(
            self.by_code[c.code]
            for c in type(exc).__mro__
            if issubclass(c, d.DomainError) and c.code in self.by_code
        )
        return Problem(exc.code, row.status, row.title)

    def of_http(self, exc: HTTPException) -> Problem:
        code = self.by_status.get(exc.status_code)
        if code is not None:
            return self.by_code[code]
        # A status nobody gave a row (415, 406…): a generic title under its own type.
        fallback = self.by_code["internal-error" if exc.status_code >= 500 else "invalid-input"]
        return Problem(f"http-{exc.status_code}", exc.status_code, fallback.title)

    def answer(self, exc: Exception) -> Answer:
        """The one translation of any exception into a row and the details to show."""
        if isinstance(exc, d.DomainError):
            headers = {}
            if isinstance(exc, d.TooManyAttempts):
                headers[RETRY_AFTER] = str(exc.retry_after)
            return Answer(self.of_domain(exc), exc.detail, headers=headers)
        if isinstance(exc, ValidationException):
            return Answer(self["validation"], exc.detail, {"errors": exc.extra})
        if isinstance(exc, HTTPException):
            return self._http(exc)
        if is_out_of_range(exc):
            return Answer(self[d.InvalidInput.code], "a value is out of range for the database")
        if isinstance(exc, OperationalError) and is_busy(exc):
            # SQLite refuses a second writer whose snapshot went stale ("database is
            # locked"): a lost race, answered like one (409: try again on fresh state).
            return Answer(self[d.VersionConflict.code], "database busy")
        return Answer(self["internal-error"])

    def _http(self, exc: HTTPException) -> Answer:
        if is_csrf_refusal(exc):
            return Answer(self["page-expired"])
        headers = {k.lower(): str(v) for k, v in (exc.headers or {}).items()}
        if exc.status_code == HTTP_429_TOO_MANY_REQUESTS:
            headers.setdefault(RETRY_AFTER, headers.get(RATE_LIMIT_RESET, "60"))
        problem = self.of_http(exc)
        detail = "" if exc.status_code >= HTTP_500_INTERNAL_SERVER_ERROR else exc.detail
        return Answer(problem, detail, headers=headers)


TABLE = ErrorTable(ROWS, HTTP_STATUSES)

MACHINE_PATHS = ("/api/", "/partner/", "/oauth/")


def is_busy(exc: OperationalError) -> bool:
    reason = str(exc.orig).lower()
    return "locked" in reason or "busy" in reason


def is_out_of_range(exc: BaseException) -> bool:
    """A value the database cannot hold (PostgreSQL's DataError, or the driver's OverflowError
    under asyncpg and SQLite) came from the client: its mistake, even where no bound caught
    it, and nothing was written (the request's transaction rolls back)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DataError | OverflowError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def is_csrf_refusal(exc: HTTPException) -> bool:
    """Litestar's CSRF middleware refuses with a plain 403 whose detail names CSRF."""
    return exc.status_code == HTTP_403_FORBIDDEN and "CSRF" in str(exc.detail)


def wants_json(request: Request[Any, Any, Any]) -> bool:
    """A machine path, or a page's script asking for JSON (`pageJson` in transport.js)."""
    accept = request.headers.get("accept", "")
    return request.url.path.startswith(MACHINE_PATHS) or accept.startswith("application/json")


def problem(
    code: str, detail: str = "", extra: dict[str, Any] | None = None
) -> ProblemDetailsException:
    """The problem of a code of the table (for handlers that add their own fields)."""
    row = TABLE.by_code.get(code) or Problem(code, HTTP_400_BAD_REQUEST, SAY_AGAIN)
    return Answer(row, detail, extra).exception()


Handler = Callable[[Request[Any, Any, Any], Exception], Response[Any]]


def exception_handlers(
    table: ErrorTable, page_error: Handler
) -> dict[int | type[Exception], Handler]:
    """The app's handlers: every exception is answered from `table`, as problem+json for a
    machine (or a script asking for JSON) and as a Dutch page for a person (`page_error`,
    given by `create_app`: the pages build on this module, not the other way round)."""

    def answer(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        if not wants_json(request):
            return page_error(request, exc)
        return table.answer(exc).response(request)

    # A status code key (500) catches every exception that is not an HTTPException. The
    # narrower HTTP keys win over a controller's own `HTTPException` handler (handlers are
    # looked up along the exception's MRO across all layers), so a CSRF refusal and a
    # guard's refusal look the same under every route.
    return {
        d.DomainError: answer,
        HTTPException: answer,
        NotAuthorizedException: answer,
        PermissionDeniedException: answer,
        OperationalError: answer,
        HTTP_500_INTERNAL_SERVER_ERROR: answer,
    }


# Litestar's words when the client hangs up while its body is still being read (a tab closed
# or navigated during an upload): nobody waits for an answer and nothing is wrong on our side.
CLIENT_LEFT = "client disconnected prematurely"


def client_left(exc: Exception) -> bool:
    return isinstance(exc, InternalServerException) and exc.detail == CLIENT_LEFT


async def log_unexpected(exc: Exception, scope: Any) -> None:
    """Log what no handler expected (a 500); domain errors and HTTP errors are answers, and a
    client that went away mid-request is only worth an info line."""
    if isinstance(exc, d.DomainError) or (isinstance(exc, OperationalError) and is_busy(exc)):
        return
    if client_left(exc):
        logger.info("client left during %s %s", scope.get("method"), scope.get("path"))
        return
    if isinstance(exc, HTTPException) and exc.status_code < HTTP_500_INTERNAL_SERVER_ERROR:
        return
    logger.error("unexpected error on %s", scope.get("path"), exc_info=exc)
