"""Domain errors of organisations and memberships; `web/errors.py` gives them a status."""

from __future__ import annotations

from dossier.errors import Conflict, InvalidInput


class LastAdmin(Conflict):
    """Removing or demoting this admin would leave the organisation without one."""

    code = "last-admin"


class RotationIncomplete(InvalidInput):
    """A key rotation must cover exactly the active members and the organisation's sealed
    grants, so nothing stays sealed to the old key and nobody is silently dropped."""

    code = "rotation-incomplete"
