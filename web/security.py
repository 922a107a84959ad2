"""Security headers on every response the app sends: pages, static files, the API, and error
answers (404s included), because it hooks the app's final `send` (`before_send`) rather than a
route's middleware stack.

The policy admits only our own files: no inline script or style anywhere, so a string that
reaches a page as markup cannot run. `'wasm-unsafe-eval'` lets libsodium.js compile its
embedded WebAssembly; it does not allow `eval()` (docs/browser-crypto.md). The kdf worker takes
its policy from its own response, which is why static files carry the header too."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

CSP = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "connect-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "manifest-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HEADERS = {
    "content-security-policy": CSP,
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "permissions-policy": PERMISSIONS,
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "x-frame-options": "DENY",
}
SERVICE_WORKER = "/static/sw.js"
HSTS = "max-age=31536000; includeSubDomains"

Hook = Callable[[Message, Scope], Awaitable[None]]


def security_headers(*, https: bool) -> Hook:
    """The `before_send` hook. `https` (the `cookie_secure` setting) adds HSTS. Pages (not
    static files) are never cached: they hold a CSRF token and the shape of a dossier."""
    fixed = dict(HEADERS)
    if https:
        fixed["strict-transport-security"] = HSTS

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in fixed.items():
            headers[name] = value
        path = str(scope.get("path", ""))
        if path == SERVICE_WORKER:
            # The worker lives under /static/ but controls the whole app (web/static/sw.js).
            headers["service-worker-allowed"] = "/"
            headers["cache-control"] = "no-cache"
        if not path.startswith("/static/") and "cache-control" not in headers:
            headers["cache-control"] = "no-store"

    return add_headers
