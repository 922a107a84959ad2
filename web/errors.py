"""The one place where domain errors become HTTP: RFC 9457 problem+json for the API, with a
stable `type` per error, and a Dutch (B1) message that pages and API clients can both show."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.plugins.problem_details import ProblemDetailsException
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
)
from sqlalchemy.exc import OperationalError

from dossier import errors as d

logger = logging.getLogger("rugzak")

PROBLEM_BASE = "/problems/"

# code -> (status, Dutch message at B1 level)
PROBLEMS: dict[str, tuple[int, str]] = {
    d.InvalidInput.code: (HTTP_400_BAD_REQUEST, "Er klopt iets niet in wat je stuurde."),
    d.NotFound.code: (HTTP_404_NOT_FOUND, "Dit bestaat niet (meer)."),
    d.Conflict.code: (HTTP_409_CONFLICT, "Dit bestaat al."),
    d.VersionConflict.code: (
        HTTP_409_CONFLICT,
        "Iemand anders heeft dit net veranderd. Probeer het opnieuw.",
    ),
    d.TooYoung.code: (
        HTTP_403_FORBIDDEN,
        (
            "Je moet 16 jaar of ouder zijn om zelf een rugzak te maken. "
            "Ben je jonger? Vraag je ouder of begeleider om hulp."
        ),
    ),
    d.InvalidCredentials.code: (
        HTTP_401_UNAUTHORIZED,
        "Je gebruikersnaam of wachtwoordzin klopt niet.",
    ),
    d.NotAuthenticated.code: (HTTP_401_UNAUTHORIZED, "Log eerst in."),
    d.SessionExpired.code: (
        HTTP_401_UNAUTHORIZED,
        "Je bent te lang weg geweest. Log opnieuw in.",
    ),
    d.Forbidden.code: (HTTP_403_FORBIDDEN, "Je hebt hier geen toegang toe."),
    d.TooLarge.code: (HTTP_413_REQUEST_ENTITY_TOO_LARGE, "Dit is te groot."),
    d.TooManyAttempts.code: (
        HTTP_429_TOO_MANY_REQUESTS,
        "Te veel pogingen. Wacht een minuut en probeer het dan opnieuw.",
    ),
    "validation": (HTTP_422_UNPROCESSABLE_ENTITY, "Er klopt iets niet in wat je stuurde."),
    # A page's CSRF token is missing or stale (an old tab, cookies cleared): not the
    # person's fault, and reloading fixes it.
    "page-expired": (
        HTTP_403_FORBIDDEN,
        "Deze pagina was verlopen. Laad de pagina opnieuw en probeer het nog eens.",
    ),
}


def register(code: str, status: int, message: str) -> None:
    """Let another package's error table (consent) join this one."""
    PROBLEMS[code] = (status, message)


def problem(
    code: str, detail: str = "", extra: dict[str, Any] | None = None
) -> ProblemDetailsException:
    status, message = PROBLEMS.get(code, (HTTP_400_BAD_REQUEST, PROBLEMS["invalid-input"][1]))
    return ProblemDetailsException(
        status_code=status,
        type_=PROBLEM_BASE + code,
        title=message,
        detail=detail or message,
        extra=extra,
    )


def domain_error_handler(request: Request[Any, Any, Any], exc: d.DomainError) -> Response[Any]:
    return problem(exc.code, exc.detail).to_response(request)


# Litestar's own HTTP errors (a guard's 401, a missing route's 404, a body too large…) as our
# problem codes, so they get the same Dutch titles as the domain errors.
HTTP_CODES = {
    HTTP_400_BAD_REQUEST: d.InvalidInput.code,
    HTTP_401_UNAUTHORIZED: d.NotAuthenticated.code,
    HTTP_403_FORBIDDEN: d.Forbidden.code,
    HTTP_404_NOT_FOUND: d.NotFound.code,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE: d.TooLarge.code,
    HTTP_429_TOO_MANY_REQUESTS: d.TooManyAttempts.code,
}


MACHINE_PATHS = ("/api/", "/partner/", "/oauth/")


def is_csrf_refusal(exc: HTTPException) -> bool:
    """Litestar's CSRF middleware refuses with a plain 403 whose detail names CSRF."""
    return exc.status_code == HTTP_403_FORBIDDEN and "CSRF" in str(exc.detail)


def wants_json(request: Request[Any, Any, Any]) -> bool:
    """A machine path, or a page's script asking for JSON (`pageJson` in transport.js)."""
    accept = request.headers.get("accept", "")
    return request.url.path.startswith(MACHINE_PATHS) or accept.startswith("application/json")


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if not wants_json(request):
        # A person's page (e.g. a CSRF refusal raised before the page router): a Dutch page.
        from web.pages.errors import http_error  # noqa: PLC0415  (web.pages imports this module)

        return http_error(request, exc)
    if is_csrf_refusal(exc):
        return problem("page-expired").to_response(request)
    if isinstance(exc, ValidationException):
        return problem("validation", exc.detail, {"errors": exc.extra}).to_response(request)
    code = HTTP_CODES.get(exc.status_code)
    if code is None:
        pd = ProblemDetailsException(
            status_code=exc.status_code,
            type_=PROBLEM_BASE + f"http-{exc.status_code}",
            title=exc.detail,
            detail=exc.detail,
        )
        return pd.to_response(request)
    response = problem(code).to_response(request)
    if isinstance(exc, TooManyRequestsException) and exc.headers:
        response.headers.update(exc.headers)
    return response


def busy_handler(request: Request[Any, Any, Any], exc: OperationalError) -> Response[Any]:
    """SQLite refuses a second writer whose snapshot went stale ("database is locked"); that
    is a lost race, answered like one (409: try again on fresh state). Anything else is a 500."""
    if "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower():
        return problem(d.VersionConflict.code, "database busy").to_response(request)
    logger.error("database error on %s", request.url.path, exc_info=exc)
    return ProblemDetailsException(
        status_code=500, type_=PROBLEM_BASE + "http-500", title="Internal Server Error"
    ).to_response(request)


async def log_unexpected(exc: Exception, scope: Any) -> None:
    """Log what no handler expected (a 500); domain errors and HTTP errors are answers."""
    if not isinstance(exc, d.DomainError | HTTPException):
        logger.error("unexpected error on %s", scope.get("path"), exc_info=exc)


EXCEPTION_HANDLERS: dict[int | type[Exception], Any] = {
    d.DomainError: domain_error_handler,
    HTTPException: http_error_handler,
    NotAuthorizedException: http_error_handler,
    PermissionDeniedException: http_error_handler,
    OperationalError: busy_handler,
}
