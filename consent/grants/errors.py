"""Domain errors of grants; `web/errors.py` gives them a status and a Dutch title."""

from __future__ import annotations

from dossier.errors import InvalidInput


class PastAgeCap(InvalidInput):
    """A grant runs at most until the day before the owner's 27th birthday, unless the owner
    chose to renew it past that day (`renewed_past_27`)."""

    code = "past-27"
