"""The Python client: does all client-side crypto for scripts, the CLI and tests.

It talks to the JSON API with httpx, verifies every signature before it trusts a key or an
entry, and raises named errors (`dossier.crypto.TamperedError` and friends, `ApiError`)."""

from dossier.client.api import ApiError, RollbackError
from dossier.client.core import RugzakClient, SectionView
from dossier.client.log import LogRollbackError

__all__ = ["ApiError", "LogRollbackError", "RollbackError", "RugzakClient", "SectionView"]
