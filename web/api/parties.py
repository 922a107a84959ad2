"""The parties API."""

from __future__ import annotations

from litestar import Controller

from web.auth import requires_login


class PartiesController(Controller):
    path = "/api/v1"
    tags = ["parties"]
    guards = [requires_login]
