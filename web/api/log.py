"""The log API."""

from __future__ import annotations

from litestar import Controller

from web.auth import requires_login


class LogController(Controller):
    path = "/api/v1"
    tags = ["log"]
    guards = [requires_login]
