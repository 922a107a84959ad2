"""Errors on pages: the row of the one error table (`web/errors.py`) shown as a page, or for an
htmx request as an alert swapped into the page's message region. A missing or expired
session sends the browser to the login page. No messages or statuses of its own here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Template

from dossier import errors as d
from web.auth import COOKIE
from web.errors import ErrorTable


def _is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def show_error(
    request: Request[Any, Any, Any],
    status: int,
    message: str,
    headers: Mapping[str, str] | None = None,
) -> Response[Any]:
    if _is_htmx(request):
        # htmx swaps only 2xx answers: answer 200 and retarget to the message region. The
        # status rides along, so a page script may show the refusal where the user works.
        return Template(
            template_name="partials/melding.html",
            context={"message": message, "kind": "error"},
            headers={
                **(headers or {}),
                "hx-retarget": "#meldingen",
                "hx-reswap": "innerHTML",
                "x-rugzak-status": str(status),
            },
        )
    return Template(
        template_name="pages/fout.html",
        context={"message": message},
        status_code=status,
        headers=dict(headers or {}),
    )


def to_login(request: Request[Any, Any, Any], *, expired: bool) -> Response[Any]:
    target = "/inloggen?verlopen=1" if expired else "/inloggen"
    if _is_htmx(request):
        response: Response[Any] = Response(content=None, headers={"hx-redirect": target})
    else:
        response = Redirect(path=target, status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def page_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Any exception on a page: its row of the table, in Dutch."""
    if isinstance(exc, d.NotAuthenticated):
        return to_login(request, expired=isinstance(exc, d.SessionExpired))
    table: ErrorTable = request.app.state.errors
    answer = table.answer(exc)
    return show_error(request, answer.problem.status, answer.problem.title, answer.headers)


PAGE_ERRORS: dict[int | type[Exception], Any] = {
    d.DomainError: page_error,
    HTTPException: page_error,
}
