"""An OpenID Connect relying party (authorization code flow with PKCE) for professionals who
sign in through their organisation's provider.

Built from authlib's framework-neutral RFC 6749 / RFC 7636 pieces (authorization URL, state
check on the response, token request body, S256 code challenge) with httpx as the transport,
and joserfc (authlib's JOSE successor; `authlib.jose` is deprecated) to verify the ID token:
its signature against the provider's JWKS (asymmetric algorithms only, never `none` or HMAC)
and its claims `iss`, `aud` (and `azp`), `exp`, `iat`, `nonce` and `sub`.

Security invariants: `state`, `nonce` and the PKCE verifier are random per attempt, kept on the
server (never in the browser beyond the opaque flow cookie) and used once; the issuer is the one
the organisation's admin configured, and the provider's discovery document and ID token must
name exactly that issuer (mix-up defence, also the RFC 9207 `iss` response parameter when the
provider sends it). Single sign-on only authenticates: nothing here touches a key."""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import (
    parse_authorization_code_response,
    prepare_grant_uri,
    prepare_token_request,
)
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from consent.sso.errors import InvalidIssuer
from consent.sso.service import check_issuer_url
from web.oidc.errors import refuse

SCOPE = "openid"
LEEWAY_SECONDS = 60
ALLOWED_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")
TIMEOUT = httpx.Timeout(5.0)
MAX_DOCUMENT_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class Metadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]
    iss_parameter: bool


@dataclass(frozen=True, slots=True)
class Attempt:
    """One sign-in attempt, kept on the server until the provider answers (used once)."""

    issuer: str
    client_id: str
    redirect_uri: str
    state: str
    nonce: str
    verifier: str

    @classmethod
    def new(cls, issuer: str, client_id: str, redirect_uri: str) -> Attempt:
        return cls(
            issuer,
            client_id,
            redirect_uri,
            generate_token(43),
            generate_token(43),
            generate_token(64),
        )


async def _json(
    http: httpx.AsyncClient, method: str, url: str, *, loopback_http: bool, **kwargs: Any
) -> dict[str, Any]:
    try:  # every endpoint we call obeys the same https rule as the issuer
        check_issuer_url(url, loopback_http=loopback_http)
    except InvalidIssuer as exc:
        raise refuse("provider") from exc
    try:
        response = await http.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        raise refuse("provider") from exc
    if len(response.content) > MAX_DOCUMENT_BYTES:
        raise refuse("provider")
    try:
        data = response.json()
    except ValueError as exc:
        raise refuse("provider") from exc
    if not isinstance(data, dict):
        raise refuse("provider")
    if response.status_code >= 400:
        raise refuse("denied" if data.get("error") == "invalid_grant" else "provider")
    return data


class RelyingParty:
    """One provider, as the organisation configured it. No redirects are followed and every
    fetched document is size-limited."""

    def __init__(self, http: httpx.AsyncClient, *, loopback_http: bool = False) -> None:
        self.http = http
        self.loopback_http = loopback_http

    async def metadata(self, issuer: str) -> Metadata:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        data = await _json(self.http, "GET", url, loopback_http=self.loopback_http)
        if data.get("issuer") != issuer:
            raise refuse("issuer")
        algs = tuple(
            a
            for a in data.get("id_token_signing_alg_values_supported", ["RS256"])
            if a in ALLOWED_ALGS
        )
        try:
            return Metadata(
                issuer=issuer,
                authorization_endpoint=str(data["authorization_endpoint"]),
                token_endpoint=str(data["token_endpoint"]),
                jwks_uri=str(data["jwks_uri"]),
                algorithms=algs or ("RS256",),
                iss_parameter=bool(data.get("authorization_response_iss_parameter_supported")),
            )
        except KeyError as exc:
            raise refuse("provider") from exc

    @staticmethod
    def authorization_url(meta: Metadata, attempt: Attempt) -> str:
        uri: str = prepare_grant_uri(
            meta.authorization_endpoint,
            attempt.client_id,
            "code",
            redirect_uri=attempt.redirect_uri,
            scope=SCOPE,
            state=attempt.state,
            nonce=attempt.nonce,
            code_challenge=create_s256_code_challenge(attempt.verifier),
            code_challenge_method="S256",
        )
        return uri

    async def finish(self, attempt: Attempt, callback_url: str, params: dict[str, str]) -> str:
        """Check the provider's answer, redeem the code, verify the ID token; returns `sub`."""
        meta = await self.metadata(attempt.issuer)
        iss_given = "iss" in params or meta.iss_parameter
        if iss_given and not hmac.compare_digest(params.get("iss", ""), attempt.issuer):
            raise refuse("issuer")
        try:
            answer = parse_authorization_code_response(callback_url, state=attempt.state)
        except AuthlibBaseError as exc:
            raise refuse("state" if "state" in str(exc.error).lower() else "denied") from exc
        if "error" in params:
            raise refuse("denied")
        body = prepare_token_request(
            "authorization_code",
            code=answer["code"],
            redirect_uri=attempt.redirect_uri,
            client_id=attempt.client_id,
            code_verifier=attempt.verifier,
        )
        tokens = await _json(
            self.http,
            "POST",
            meta.token_endpoint,
            loopback_http=self.loopback_http,
            content=body,
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise refuse("provider")
        return await self.verify_id_token(meta, attempt, id_token)

    async def verify_id_token(self, meta: Metadata, attempt: Attempt, id_token: str) -> str:
        jwks = await _json(self.http, "GET", meta.jwks_uri, loopback_http=self.loopback_http)
        try:
            keys = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
            token = jwt.decode(id_token, keys, algorithms=list(meta.algorithms))
        except (JoseError, ValueError) as exc:
            raise refuse("signature") from exc
        return check_claims(token.claims, attempt)


def check_claims(claims: dict[str, Any], attempt: Attempt, now: float | None = None) -> str:
    """OpenID Connect Core §3.1.3.7: issuer, audience (and azp), expiry, issued-at, nonce."""
    now = time.time() if now is None else now
    if claims.get("iss") != attempt.issuer:
        raise refuse("issuer")
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    if attempt.client_id not in audiences:
        raise refuse("claims")
    if len(audiences) > 1 and claims.get("azp") != attempt.client_id:
        raise refuse("claims")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or not isinstance(iat, int | float):
        raise refuse("claims")
    if exp + LEEWAY_SECONDS <= now:
        raise refuse("expired")
    if iat - LEEWAY_SECONDS > now:
        raise refuse("claims")
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not hmac.compare_digest(nonce, attempt.nonce):
        raise refuse("nonce")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise refuse("claims")
    return sub
