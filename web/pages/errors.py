"""Errors on pages: the same Dutch (B1) messages as the API (`web/errors.py`), shown as a page,
or for an htmx request as an alert swapped into the page's message region. A missing or
expired session sends the browser to the login page."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from dossier import errors as d
from web.auth import COOKIE
from web.errors import HTTP_CODES, PROBLEMS, is_csrf_refusal


def _is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def show_error(request: Request[Any, Any, Any], status: int, message: str) -> Response[Any]:
    if _is_htmx(request):
        # htmx swaps only 2xx answers: answer 200 and retarget to the message region.
        return Template(
            template_name="partials/melding.html",
            context={"message": message, "kind": "error"},
            headers={"hx-retarget": "#meldingen", "hx-reswap": "innerHTML"},
        )
    return Template(
        template_name="pages/fout.html", context={"message": message}, status_code=status
    )


def to_login(request: Request[Any, Any, Any], *, expired: bool) -> Response[Any]:
    target = "/inloggen?verlopen=1" if expired else "/inloggen"
    if _is_htmx(request):
        response: Response[Any] = Response(content=None, headers={"hx-redirect": target})
    else:
        response = Redirect(path=target, status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def domain_error(request: Request[Any, Any, Any], exc: d.DomainError) -> Response[Any]:
    if isinstance(exc, d.NotAuthenticated):
        return to_login(request, expired=isinstance(exc, d.SessionExpired))
    status, message = PROBLEMS.get(exc.code, PROBLEMS[d.InvalidInput.code])
    return show_error(request, status, message)


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, ValidationException):
        return show_error(request, HTTP_400_BAD_REQUEST, PROBLEMS["validation"][1])
    if is_csrf_refusal(exc):
        return show_error(request, HTTP_403_FORBIDDEN, PROBLEMS["page-expired"][1])
    code = HTTP_CODES.get(exc.status_code, d.InvalidInput.code)
    status = exc.status_code if exc.status_code < HTTP_500_INTERNAL_SERVER_ERROR else 400
    return show_error(request, status, PROBLEMS[code][1])


PAGE_ERRORS: dict[int | type[Exception], Any] = {
    d.DomainError: domain_error,
    HTTPException: http_error,
}
