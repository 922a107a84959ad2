"""The grants API."""

from __future__ import annotations

from litestar import Controller

from web.auth import requires_login


class GrantsController(Controller):
    path = "/api/v1"
    tags = ["grants"]
    guards = [requires_login]
