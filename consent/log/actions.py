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
    EXPORT = "dossier:export"
