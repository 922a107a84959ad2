"""The app shell of the installable phone app (docs/web-app.md, "Phone app"): the Dutch
offline page the service worker keeps (`/offline`), `/favicon.ico` for browsers that ask for
it without reading the page's icon links, and the youth's "Meer" page (settings such as the
neutral site of "Snel weg", and links to the rest of the app)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Redirect, Template

from web.auth import Caller, public, requires_login

# Where "Snel weg" goes: ordinary sites that give nothing away. The first is the default;
# `base.html` and js/app/shell.js read this list through the page config.
NEUTRAL_SITES: tuple[tuple[str, str], ...] = (
    ("https://www.google.nl/", "Google"),
    ("https://www.buienradar.nl/", "Buienradar (het weer)"),
    ("https://nos.nl/", "NOS (nieuws)"),
    ("https://www.youtube.com/", "YouTube"),
)


class ShellPages(Controller):
    include_in_schema = False

    @get("/offline", guards=[public])
    async def offline(self) -> Template:
        """Cached by the service worker at install; shown for a page asked for offline."""
        return Template(template_name="pages/offline.html", context={"signed_in": False})

    @get("/favicon.ico", guards=[public])
    async def favicon(self) -> Redirect:
        return Redirect(path="/static/icons/favicon.ico", status_code=301)

    @get("/meer", guards=[requires_login])
    async def more(self, request: Request[Any, Any, Any]) -> Template:
        caller = request.scope["user"]
        pro = isinstance(caller, Caller) and caller.kind == "professional"
        return Template(
            template_name="pages/meer.html",
            context={"signed_in": True, "pro": pro, "sites": NEUTRAL_SITES},
        )
