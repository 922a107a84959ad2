"""The transactional outbox: `enqueue` is the one call an event's service makes, in the
event's own transaction, so a notice exists exactly when the event does (a rollback takes
both). It writes the in-app notice and, per channel the person has, one outbox row the worker
sends later. Calling it twice for the same (kind, event, recipient) changes nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from dossier.db import utcnow
from dossier.notify.models import MailAddress, Notice, Outbox, PushSubscription

NEWS = frozenset({"entry", "request", "answer", "grant", "revoke", "connection", "handover"})
"""Something new in a dossier: in-app, and by mail or push as the person chose."""
SECURITY = frozenset(
    {
        "new-device",
        "passphrase",
        "recovery",
        "recovery-start",
        "recovery-code",
        "recovery-help",
        "recovery-veto",
    }
)
"""Always sent, at once, when the person has any channel (also with mail set to "nooit")."""

PUSH = "push"
"""Marks a push device in `_channels`' one statement (not a mail mode)."""

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
) -> None:
    """The notice for this event and recipient (made once) and its outbox rows. Only ids and
    a section key go in: never a name, a purpose or anything a client sealed."""
    await enqueue_many(db, [recipient_id], kind, event_id, dossier_id=dossier_id, section=section)


async def enqueue_many(
    db: AsyncSession,
    recipients: Iterable[uuid.UUID],
    kind: str,
    event_id: uuid.UUID,
    *,
    dossier_id: uuid.UUID | None = None,
    section: str | None = None,
    new_event: bool = False,
) -> None:
    """`enqueue` for every recipient of one event in at most three statements, whatever their
    number (an organisation with many members). `new_event`: the event row was made in this
    transaction, so no notice for it can exist yet and the check for one is skipped."""
    if kind not in NEWS | SECURITY:
        raise ValueError(kind)
    wanted = set(recipients)
    if not wanted:
        return
    if not new_event:
        wanted -= set(
            await db.scalars(
                select(Notice.account_id).where(
                    Notice.kind == kind,
                    Notice.event_id == event_id,
                    Notice.account_id.in_(wanted),
                )
            )
        )
        if not wanted:
            return
    mails, devices = await _channels(db, wanted)
    now = utcnow()
    security = kind in SECURITY
    purpose = "security" if security else "news"
    for account_id in sorted(wanted):
        notice = Notice(
            id=uuid.uuid4(),
            account_id=account_id,
            kind=kind,
            event_id=event_id,
            dossier_id=dossier_id,
            section=section,
            created_at=now,
            # A security notice is for the channels; in the app "Ingelogd op" shows devices.
            read_at=now if security else None,
        )
        db.add(notice)
        due = _mail_due(mails.get(account_id), now, security=security)
        if due is not None:
            db.add(_row(account_id, notice.id, "email", purpose, due))
        if account_id in devices:
            db.add(_row(account_id, notice.id, "push", purpose, now))
    await db.flush()


async def _channels(
    db: AsyncSession, wanted: set[uuid.UUID]
) -> tuple[dict[uuid.UUID, str], set[uuid.UUID]]:
    """Each recipient's confirmed mail mode, and who has a push device: one statement."""
    rows = await db.execute(
        select(MailAddress.account_id, MailAddress.mode)
        .where(MailAddress.account_id.in_(wanted), MailAddress.confirmed_at.is_not(None))
        .union_all(
            select(PushSubscription.account_id, literal(PUSH)).where(
                PushSubscription.account_id.in_(wanted)
            )
        )
    )
    mails: dict[uuid.UUID, str] = {}
    devices: set[uuid.UUID] = set()
    for account_id, mode in rows.all():
        if mode == PUSH:
            devices.add(account_id)
        else:
            mails[account_id] = mode
    return mails, devices


def _mail_due(mode: str | None, now: dt.datetime, *, security: bool) -> dt.datetime | None:
    if mode is None:
        return None
    if security or mode == "direct":
        return now
    if mode == "daily":
        return next_digest(now)
    return None


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
