"""Account pages: welcome, sign-up, login, recovery (the crypto runs in the browser, through
the JSON API), the bearer-to-cookie exchange, logout and the sessions list.

Sign-up, login and recovery need JavaScript: the passphrase never leaves the browser, so a
plain form post has nothing it could safely send. The forms have no `name` on secret fields
and stay hidden until the script shows them; without JavaScript the page says so. Logout and
the sessions page are plain forms that work without JavaScript."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_204_NO_CONTENT

from dossier.errors import NotAuthenticated
from web.auth import COOKIE, Caller, public, requires_login, viewer_of
from web.deps import CallerDep, Sessions, SettingsDep


def _signed_in(request: Request[Any, Any, Any]) -> bool:
    return isinstance(request.scope.get("user"), Caller)


def _page(name: str, request: Request[Any, Any, Any], **context: Any) -> Template:
    return Template(
        template_name=f"pages/{name}.html",
        context={"signed_in": _signed_in(request), **context},
    )


class AccountPages(Controller):
    guards = [public]
    include_in_schema = False

    @get("/")
    async def welcome(self, request: Request[Any, Any, Any]) -> Template:
        return _page("welkom", request)

    @get("/aanmelden")
    async def sign_up(self, request: Request[Any, Any, Any]) -> Template:
        return _page("aanmelden", request, script="js/app/signup.js")

    @get("/aanmelden/vertrouwd")
    async def sign_up_trusted(self, request: Request[Any, Any, Any]) -> Template:
        """A person the youth trusts makes an account to be her recovery contact
        (docs/recovery.md, "A trusted person"): a professional-kind account, no rugzak."""
        return _page("aanmelden", request, script="js/app/signup.js", trusted=True)

    @get("/inloggen")
    async def login(self, request: Request[Any, Any, Any]) -> Template:
        expired = request.query_params.get("verlopen") == "1"
        return _page("inloggen", request, script="js/app/login.js", expired=expired)

    @get("/herstellen")
    async def recover(self, request: Request[Any, Any, Any]) -> Template:
        return _page("herstellen", request, script="js/app/recover.js")

    @get("/uitgelogd")
    async def logged_out(self, request: Request[Any, Any, Any]) -> Template:
        """Carries `data-rugzak-wipe`: arriving here wipes the keys of this tab."""
        return _page("uitgelogd", request, wipe=True)

    @post("/sessie", status_code=HTTP_204_NO_CONTENT)
    async def exchange(
        self, request: Request[Any, Any, Any], sessions: Sessions, settings: SettingsDep
    ) -> Response[None]:
        """Right after an API login the browser trades its bearer token for the HttpOnly
        cookie that pages use (and then forgets the token). Authenticated by the token in
        `Authorization: Bearer`, and, like every page form, by the CSRF header."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated
        await sessions.authenticate(token.strip())
        cookie = Cookie(
            key=COOKIE,
            value=token.strip(),
            path="/",
            httponly=True,
            secure=settings.cookie_secure,
            samesite="strict",
        )
        return Response(content=None, status_code=HTTP_204_NO_CONTENT, cookies=[cookie])

    @post("/uitloggen")
    async def logout(self, request: Request[Any, Any, Any], sessions: Sessions) -> Redirect:
        """Ends the session (if there still is one), clears the cookie, and lands on a page
        that wipes the tab's keys (the button also wipes them on click)."""
        user = viewer_of(request)
        if user is not None:
            await sessions.end(user.account_id, user.session_id)
        response = Redirect(path="/uitgelogd", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response


class SessionPages(Controller):
    path = "/sessies"
    guards = [requires_login]
    include_in_schema = False

    @get("/")
    async def sessions(
        self, request: Request[Any, Any, Any], caller: CallerDep, sessions: Sessions
    ) -> Template:
        rows = await sessions.list(caller.account_id)
        ended = request.query_params.get("beeindigd") == "1"
        return _page(
            "sessies",
            request,
            sessions=rows,
            current=caller.session_id,
            ended=ended,
            pro=caller.kind == "professional",
        )

    @post("/{session_id:uuid}/beeindigen")
    async def end(
        self, session_id: FromPath[uuid.UUID], caller: CallerDep, sessions: Sessions
    ) -> Redirect:
        await sessions.end(caller.account_id, session_id)
        if session_id == caller.session_id:
            response = Redirect(path="/uitgelogd", status_code=303)
            response.delete_cookie(COOKIE, path="/")
            return response
        return Redirect(path="/sessies?beeindigd=1", status_code=303)
