"""Domain errors of the dossier package. `web/errors.py` maps each to problem+json and Dutch text.

No HTTP status codes here: the web layer decides how an error is shown.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base for every error a user action can end in; `code` is stable and ends up in the API."""

    code = "domain-error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail


class InvalidInput(DomainError):
    code = "invalid-input"


class ClockSkew(InvalidInput):
    """An entry's signed time is too far from the server's clock (issue 19)."""

    code = "clock-skew"


class NotFound(DomainError):
    code = "not-found"


class Conflict(DomainError):
    code = "conflict"


class VersionConflict(Conflict):
    code = "version-conflict"


class TooYoung(DomainError):
    code = "too-young"


class InvalidCredentials(DomainError):
    code = "invalid-credentials"


class NotAuthenticated(DomainError):
    code = "not-authenticated"


class SessionExpired(NotAuthenticated):
    code = "session-expired"


class Forbidden(DomainError):
    code = "forbidden"


class NotTheAuthor(Forbidden):
    """A new version of an entry from someone other than the author of its first version: only
    that author may change it; anyone else reacts with an entry of their own (issue 19)."""

    code = "not-the-author"


class TooLarge(DomainError):
    code = "too-large"


class TooManyAttempts(DomainError):
    """`retry_after`: the seconds until the next attempt may be counted again."""

    code = "too-many-attempts"

    def __init__(self, detail: str = "", retry_after: int = 60) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
