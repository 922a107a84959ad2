"""Errors of notifications; `web/problems.py` gives each its Dutch text."""

from __future__ import annotations

from dossier.errors import InvalidInput, NotFound


class BadMailAddress(InvalidInput):
    code = "bad-mail-address"


class MailLinkUnknown(NotFound):
    """A confirmation or unsubscribe link that matches nothing (used, replaced or removed)."""

    code = "mail-link-unknown"
