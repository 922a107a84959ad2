"""Stable names of access-log events. The hash chain covers them: never rename one."""

from __future__ import annotations

from enum import StrEnum


class LogAction(StrEnum):
    LOGIN = "account:login"
    READ = "section:read"
    APPEND = "section:append"
    DOCUMENT_READ = "document:read"
    GRANT = "grant:create"
    REVOKE = "grant:revoke"
    STEP_DOWN = "grant:step-down"
    ROTATE = "section:rotate"
    CONNECT = "connection:accept"
    REQUEST_ANSWER = "request:answer"
    REQUEST_WITHDRAW = "request:withdraw"
    HANDOVER = "request:handover"
    """A professional proposed the next professional (the warm handover)."""
    REQUEST_RETRACT = "request:retract"
    """The professional who asked withdrew an unanswered request (or handover proposal)."""
    EXPORT = "dossier:export"
    RECOVERY_SETUP = "recovery:setup"
    RECOVERY_CONTACT_REMOVE = "recovery:contact-remove"
    RECOVERY_START = "recovery:start"
    RECOVERY_APPROVE = "recovery:approve"
    RECOVERY_VETO = "recovery:veto"
    RECOVERY_CANCEL = "recovery:cancel"
    RECOVERY_RELEASE = "recovery:release"
    RECOVERY_COMPLETE = "recovery:complete"
    RECOVERY_CODE_CHECK = "recovery:code-check"
    RECOVERY_CODE_NEW = "recovery:code-new"
