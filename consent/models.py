"""Every table of the consent package, imported in one place for Alembic and the app."""

from consent.campaigns.models import Campaign, CampaignEntry, PartnerClient, PartnerToken
from consent.connections.models import Connection, Invite
from consent.grants.models import Grant
from consent.log.models import LogCheckpoint, LogEvent
from consent.parties.models import Membership, Organisation, OrgKeyVersion
from consent.profiles.models import ProfessionalProfile
from consent.recovery.models import RecoveryRequest, RecoverySetup, RecoveryShare
from consent.requests.models import ConsentRequest
from consent.sso.models import OidcLink

__all__ = [
    "Campaign",
    "CampaignEntry",
    "Connection",
    "ConsentRequest",
    "Grant",
    "Invite",
    "LogCheckpoint",
    "LogEvent",
    "Membership",
    "OidcLink",
    "OrgKeyVersion",
    "Organisation",
    "PartnerClient",
    "PartnerToken",
    "ProfessionalProfile",
    "RecoveryRequest",
    "RecoverySetup",
    "RecoveryShare",
]
