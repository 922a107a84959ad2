"""Domain errors of campaigns and partner clients; `web` maps each code to HTTP and Dutch."""

from __future__ import annotations

from dossier.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound


class CampaignLinkUnavailable(NotFound):
    """The one answer for an unknown, used or expired personal link: no oracle for which
    references or tokens exist."""

    code = "campaign-link-unavailable"


class CampaignClosed(Conflict):
    code = "campaign-closed"


class AnswerMismatch(InvalidInput):
    """The grants sent with an acceptance are not what the campaign asked for."""

    code = "campaign-answer-mismatch"


class RosterRejected(InvalidInput):
    """A student list with errors; `problems` has one Dutch message per line. Nothing was
    imported."""

    code = "roster-rejected"

    def __init__(self, problems: list[dict[str, object]], notices: list[dict[str, object]]) -> None:
        super().__init__(f"{len(problems)} line(s) are wrong; nothing was imported")
        self.problems = problems
        self.notices = notices


class InvalidPartnerToken(NotAuthenticated):
    """Unknown, expired or revoked partner access token, or a revoked client."""

    code = "invalid-token"


class InsufficientScope(Forbidden):
    """A valid partner token without the scope this endpoint needs (shown as 403)."""

    code = "insufficient-scope"
