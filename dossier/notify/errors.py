"""Errors of notifications; `web/problems.py` gives each its Dutch text."""

from __future__ import annotations

from dossier.errors import InvalidInput, NotFound


class BadMailAddress(InvalidInput):
    code = "bad-mail-address"


class PushOff(NotFound):
    """This server has no VAPID key: Web Push is not offered."""

    code = "push-off"


class BadPushSubscription(InvalidInput):
    code = "bad-push-subscription"


class MailLinkUnknown(NotFound):
    """A confirmation or unsubscribe link that matches nothing (used, replaced or removed)."""

    code = "mail-link-unknown"
