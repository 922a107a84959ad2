"""The connections API."""

from __future__ import annotations

from litestar import Controller

from web.auth import requires_login


class ConnectionsController(Controller):
    path = "/api/v1"
    tags = ["connections"]
    guards = [requires_login]
