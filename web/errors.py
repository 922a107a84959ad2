"""The one place where errors become HTTP: one declarative table (`ROWS`) gives every error its
stable problem type, its status and a Dutch (B1) title. The API answers RFC 9457
problem+json from it, pages show the same title as a page or an htmx alert.

Nothing registers rows at import time: `ROWS` is a literal, `TABLE` a read-only view of it,
and `create_app` turns it into the app's exception handlers (`exception_handlers(TABLE)`) and
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
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.plugins.problem_details import ProblemDetailsException
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_405_METHOD_NOT_ALLOWED,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
)
from sqlalchemy.exc import DataError, OperationalError

from consent.campaigns import errors as campaigns
from consent.connections.service import InviteUnavailable
from consent.grants.errors import PastAgeCap
from consent.parties.errors import LastAdmin, RotationIncomplete
from consent.sso import errors as sso
from dossier import errors as d

logger = logging.getLogger("rugzak")

PROBLEM_BASE = "/problems/"

SAY_AGAIN = "Er klopt iets niet in wat je stuurde."
SSO_TRY_AGAIN = "Probeer het opnieuw."

# (a domain error, or a code of the web layer's own) -> status, Dutch title at B1 level.
ROWS: tuple[tuple[type[d.DomainError] | str, int, str], ...] = (
    (d.DomainError, HTTP_400_BAD_REQUEST, SAY_AGAIN),
    (d.InvalidInput, HTTP_400_BAD_REQUEST, SAY_AGAIN),
    (d.NotFound, HTTP_404_NOT_FOUND, "Dit bestaat niet (meer)."),
    (d.Conflict, HTTP_409_CONFLICT, "Dit bestaat al."),
    (
        d.VersionConflict,
        HTTP_409_CONFLICT,
        "Iemand anders heeft dit net veranderd. Probeer het opnieuw.",
    ),
    (
        d.TooYoung,
        HTTP_403_FORBIDDEN,
        (
            "Je moet 16 jaar of ouder zijn om zelf een rugzak te maken. "
            "Ben je jonger? Vraag je ouder of begeleider om hulp."
        ),
    ),
    (d.InvalidCredentials, HTTP_401_UNAUTHORIZED, "Je gebruikersnaam of wachtwoordzin klopt niet."),
    (d.NotAuthenticated, HTTP_401_UNAUTHORIZED, "Log eerst in."),
    (d.SessionExpired, HTTP_401_UNAUTHORIZED, "Je bent te lang weg geweest. Log opnieuw in."),
    (d.Forbidden, HTTP_403_FORBIDDEN, "Je hebt hier geen toegang toe."),
    (d.TooLarge, HTTP_413_REQUEST_ENTITY_TOO_LARGE, "Dit is te groot."),
    (
        d.TooManyAttempts,
        HTTP_429_TOO_MANY_REQUESTS,
        "Te veel pogingen. Wacht een minuut en probeer het dan opnieuw.",
    ),
    # Grants, organisations, connections.
    (
        PastAgeCap,
        HTTP_400_BAD_REQUEST,
        "Delen kan tot je 27e verjaardag. Wil je toch langer delen? Vink dat dan aan.",
    ),
    (LastAdmin, HTTP_409_CONFLICT, "Een organisatie heeft altijd minstens één beheerder nodig."),
    (RotationIncomplete, HTTP_400_BAD_REQUEST, SAY_AGAIN),
    (InviteUnavailable, HTTP_404_NOT_FOUND, "Deze uitnodiging werkt niet meer."),
    # Campaigns and the partner API.
    (
        campaigns.CampaignLinkUnavailable,
        HTTP_404_NOT_FOUND,
        "Deze link werkt niet (meer). Wil je nog antwoorden? Vraag je school om een nieuwe link.",
    ),
    (campaigns.CampaignClosed, HTTP_409_CONFLICT, "Deze vraag is gesloten."),
    (
        campaigns.AnswerMismatch,
        HTTP_400_BAD_REQUEST,
        "Dit antwoord past niet bij wat de school vroeg.",
    ),
    (
        campaigns.RosterRejected,
        HTTP_422_UNPROCESSABLE_ENTITY,
        "De lijst heeft fouten. Er is niets ingelezen. Verbeter de regels en probeer het opnieuw.",
    ),
    (
        campaigns.InvalidPartnerToken,
        HTTP_401_UNAUTHORIZED,
        "De toegangssleutel klopt niet, is verlopen of ingetrokken. Vraag een nieuwe aan.",
    ),
    (campaigns.InsufficientScope, HTTP_403_FORBIDDEN, "Deze koppeling mag dit niet doen."),
    # The token endpoint (RFC 6749 §5.2): "oauth-" and the error, with dashes.
    (
        "oauth-invalid-client",
        HTTP_401_UNAUTHORIZED,
        (
            "De koppeling kon zich niet aanmelden: de client-id of het geheim klopt niet, "
            "of de koppeling is ingetrokken."
        ),
    ),
    ("oauth-invalid-scope", HTTP_400_BAD_REQUEST, "Deze koppeling mag deze rechten niet vragen."),
    (
        "oauth-unsupported-grant-type",
        HTTP_400_BAD_REQUEST,
        "Alleen grant_type=client_credentials wordt ondersteund.",
    ),
    ("oauth-unauthorized-client", HTTP_400_BAD_REQUEST, "Deze koppeling mag geen tokens vragen."),
    ("oauth-invalid-request", HTTP_400_BAD_REQUEST, "Het tokenverzoek is niet compleet."),
    # Single sign-on: "sso-" and the reason the refusal page carries (`data-reden`), for the
    # rules of `consent.sso` and for the relying party's own protocol checks.
    (
        sso.SsoRefused,
        HTTP_403_FORBIDDEN,
        "Inloggen via je organisatie lukte niet. " + SSO_TRY_AGAIN,
    ),
    (
        sso.SsoNotConfigured,
        HTTP_403_FORBIDDEN,
        "Deze organisatie heeft inloggen via de eigen inlogdienst niet ingesteld.",
    ),
    (
        sso.SsoUnknownSubject,
        HTTP_403_FORBIDDEN,
        (
            "Dit account van je organisatie is nog niet gekoppeld aan een Rugzak-account. "
            "Log één keer in met je wachtwoordzin en koppel het bij Inloggen via je organisatie."
        ),
    ),
    (
        sso.SsoLinkedElsewhere,
        HTTP_403_FORBIDDEN,
        "Dit account van je organisatie is al aan een ander Rugzak-account gekoppeld.",
    ),
    (sso.InvalidIssuer, HTTP_400_BAD_REQUEST, SAY_AGAIN),
    (
        "sso-flow",
        HTTP_403_FORBIDDEN,
        "Het inloggen duurde te lang of is in een ander venster begonnen. " + SSO_TRY_AGAIN,
    ),
    (
        "sso-state",
        HTTP_403_FORBIDDEN,
        "Dit antwoord hoort niet bij jouw inlogpoging. " + SSO_TRY_AGAIN,
    ),
    (
        "sso-nonce",
        HTTP_403_FORBIDDEN,
        "Het bewijs van je organisatie hoort niet bij deze inlogpoging. " + SSO_TRY_AGAIN,
    ),
    (
        "sso-expired",
        HTTP_403_FORBIDDEN,
        "Het bewijs van je organisatie is verlopen. " + SSO_TRY_AGAIN,
    ),
    (
        "sso-issuer",
        HTTP_403_FORBIDDEN,
        "Het antwoord komt niet van de inlogdienst die je organisatie heeft ingesteld.",
    ),
    (
        "sso-signature",
        HTTP_403_FORBIDDEN,
        "Het bewijs van je organisatie is niet goed ondertekend. We vertrouwen het niet.",
    ),
    (
        "sso-claims",
        HTTP_403_FORBIDDEN,
        "Het bewijs van je organisatie klopt niet. We vertrouwen het niet.",
    ),
    (
        "sso-provider",
        HTTP_403_FORBIDDEN,
        "De inlogdienst van je organisatie is nu niet bereikbaar of gaf een fout.",
    ),
    ("sso-denied", HTTP_403_FORBIDDEN, "Je organisatie heeft het inloggen niet toegestaan."),
    # The web layer's own answers.
    ("validation", HTTP_422_UNPROCESSABLE_ENTITY, SAY_AGAIN),
    # A page's CSRF token is missing or stale (an old tab, cookies cleared): not the
    # person's fault, and reloading fixes it.
    (
        "page-expired",
        HTTP_403_FORBIDDEN,
        "Deze pagina was verlopen. Laad de pagina opnieuw en probeer het nog eens.",
    ),
    ("method-not-allowed", HTTP_405_METHOD_NOT_ALLOWED, "Dit kan hier niet."),
    (
        "internal-error",
        HTTP_500_INTERNAL_SERVER_ERROR,
        "Er ging bij ons iets mis. Er is niets veranderd. Probeer het later opnieuw.",
    ),
)

# Litestar's own HTTP errors (a guard's 401, a missing route's 404, a body too large…) as
# codes of the table, so they get the same Dutch titles as the domain errors.
HTTP_STATUSES: tuple[tuple[int, str], ...] = (
    (HTTP_400_BAD_REQUEST, d.InvalidInput.code),
    (HTTP_401_UNAUTHORIZED, d.NotAuthenticated.code),
    (HTTP_403_FORBIDDEN, d.Forbidden.code),
    (HTTP_404_NOT_FOUND, d.NotFound.code),
    (HTTP_405_METHOD_NOT_ALLOWED, "method-not-allowed"),
    (HTTP_413_REQUEST_ENTITY_TOO_LARGE, d.TooLarge.code),
    (HTTP_429_TOO_MANY_REQUESTS, d.TooManyAttempts.code),
    (HTTP_500_INTERNAL_SERVER_ERROR, "internal-error"),
)

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


def exception_handlers(table: ErrorTable) -> dict[int | type[Exception], Handler]:
    """The app's handlers: every exception is answered from `table`, as problem+json for a
    machine (or a script asking for JSON) and as a Dutch page for a person."""

    def answer(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        if not wants_json(request):
            from web.pages.errors import page_error  # noqa: PLC0415  (web.pages imports this module)

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


def domain_error_handler(request: Request[Any, Any, Any], exc: d.DomainError) -> Response[Any]:
    """problem+json for a domain error, whoever asks."""
    return TABLE.answer(exc).response(request)


# Old names, for modules that still import them.
HTTP_CODES = TABLE.by_status


async def log_unexpected(exc: Exception, scope: Any) -> None:
    """Log what no handler expected (a 500); domain errors and HTTP errors are answers."""
    if isinstance(exc, d.DomainError) or (isinstance(exc, OperationalError) and is_busy(exc)):
        return
    if isinstance(exc, HTTPException) and exc.status_code < HTTP_500_INTERNAL_SERVER_ERROR:
        return
    logger.error("unexpected error on %s", scope.get("path"), exc_info=exc)
