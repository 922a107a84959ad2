"""Errors of the recovery-contact flow; `web/problems.py` gives each a status and Dutch text."""

from __future__ import annotations

from dossier.errors import Conflict, Forbidden, NotFound


class RecoveryUnavailable(NotFound):
    """No recovery contact is set up for this name (or the request token is unknown)."""

    code = "recovery-unavailable"


class RecoveryWaiting(Forbidden):
    """The server's share is released only after a contact approved and the wait is over."""

    code = "recovery-waiting"


class RecoveryEnded(Conflict):
    """The request was stopped ("Dit ben ik niet"), expired, or is already done."""

    code = "recovery-ended"


class ShortCodeMismatch(Forbidden):
    """The contact's approval names another challenge than the one the device showed."""

    code = "short-code-mismatch"


class NotAContact(Forbidden):
    """The caller holds no live share for this request (never chosen, or removed)."""

    code = "not-a-contact"
