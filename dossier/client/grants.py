"""Client side of the consent engine: grants."""

from __future__ import annotations

from dossier.client.sections import SectionsClient


class GrantsClient(SectionsClient):
    """Mixed into `RugzakClient`."""
