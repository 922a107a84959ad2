"""Sign in through the organisation's OpenID Connect provider, link an account to it, and
unlock the keys afterwards with the passphrase (on the device).

Why the passphrase is still needed: the provider only says who someone is. The keys that open
what youths shared are sealed under the passphrase and opened in the browser, so the provider
(or whoever controls it) never holds them: a compromised provider can start a session, but it
cannot read anything. See docs/professionals.md."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import httpx
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from consent.sso.errors import SsoRefused
from consent.sso.service import SsoService
from web.auth import COOKIE, public, requires_login
from web.deps import Accounts, CallerDep, DbSession, Sessions, SettingsDep
from web.oidc import flows
from web.oidc.errors import OidcRefused, refuse, refused_page
from web.oidc.relying_party import TIMEOUT, Attempt, RelyingParty

CALLBACK = "/inloggen/sso/terug"


async def provide_sso(db_session: DbSession, settings: SettingsDep) -> SsoService:
    return SsoService(db_session, loopback_http=settings.oidc_loopback_http)


Sso = NamedDependency[SsoService]


def _http() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)


async def start(
    request: Request[Any, Any, Any],
    sso: SsoService,
    settings: Any,
    org_id: uuid.UUID,
    intent: str,
    account_id: str | None,
) -> Response[Any]:
    try:
        org = await sso.for_sign_in(org_id)
        attempt = Attempt.new(
            org.oidc_issuer or "", org.oidc_client_id or "", settings.base_url + CALLBACK
        )
        async with _http() as http:
            rp = RelyingParty(http, loopback_http=settings.oidc_loopback_http)
            url = rp.authorization_url(await rp.metadata(attempt.issuer), attempt)
    except (OidcRefused, SsoRefused) as error:
        return refused_page(error)
    flow = flows.Flow(str(org.id), intent, account_id, attempt)
    cookie = await flows.begin(request, flow, secure=settings.cookie_secure)
    if intent == "link":
        # Linking starts with a form post; the CSP's form-action 'self' would stop a redirect
        # to the provider, so a page sends the browser on (a navigation, not a form).
        return Template(
            template_name="pro/sso-verder.html",
            context={"target": url, "org": org, "leaving": True, "signed_in": True, "pro": True},
            cookies=[cookie],
        )
    return Redirect(path=url, status_code=303, cookies=[cookie])


class SsoPages(Controller):
    """Public: the sign-in start and the provider's way back."""

    guards = [public]
    include_in_schema = False
    dependencies = {"sso": Provide(provide_sso)}

    @get("/inloggen/organisatie")
    async def choose(self, sso: Sso) -> Template:
        orgs = await sso.configured()
        return Template(
            template_name="pro/sso-kies.html", context={"orgs": orgs, "signed_in": False}
        )

    @get("/inloggen/sso/{org_id:uuid}")
    async def sign_in(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[uuid.UUID],
        sso: Sso,
        settings: SettingsDep,
    ) -> Response[Any]:
        return await start(request, sso, settings, org_id, "login", None)

    @get(CALLBACK)
    async def callback(
        self,
        request: Request[Any, Any, Any],
        sso: Sso,
        sessions: Sessions,
        settings: SettingsDep,
    ) -> Response[Any]:
        """Every refusal is a Dutch page (403); nothing is half-done: the attempt is used up
        either way, and a session or link is only made after every check passed."""
        gone = Cookie(key=flows.COOKIE, value="", path=flows.COOKIE_PATH, max_age=0)
        try:
            flow = await flows.take(request)
            if flow is None:
                raise refuse("flow")
            org = await sso.for_sign_in(uuid.UUID(flow.org_id))
            if org.oidc_issuer != flow.attempt.issuer:
                raise refuse("issuer")
            params = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
            async with _http() as http:
                rp = RelyingParty(http, loopback_http=settings.oidc_loopback_http)
                subject = await rp.finish(flow.attempt, str(request.url), params)
            if flow.intent == "link" and flow.account_id is not None:
                await sso.link(org, subject, uuid.UUID(flow.account_id))
                return Template(
                    template_name="pro/sso-verder.html",
                    context={"target": "/pro/sso?gekoppeld=1", "org": org, "linked": True},
                    cookies=[gone],
                )
            account = await sso.account_for(org, subject)
        except (OidcRefused, SsoRefused) as error:
            page = refused_page(error)
            page.cookies.append(gone)
            return page
        new = await sessions.start(account.id, request.headers.get("user-agent", "")[:200])
        cookie = Cookie(
            key=COOKIE,
            value=new.token,
            path="/",
            httponly=True,
            secure=settings.cookie_secure,
            samesite="strict",
        )
        # A page, not a redirect: the navigation came from the provider's site, and a
        # SameSite=Strict cookie is only sent once the browser navigates from our own page.
        return Template(
            template_name="pro/sso-verder.html",
            context={"target": "/pro/ontgrendelen", "org": org, "linked": False},
            cookies=[cookie, gone],
        )


class SsoAccountPages(Controller):
    """Signed in: link or unlink my account, and unlock my keys after single sign-on."""

    guards = [requires_login]
    include_in_schema = False
    dependencies = {"sso": Provide(provide_sso)}

    @get("/pro/sso")
    async def overview(
        self, request: Request[Any, Any, Any], caller: CallerDep, sso: Sso
    ) -> Template:
        return Template(
            template_name="pro/sso.html",
            context={
                "orgs": await sso.mine(caller.account_id),
                "linked": request.query_params.get("gekoppeld") == "1",
                "signed_in": True,
                "pro": True,
            },
        )

    @post("/pro/sso/{org_id:uuid}/koppelen")
    async def link(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[uuid.UUID],
        caller: CallerDep,
        sso: Sso,
        settings: SettingsDep,
    ) -> Response[Any]:
        return await start(request, sso, settings, org_id, "link", str(caller.account_id))

    @post("/pro/sso/{org_id:uuid}/ontkoppelen")
    async def unlink(self, org_id: FromPath[uuid.UUID], caller: CallerDep, sso: Sso) -> Redirect:
        await sso.unlink(org_id, caller.account_id)
        return Redirect(path="/pro/sso", status_code=303)

    @get("/pro/ontgrendelen")
    async def unlock(self, caller: CallerDep, accounts: Accounts) -> Template:
        account = await accounts.get(caller.account_id)
        return Template(
            template_name="pro/ontgrendelen.html",
            context={
                "account": account,
                "signed_in": True,
                "pro": True,
                "script": "js/app/pro-unlock.js",
            },
        )


class OidcConfigPages(Controller):
    """The admin's form on the organisation page."""

    guards = [requires_login]
    include_in_schema = False
    dependencies = {"sso": Provide(provide_sso)}

    @post("/pro/organisaties/{org_id:uuid}/oidc")
    async def configure(
        self,
        org_id: FromPath[uuid.UUID],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
        caller: CallerDep,
        sso: Sso,
    ) -> Redirect:
        await sso.configure(
            caller.account_id, org_id, data.get("issuer", ""), data.get("client_id", "")
        )
        return Redirect(path=f"/pro/organisaties/{org_id}?oidc=1", status_code=303)
