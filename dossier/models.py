"""Every table of the dossier package, imported in one place for Alembic and the app."""

from dossier.accounts.models import Account, LoginSession
from dossier.blobs.models import Blob, BlobChunk
from dossier.notify.models import MailAddress, Notice, Outbox, PushSubscription
from dossier.sections.models import Dossier, Entry, Section

__all__ = [
    "Account",
    "Blob",
    "BlobChunk",
    "Dossier",
    "Entry",
    "LoginSession",
    "MailAddress",
    "Notice",
    "Outbox",
    "PushSubscription",
    "Section",
]
