"""The transactional outbox: `enqueue` is the one call an event's service makes, in the
event's own transaction, so a notice exists exactly when the event does (a rollback takes
both). It writes the in-app notice and, per channel the person has, one outbox row the worker
sends later. Calling it twice for the same (kind, event, recipient) changes nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dossier.accounts.models import utcnow
from dossier.notify.models import MailAddress, Notice, Outbox, PushSubscription

NEWS = frozenset({"entry", "request", "answer", "grant", "revoke", "connection"})
"""Something new in a dossier: in-app, and by mail or push as the person chose."""
SECURITY = frozenset({"new-device", "passphrase", "recovery"})
"""Always sent, at once, when the person has any channel (also with mail set to "nooit")."""

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DIGEST_HOUR = 7
"""The daily digest goes out at 07:00 Amsterdam time."""


def next_digest(now: dt.datetime) -> dt.datetime:
    local = now.astimezone(AMSTERDAM)
    at = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if at <= local:
        at = (local + dt.timedelta(days=1)).replace(
            hour=DIGEST_HOUR, minute=0, second=0, microsecond=0
        )
    return at.astimezone(dt.UTC)


async def enqueue(
    db: AsyncSession,
    recipient_id: uuid.UUID,
    kind: str,
    event_id: uuid.UUID,
    *,
    dossier_id: uuid.UUID | None = None,
    section: str | None = None,
) -> Notice:
    """The notice for this event and recipient (made once) and its outbox rows. Only ids and
    a section key go in: never a name, a purpose or anything a client sealed."""
    if kind not in NEWS | SECURITY:
        raise ValueError(kind)
    existing = await db.scalar(
        select(Notice).where(
            Notice.kind == kind, Notice.event_id == event_id, Notice.account_id == recipient_id
        )
    )
    if existing is not None:
        return existing
    now = utcnow()
    notice = Notice(
        id=uuid.uuid4(),
        account_id=recipient_id,
        kind=kind,
        event_id=event_id,
        dossier_id=dossier_id,
        section=section,
        created_at=now,
        # A security notice is for the channels; in the app "Ingelogd op" shows the devices.
        read_at=now if kind in SECURITY else None,
    )
    db.add(notice)
    security = kind in SECURITY
    purpose = "security" if security else "news"
    mail = await db.get(MailAddress, recipient_id)
    if mail is not None and mail.confirmed_at is not None:
        due = None
        if security or mail.mode == "direct":
            due = now
        elif mail.mode == "daily":
            due = next_digest(now)
        if due is not None:
            db.add(_row(recipient_id, notice.id, "email", purpose, due))
    device = await db.scalar(
        select(PushSubscription.id).where(PushSubscription.account_id == recipient_id).limit(1)
    )
    if device is not None:
        db.add(_row(recipient_id, notice.id, "push", purpose, now))
    await db.flush()
    return notice


def _row(
    account_id: uuid.UUID, notice_id: uuid.UUID | None, channel: str, purpose: str, due: dt.datetime
) -> Outbox:
    return Outbox(
        account_id=account_id,
        notice_id=notice_id,
        channel=channel,
        purpose=purpose,
        due_at=due,
        attempts=0,
        sent_at=None,
    )


def confirmation(account_id: uuid.UUID) -> Outbox:
    """The double opt-in mail: the worker makes its token when it sends it."""
    return _row(account_id, None, "email", "confirm", utcnow())
