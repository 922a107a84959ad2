"""The youth's own views moved to `consent.own`; these names stay importable here for the
sharing pages (`web/pages/sharing_view.py`, `web/pages/sharing_api.py`) until they move too."""

from __future__ import annotations

from consent.entries import SealedEntry
from consent.own.service import OwnDossierService as Pages
from consent.own.service import receipts_and_orgs, receipts_json
from consent.own.views import (
    GROUPS,
    PERMISSION_LABELS,
    STATE_LABELS,
    GrantView,
    SectionPage,
    identity_json,
    short_id,
)

__all__ = [
    "GROUPS",
    "PERMISSION_LABELS",
    "STATE_LABELS",
    "GrantView",
    "Pages",
    "SealedEntry",
    "SectionPage",
    "identity_json",
    "receipts_and_orgs",
    "receipts_json",
    "short_id",
]
