"""The worker: drains the outbox. One message per person per drain (their due notices grouped,
which is also the daily digest), sent first, then marked sent in its own transaction. A failed
send moves the rows' `due_at` on with exponential backoff (30 s doubling, at most an hour) and
never drops them: an SMTP outage delays mail, it loses none. The Message-ID is derived from the
rows, so if the worker dies between a send and its commit, the one resend carries the same
Message-ID and mail systems can tell it is the same message.

Run one worker per database (`rugzak worker`); docs/notifications.md says why."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
import uuid
from collections import defaultdict
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlalchemy import Update, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dossier.accounts.models import utcnow
from dossier.notify import messages
from dossier.notify.mail import token_hash
from dossier.notify.models import MailAddress, Notice, Outbox, PushSubscription
from dossier.notify.push import PushGone, PushSender
from dossier.notify.transport import MailTransport

log = logging.getLogger("rugzak.worker")

BATCH = 500
MAX_BACKOFF = dt.timedelta(hours=1)


def _mark_sent(ids: list[uuid.UUID]) -> Update:
    """Run on the session's connection (Core, not the ORM's bulk-update path, which cost more
    than the send itself)."""
    return (
        update(Outbox)
        .where(Outbox.id.in_(ids))
        .values(sent_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(seconds=30 * 2 ** min(attempts, 12)), MAX_BACKOFF)


@dataclass(frozen=True, slots=True)
class MailConfig:
    sender: str
    base_url: str

    def link(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}{path}"


@dataclass(frozen=True, slots=True)
class Mailbox:
    address: str
    unsubscribe_token: str


@dataclass(frozen=True, slots=True)
class Job:
    """One message to one person on one channel: the rows it covers, read into plain values
    so a failed send (and its rollback) never touches a loaded row."""

    account_id: uuid.UUID
    channel: str
    purpose: str
    ids: list[uuid.UUID]
    attempts: int
    kinds: list[str]
    mail: Mailbox | None


class Worker:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        transport: MailTransport,
        config: MailConfig,
        push: PushSender | None = None,
    ) -> None:
        self.sessions = sessions
        self.transport = transport
        self.config = config
        self.push = push

    async def drain(self, now: dt.datetime | None = None) -> int:
        """Send everything due at `now`; returns how many messages went out."""
        now = now or utcnow()
        sent = 0
        try:
            while True:
                async with self.sessions() as db:
                    jobs = await self._due(db, now)
                    if not jobs:
                        return sent
                    for job in jobs:  # each is sent, moved on (backoff) or dropped: no loop
                        sent += await self._send(db, job, now)
        finally:
            await self.transport.close()

    async def _due(self, db: AsyncSession, now: dt.datetime) -> list[Job]:
        rows = (
            await db.execute(
                select(
                    Outbox.id,
                    Outbox.account_id,
                    Outbox.channel,
                    Outbox.purpose,
                    Outbox.attempts,
                    Notice.kind,
                )
                .outerjoin(Notice, Notice.id == Outbox.notice_id)
                .where(Outbox.sent_at.is_(None), Outbox.due_at <= now)
                .order_by(Outbox.due_at, Outbox.id)
                .limit(BATCH)
            )
        ).all()
        accounts = {r.account_id for r in rows}
        mails = {
            m.account_id: Mailbox(m.address, m.unsubscribe_token)
            for m in await db.scalars(
                select(MailAddress).where(MailAddress.account_id.in_(accounts))
            )
        }
        groups: dict[tuple[uuid.UUID, str, str], list[Any]] = defaultdict(list)
        for row in rows:
            groups[row.account_id, row.channel, row.purpose].append(row)
        await db.commit()  # end the read; each send commits on its own
        return [
            Job(
                account,
                channel,
                purpose,
                [r.id for r in group],
                max(r.attempts for r in group),
                [r.kind for r in group if r.kind is not None],
                mails.get(account),
            )
            for (account, channel, purpose), group in groups.items()
        ]

    async def _send(self, db: AsyncSession, job: Job, now: dt.datetime) -> bool:
        if job.channel == "push":
            return await self._push(db, job, now)
        if job.mail is None:  # removed since: nothing to send to
            await db.execute(delete(Outbox).where(Outbox.id.in_(job.ids)))
            await db.commit()
            return False
        message, confirm_hash = self._compose(job, job.mail)
        try:
            await self.transport.send(message)
        except Exception as exc:  # noqa: BLE001  (any failure: keep it queued, retry later)
            await self._retry(db, job, now, exc)
            return False
        if confirm_hash is not None:
            await db.execute(
                update(MailAddress)
                .where(MailAddress.account_id == job.account_id)
                .values(confirm_hash=confirm_hash)
            )
        await (await db.connection()).execute(_mark_sent(job.ids))
        await db.commit()
        return True

    async def _push(self, db: AsyncSession, job: Job, now: dt.datetime) -> bool:
        """One content-free push per device. A device the push service calls gone (404/410)
        is deleted; any other failure retries the whole job later (a device that already got
        it may get it twice: a push says only "something new", so that is harmless)."""
        devices = list(
            await db.scalars(
                select(PushSubscription).where(PushSubscription.account_id == job.account_id)
            )
        )
        if self.push is None or not devices:  # push switched off, or no device left
            await db.execute(delete(Outbox).where(Outbox.id.in_(job.ids)))
            await db.commit()
            return False
        try:
            for device in devices:
                try:
                    await self.push.send(device, job.purpose)
                except PushGone:
                    await db.delete(device)
        except Exception as exc:  # noqa: BLE001  (any failure: keep it queued, retry later)
            await self._retry(db, job, now, exc)  # the gone devices stay gone
            return False
        await (await db.connection()).execute(_mark_sent(job.ids))
        await db.commit()
        return True

    def _compose(self, job: Job, mail: Mailbox) -> tuple[EmailMessage, bytes | None]:
        """For a confirmation the token is made here; only its hash is kept, stored once the
        message is out."""
        message_id = f"<{min(job.ids).hex}.{len(job.ids)}@rugzak>"
        token = mail.unsubscribe_token
        unsubscribe = (
            self.config.link(f"/api/v1/mail/unsubscribe/{token}"),
            self.config.link(f"/e-mail/afmelden/{token}"),
        )
        if job.purpose == "confirm":
            secret = secrets.token_urlsafe(32)
            link = self.config.link(f"/e-mail/bevestigen/{secret}")
            message = messages.confirm(self.config.sender, mail.address, link, message_id)
            return message, token_hash(secret)
        if job.purpose == "security":
            return messages.security(
                self.config.sender,
                mail.address,
                sorted(set(job.kinds)),
                self.config.base_url,
                unsubscribe,
                message_id,
            ), None
        return messages.news(
            self.config.sender,
            mail.address,
            len(job.ids),
            self.config.base_url,
            unsubscribe,
            message_id,
        ), None

    async def _retry(self, db: AsyncSession, job: Job, now: dt.datetime, exc: Exception) -> None:
        attempts = job.attempts + 1
        delay = backoff(attempts)
        log.warning("%s not sent (%s); retry in %s", job.channel, type(exc).__name__, delay)
        await db.execute(
            update(Outbox)
            .where(Outbox.id.in_(job.ids))
            .values(attempts=attempts, due_at=now + delay)
        )
        await db.commit()

    async def run(self, stop: asyncio.Event, interval: float = 2.0) -> None:
        """Drain, then wait `interval` seconds (or until `stop`), until `stop` is set."""
        while not stop.is_set():
            try:
                await self.drain()
            except Exception:
                log.exception("worker drain failed")
            try:
                await asyncio.wait_for(stop.wait(), interval)
            except TimeoutError:
                continue
