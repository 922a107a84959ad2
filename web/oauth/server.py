"""The token endpoint, built on authlib's framework-neutral `AuthorizationServer` with its
`ClientCredentialsGrant`.

authlib is synchronous and our database is not, so each request gets its own small server:
the client the request names is loaded first (async), authlib then authenticates it, checks
grant type and scope and makes the token (sync), and the token is stored last, as a hash.
Errors keep the fields RFC 6749 §5.2 requires (`error`, `error_description`) inside an RFC
9457 problem+json body, like every other error of this API."""

from __future__ import annotations

import secrets
from typing import Any

from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Request
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6749.util import extract_basic_authorization, list_to_scope, scope_to_list
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency, Provide
from litestar.status_codes import HTTP_400_BAD_REQUEST

from consent.campaigns.models import PartnerClient
from consent.campaigns.partners import SCOPES, TOKEN_SECONDS, PartnerService, secret_matches
from web.auth import public
from web.deps import DbSession
from web.errors import TABLE, problem

AUTH_METHODS = ("client_secret_basic", "client_secret_post")


class Client(ClientMixin):  # type: ignore[misc]
    """authlib's view of a partner client row: confidential, client credentials only."""

    def __init__(self, row: PartnerClient) -> None:
        self.row = row

    def get_client_id(self) -> str:
        return str(self.row.id)

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """No scope asked: every scope of the client. More than it has: refused."""
        allowed = set(self.row.scopes)
        asked = set(scope_to_list(scope) or [])
        if not asked:
            return str(list_to_scope(sorted(allowed)))
        return str(list_to_scope(sorted(asked))) if asked <= allowed else None

    def check_redirect_uri(self, redirect_uri: str) -> bool:  # noqa: ARG002
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return secret_matches(self.row, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:  # noqa: ARG002
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class Grant(ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = list(AUTH_METHODS)


class FormRequest(OAuth2Request):  # type: ignore[misc]
    def __init__(self, uri: str, headers: Any, form: dict[str, str]) -> None:
        super().__init__("POST", uri, headers=headers)
        self._form = form
        self.payload = BasicOAuth2Payload(form)

    @property
    def form(self) -> dict[str, str]:
        return self._form

    @property
    def args(self) -> dict[str, str]:
        return {}


class OneRequestServer(AuthorizationServer):  # type: ignore[misc]
    """An authorization server for one token request whose client is already loaded."""

    def __init__(self, client: PartnerClient | None) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self.client = client
        self.issued: dict[str, Any] | None = None
        self.register_grant(Grant)
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                access_token_generator=lambda **_: secrets.token_urlsafe(32),
                expires_generator=TOKEN_SECONDS,
            ),
        )

    def query_client(self, client_id: str) -> Client | None:
        if self.client is None or str(self.client.id) != client_id:
            return None
        return Client(self.client)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:  # noqa: ARG002
        self.issued = token

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        pass

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def handle_response(
        self, status: int, body: dict[str, Any], headers: list[tuple[str, str]]
    ) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        return status, body, headers


def _client_id(request: Request[Any, Any, Any], form: dict[str, str]) -> str | None:
    basic_id, _ = extract_basic_authorization(request.headers)
    return basic_id or form.get("client_id")


def error_response(request: Request[Any, Any, Any], body: dict[str, Any]) -> Response[Any]:
    error = str(body.get("error", "invalid_request"))
    code = "oauth-" + error.replace("_", "-")
    if code not in TABLE:
        code = "oauth-invalid-request"
    extra = {"error": error, "error_description": body.get("error_description", "")}
    response = problem(code, extra=extra).to_response(request)
    response.headers["cache-control"] = "no-store"
    if error == "invalid_client":
        response.headers["www-authenticate"] = 'Basic realm="rugzak-partner"'
    return response


async def provide_partners(db_session: DbSession) -> PartnerService:
    return PartnerService(db_session)


Partners = NamedDependency[PartnerService]


class TokenController(Controller):
    path = "/oauth"
    tags = ["partner"]
    guards = [public]
    dependencies = {"partners": Provide(provide_partners)}
    opt = {"exclude_from_csrf": True}  # no cookie is read here: client credentials only

    @post("/token", status_code=200)
    async def token(self, request: Request[Any, Any, Any], partners: Partners) -> Response[Any]:
        """RFC 6749 §4.4: `grant_type=client_credentials`, the client authenticated with HTTP
        Basic or in the form, optionally `scope`. The token lives an hour."""
        form = {key: str(value) for key, value in (await request.form()).items()}
        client_id = _client_id(request, form)
        client = None if client_id is None else await partners.live_client(client_id)
        server = OneRequestServer(client)
        status, body, headers = server.create_token_response(
            FormRequest(str(request.url), request.headers, form)
        )
        if status >= HTTP_400_BAD_REQUEST:
            return error_response(request, body)
        assert client is not None
        assert server.issued is not None
        scopes = scope_to_list(server.issued.get("scope")) or []
        await partners.store_token(client, server.issued["access_token"], list(scopes))
        return Response(body, status_code=status, headers=dict(headers))
