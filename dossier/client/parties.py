"""Client side of the consent engine: parties."""

from __future__ import annotations

from dossier.client.sections import SectionsClient


class PartiesClient(SectionsClient):
    """Mixed into `RugzakClient`."""
