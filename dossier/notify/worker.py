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

from sqlalchemy import delete, select, update
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


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(seconds=30 * 2 ** min(attempts, 12)), MAX_BACKOFF)


@dataclass(frozen=True, slots=True)
class MailConfig:
    sender: str
    base_url: str

    def link(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}{path}"


@dataclass(frozen=True, slots=True)
class Job:
    account_id: uuid.UUID
    channel: str
    rows: list[Outbox]
    kinds: list[str]


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
        while True:
            jobs = await self._due(now)
            if not jobs:
                return sent
            for job in jobs:  # each job is sent, moved on (backoff) or dropped: no loop
                sent += await self._send(job, now)

    async def _due(self, now: dt.datetime) -> list[Job]:
        async with self.sessions() as db:
            rows = list(
                await db.scalars(
                    select(Outbox)
                    .where(Outbox.sent_at.is_(None), Outbox.due_at <= now)
                    .order_by(Outbox.due_at, Outbox.id)
                    .limit(BATCH)
                )
            )
            notice_ids = [r.notice_id for r in rows if r.notice_id is not None]
            found = await db.execute(
                select(Notice.id, Notice.kind).where(Notice.id.in_(notice_ids))
            )
            kinds: dict[uuid.UUID, str] = {i: k for i, k in found.tuples()}  # noqa: C416
        groups: dict[tuple[uuid.UUID, str, str], list[Outbox]] = defaultdict(list)
        for row in rows:
            groups[row.account_id, row.channel, row.purpose].append(row)
        return [
            Job(
                account, channel, group, [kinds[r.notice_id] for r in group if r.notice_id in kinds]
            )
            for (account, channel, _), group in groups.items()
        ]

    async def _send(self, job: Job, now: dt.datetime) -> bool:
        if job.channel == "push":
            return await self._push(job, now)
        ids = [r.id for r in job.rows]
        async with self.sessions() as db:
            mail = await db.get(MailAddress, job.account_id)
            if mail is None:  # removed since: nothing to send to
                await db.execute(delete(Outbox).where(Outbox.id.in_(ids)))
                await db.commit()
                return False
            message = self._compose(job, mail, ids)
            try:
                await self.transport.send(message)
            except Exception as exc:  # noqa: BLE001  (any failure: keep it queued, retry later)
                await db.rollback()
                await self._retry(job, now, exc)
                return False
            await db.execute(update(Outbox).where(Outbox.id.in_(ids)).values(sent_at=utcnow()))
            await db.commit()
            return True

    async def _push(self, job: Job, now: dt.datetime) -> bool:
        """One content-free push per device. A device the push service calls gone (404/410)
        is deleted; any other failure retries the whole job later (a device that already got
        it may get it twice: a push says only "something new", so that is harmless)."""
        ids = [r.id for r in job.rows]
        async with self.sessions() as db:
            devices = list(
                await db.scalars(
                    select(PushSubscription).where(PushSubscription.account_id == job.account_id)
                )
            )
            if self.push is None or not devices:  # push switched off, or no device left
                await db.execute(delete(Outbox).where(Outbox.id.in_(ids)))
                await db.commit()
                return False
            try:
                for device in devices:
                    try:
                        await self.push.send(device, job.rows[0].purpose)
                    except PushGone:
                        await db.delete(device)
            except Exception as exc:  # noqa: BLE001  (any failure: keep it queued, retry later)
                await db.commit()  # the gone devices stay gone
                await self._retry(job, now, exc)
                return False
            await db.execute(update(Outbox).where(Outbox.id.in_(ids)).values(sent_at=utcnow()))
            await db.commit()
            return True

    def _compose(self, job: Job, mail: MailAddress, ids: list[uuid.UUID]) -> EmailMessage:
        """For a confirmation the token is made here and only its hash kept (set on `mail`,
        committed with `sent_at`)."""
        message_id = f"<{min(ids).hex}.{len(ids)}@rugzak>"
        token = mail.unsubscribe_token
        one_click = self.config.link(f"/api/v1/mail/unsubscribe/{token}")
        unsubscribe = (one_click, self.config.link(f"/e-mail/afmelden/{token}"))
        purpose = job.rows[0].purpose
        if purpose == "confirm":
            token = secrets.token_urlsafe(32)
            mail.confirm_hash = token_hash(token)
            link = self.config.link(f"/e-mail/bevestigen/{token}")
            return messages.confirm(self.config.sender, mail.address, link, message_id)
        if purpose == "security":
            kinds = sorted(set(job.kinds))
            return messages.security(
                self.config.sender,
                mail.address,
                kinds,
                self.config.base_url,
                unsubscribe,
                message_id,
            )
        return messages.news(
            self.config.sender,
            mail.address,
            len(job.rows),
            self.config.base_url,
            unsubscribe,
            message_id,
        )

    async def _retry(self, job: Job, now: dt.datetime, exc: Exception) -> None:
        attempts = max(r.attempts for r in job.rows) + 1
        delay = backoff(attempts)
        log.warning("mail not sent (%s); retry in %s", type(exc).__name__, delay)
        async with self.sessions() as db:
            await db.execute(
                update(Outbox)
                .where(Outbox.id.in_([r.id for r in job.rows]))
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
