"""The organisation's single sign-on settings over the JSON API (admins set, members read)."""

from __future__ import annotations

import uuid

import msgspec
from litestar import Controller, put
from litestar.di import Provide
from litestar.params import FromPath, JSONBody

from web.auth import CALLER_SECURITY, requires_login
from web.deps import CallerDep
from web.oidc.pages import CALLBACK, Sso, provide_sso


class OidcConfig(msgspec.Struct, forbid_unknown_fields=True):
    """A public client (PKCE, no secret). Both empty: single sign-on off."""

    issuer: str = ""
    client_id: str = ""


class OidcConfigOut(msgspec.Struct):
    org_id: str
    issuer: str | None
    client_id: str | None
    redirect_path: str


class OidcConfigController(Controller):
    path = "/api/v1/organisations/{org_id:uuid}/oidc"
    tags = ["organisations"]
    guards = [requires_login]
    security = CALLER_SECURITY
    dependencies = {"sso": Provide(provide_sso)}

    @put("/")
    async def configure(
        self,
        org_id: FromPath[uuid.UUID],
        data: JSONBody[OidcConfig],
        caller: CallerDep,
        sso: Sso,
    ) -> OidcConfigOut:
        org = await sso.configure(caller.account_id, org_id, data.issuer, data.client_id)
        return OidcConfigOut(str(org.id), org.oidc_issuer, org.oidc_client_id, CALLBACK)
