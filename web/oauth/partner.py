"""The partner API for a school's student information system: create a campaign, upload the
student list, issue links, read the status. Every route needs an OAuth access token from
`/oauth/token` with the scope named in the route's `opt`; the campaign must belong to the
client's own organisation."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, JSONBody, RawBody

from consent.campaigns import schemas as s
from consent.campaigns.errors import InsufficientScope, InvalidPartnerToken, RosterRejected
from consent.campaigns.partners import Partner, PartnerService
from consent.campaigns.service import CampaignService
from web.api.campaigns import (
    Campaigns,
    OnlyValid,
    campaign_out,
    import_out,
    links_out,
    provide_campaigns,
    roster_rejected,
    status_csv,
    status_out,
)
from web.deps import SettingsDep
from web.errors import problem

WRITE, READ = {"scope": "campaign:write"}, {"scope": "campaign:read"}


async def requires_partner(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """A live access token of a live client, with the route's scope (RFC 6750). A route that
    names no scope (Litestar's automatic OPTIONS answer) is refused before any lookup."""
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidPartnerToken("no bearer token")
    scope = handler.opt.get("scope")
    if scope is None:
        raise InsufficientScope("this route grants no scope")
    async with connection.app.state.alchemy.get_session() as db:
        partner = await PartnerService(db).authenticate(token.strip(), scope)
    connection.state.partner = partner


def bearer_problem(
    request: Request[Any, Any, Any], exc: InvalidPartnerToken | InsufficientScope
) -> Response[Any]:
    error = "insufficient_scope" if isinstance(exc, InsufficientScope) else "invalid_token"
    response = problem(exc.code, exc.detail, {"error": error}).to_response(request)
    response.headers["www-authenticate"] = f'Bearer realm="rugzak-partner", error="{error}"'
    return response


async def provide_partner(request: Request[Any, Any, Any]) -> Partner:
    partner: Partner = request.state.partner
    return partner


PartnerDep = NamedDependency[Partner]


async def _own(campaigns: CampaignService, partner: Partner, campaign_id: uuid.UUID) -> Any:
    return await campaigns.for_school(partner.org_id, campaign_id)


class PartnerCampaignsController(Controller):
    path = "/partner/v1/campaigns"
    tags = ["partner"]
    guards = [requires_partner]
    opt = {"exclude_from_csrf": True}  # no cookie is read here: bearer tokens only
    dependencies = {"campaigns": Provide(provide_campaigns), "partner": Provide(provide_partner)}
    exception_handlers = {
        RosterRejected: roster_rejected,
        InvalidPartnerToken: bearer_problem,
        InsufficientScope: bearer_problem,
    }

    @post("/", status_code=201, opt=WRITE)
    async def create(
        self, data: JSONBody[s.NewCampaign], partner: PartnerDep, campaigns: Campaigns
    ) -> s.CampaignOut:
        by = f"partner:{partner.client_id}"
        return campaign_out(await campaigns.create(partner.org_id, data, by))

    @get("/", opt=READ)
    async def list_campaigns(
        self, partner: PartnerDep, campaigns: Campaigns
    ) -> list[s.CampaignOut]:
        return [campaign_out(v) for v in await campaigns.of_school(partner.org_id)]

    @get("/{campaign_id:uuid}", opt=READ)
    async def show(
        self, campaign_id: FromPath[uuid.UUID], partner: PartnerDep, campaigns: Campaigns
    ) -> s.CampaignOut:
        return campaign_out(await _own(campaigns, partner, campaign_id))

    @post("/{campaign_id:uuid}/students", status_code=201, opt=WRITE)
    async def import_students(
        self,
        campaign_id: FromPath[uuid.UUID],
        body: RawBody,
        partner: PartnerDep,
        campaigns: Campaigns,
        settings: SettingsDep,
        only_valid: OnlyValid = False,  # noqa: FBT002  (a query parameter)
    ) -> s.ImportOut:
        view = await _own(campaigns, partner, campaign_id)
        done = await campaigns.import_roster(view.campaign.id, body, only_valid=only_valid)
        return import_out(settings.base_url, done)

    @post("/{campaign_id:uuid}/links", status_code=200, opt=WRITE)
    async def reissue(
        self,
        campaign_id: FromPath[uuid.UUID],
        data: JSONBody[s.Reissue],
        partner: PartnerDep,
        campaigns: Campaigns,
        settings: SettingsDep,
    ) -> list[s.IssuedLink]:
        view = await _own(campaigns, partner, campaign_id)
        return links_out(settings.base_url, await campaigns.reissue(view.campaign, data.references))

    @get("/{campaign_id:uuid}/status", opt=READ)
    async def status(
        self, campaign_id: FromPath[uuid.UUID], partner: PartnerDep, campaigns: Campaigns
    ) -> s.StatusOut:
        view = await _own(campaigns, partner, campaign_id)
        return status_out(*await campaigns.status(view.campaign))

    @get("/{campaign_id:uuid}/status.csv", opt=READ)
    async def status_export(
        self, campaign_id: FromPath[uuid.UUID], partner: PartnerDep, campaigns: Campaigns
    ) -> Response[str]:
        view = await _own(campaigns, partner, campaign_id)
        _, rows = await campaigns.status(view.campaign)
        return Response(status_csv(rows), media_type="text/csv; charset=utf-8")
