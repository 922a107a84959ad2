"""Single sign-on for professionals through their organisation's OpenID Connect provider.

`PAGES` go on the page router (cookie sessions, CSRF); `API` on the app (bearer only);
`PUBLIC` lists the page paths anyone may call (the route-guard test reads it)."""

from web.oidc.api import OidcConfigController
from web.oidc.pages import CALLBACK, OidcConfigPages, SsoAccountPages, SsoPages

PAGES = [SsoPages, SsoAccountPages, OidcConfigPages]
API = [OidcConfigController]
PUBLIC = frozenset({"/inloggen/organisatie", "/inloggen/sso/{org_id:uuid}", CALLBACK})

__all__ = ["API", "PAGES", "PUBLIC"]
