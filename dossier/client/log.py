"""Client side of the consent engine: log."""

from __future__ import annotations

from dossier.client.sections import SectionsClient


class LogClient(SectionsClient):
    """Mixed into `RugzakClient`."""
