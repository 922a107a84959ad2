"""Wire shapes of the sharing API, shared by the server and the Python client."""

from __future__ import annotations

import msgspec

from consent.connections.schemas import ConnectionOut
from consent.grants.schemas import GrantOut
from consent.requests.schemas import RequestOut
from dossier.sections.schemas import DossierOut


class SharingOut(msgspec.Struct):
    """The owner's dossier with every section's sealed owner key, every grant with its
    receipt, every consent request with its statements, every connection with its card."""

    dossier: DossierOut
    grants: list[GrantOut]
    requests: list[RequestOut]
    connections: list[ConnectionOut]
