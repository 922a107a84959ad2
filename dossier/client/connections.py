"""Client side of the consent engine: connections."""

from __future__ import annotations

from dossier.client.sections import SectionsClient


class ConnectionsClient(SectionsClient):
    """Mixed into `RugzakClient`."""
