"""The OAuth 2.0 authorization server for partner systems (client credentials only), the
admin API for partner clients, and the partner API itself under `/partner/v1`.

Partner routes live outside `/api/`: there `web.auth` reads a bearer token as a login
session; here a bearer token is an OAuth access token of a partner client."""

from web.oauth.clients import PartnerClientsController
from web.oauth.partner import PartnerCampaignsController
from web.oauth.server import TokenController

CONTROLLERS = [TokenController, PartnerClientsController, PartnerCampaignsController]

__all__ = [
    "CONTROLLERS",
    "PartnerCampaignsController",
    "PartnerClientsController",
    "TokenController",
]
