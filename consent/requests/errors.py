"""Refusals of a handover proposal that the coach must be able to tell apart."""

from __future__ import annotations

from dossier.errors import Conflict, InvalidInput, NotFound


class UnknownProfessional(NotFound):
    """The proposed professional does not exist, is no professional, is the proposer, or has
    no profile card yet (the youth would see a number instead of a name)."""

    code = "unknown-professional"


class KeyMismatch(InvalidInput):
    """The key code the proposer's browser compared is not the proposed professional's key:
    someone changed the key on the way."""

    code = "key-mismatch"


class RequestRetracted(Conflict):
    """The professional who asked withdrew this request before it was answered: there is
    nothing left to answer."""

    code = "request-retracted"


class RequestAnswered(Conflict):
    """The youth already answered this request: the one who asked can no longer withdraw it
    (only the youth can end what she granted)."""

    code = "request-answered"
