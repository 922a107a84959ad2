"""A server clock a test can move forward (`create_app(clock=…)`): the waiting period of a
recovery request is the server's rule, checked against the server's clock."""

from __future__ import annotations

import datetime as dt

from dossier.db import utcnow


class MovableClock:
    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return utcnow() + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += dt.timedelta(**delta)
