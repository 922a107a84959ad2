"""problem+json answers for the page-JSON routes still being removed (tests/web/test_routes.py,
`KNOWN_TWINS_BEING_REMOVED`): this module goes with the last of them. New page scripts call
`/api/v1`, which answers problem+json itself."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from dossier import errors as d
from web.errors import HTTP_CODES, domain_error_handler, problem


def json_http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, ValidationException):
        return problem("validation", str(exc.detail)).to_response(request)
    code = HTTP_CODES.get(exc.status_code, d.InvalidInput.code)
    return problem(code).to_response(request)


JSON_ERRORS: dict[int | type[Exception], Any] = {
    d.DomainError: domain_error_handler,
    HTTPException: json_http_error,
}
