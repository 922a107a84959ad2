"""The worker: drains the outbox. It claims a batch of due rows with a lease
(`dossier.notify.claim`), groups them into one message per person, channel and purpose (which
is also the daily digest), sends them over one kept SMTP connection, and writes back what
happened every `MARK_EVERY` messages: one UPDATE marks them sent, in one commit. A failed
send moves its rows' `due_at` on with exponential backoff (30 s doubling, at most an hour) and
never drops them: an SMTP outage delays mail, it loses none.

Delivery is at least once, never at most once: a process that dies after the SMTP server's
"250 OK" and before the write leaves those rows claimed, and they are sent again when the
lease ends, with the same Message-ID when the same rows make the message.
docs/notifications.md, "Sent once", bounds it. Several workers may run on one PostgreSQL.
Before each drain the worker makes the notices of entries written since (`fan_out`)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dossier.db import utcnow
from dossier.notify import messages
from dossier.notify.claim import LEASE, Claimed, Outcome, claim, details
from dossier.notify.mail import token_hash
from dossier.notify.models import PushSubscription
from dossier.notify.push import PushGone, PushSender
from dossier.notify.transport import MailTransport

log = logging.getLogger("rugzak.worker")

BATCH = 500
"""Rows per claim: one person's rows in one claim become one message."""
MARK_EVERY = 100
"""Messages between two writes of their outcome: what a crash can send again."""
MAX_BACKOFF = dt.timedelta(hours=1)

FanOut = Callable[[AsyncSession], Awaitable[int]]
"""Makes notices from events written without them (consent.notify.events.fan_out_entries:
the entries), commits, and returns how many events it took; 0 when none are left. Handed in
by `web.worker`, since imports go `consent` → `dossier`."""


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
    """One message to one person on one channel: the claimed rows it covers, as plain values."""

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
        *,
        fan_out: FanOut | None = None,
        batch: int = BATCH,
        lease: dt.timedelta = LEASE,
    ) -> None:
        self.sessions = sessions
        self.transport = transport
        self.config = config
        self.push = push
        self.fan_out = fan_out
        self.batch = batch
        self.lease = lease

    async def drain(self, now: dt.datetime | None = None) -> int:
        """Send everything due at `now`; returns how many messages went out."""
        await self.make_notices()
        now = now or utcnow()  # after: the rows it just made are due
        sent = 0
        try:
            while True:
                async with self.sessions() as db:
                    jobs = await self._claim(db, now)
                    if not jobs:
                        return sent
                    done, finished = await self._send_all(db, jobs, now)
                    sent += done
                    if not finished:
                        return sent
        finally:
            await self.transport.close()

    async def make_notices(self) -> None:
        """Run the fan-out (notices of entries written since) until it has nothing left."""
        if self.fan_out is None:
            return
        async with self.sessions() as db:
            while await self.fan_out(db) > 0:
                pass

    async def _claim(self, db: AsyncSession, now: dt.datetime) -> list[Job]:
        rows = await claim(db, now, self.batch, self.lease)
        if not rows:
            return []
        kinds, mails = await details(db, rows)
        groups: dict[tuple[uuid.UUID, str, str], list[Claimed]] = defaultdict(list)
        for row in rows:
            groups[row.account_id, row.channel, row.purpose].append(row)
        jobs = []
        for (account, channel, purpose), group in groups.items():
            mail = mails.get(account)
            jobs.append(
                Job(
                    account,
                    channel,
                    purpose,
                    [r.id for r in group],
                    max(r.attempts for r in group),
                    [kinds[r.notice_id] for r in group if r.notice_id in kinds],
                    Mailbox(*mail) if mail else None,
                )
            )
        return jobs

    async def _send_all(
        self, db: AsyncSession, jobs: list[Job], now: dt.datetime
    ) -> tuple[int, bool]:
        """Send the claimed jobs; (messages sent, whether all were tried). Past half the
        lease the rest is given back untried, so a live worker never sends a row whose lease
        another worker may already hold."""
        started = time.monotonic()
        half = self.lease.total_seconds() / 2
        outcome = Outcome()
        sent = 0
        for n, job in enumerate(jobs):
            if time.monotonic() - started > half:
                outcome.released = [i for rest in jobs[n:] for i in rest.ids]
                await outcome.write(db, now)
                return sent, False
            sent += await self._send(db, job, now, outcome)
            if len(outcome) >= MARK_EVERY:
                await outcome.write(db, now)
        await outcome.write(db, now)
        return sent, True

    async def _send(self, db: AsyncSession, job: Job, now: dt.datetime, outcome: Outcome) -> bool:
        if job.channel == "push":
            return await self._push(db, job, now, outcome)
        if job.mail is None:  # removed since: nothing to send to
            outcome.dropped += job.ids
            return False
        message, confirm_hash = self._compose(job, job.mail)
        try:
            await self.transport.send(message)
        except Exception as exc:  # noqa: BLE001  (any failure: keep it queued, retry later)
            self._retry(job, now, exc, outcome)
            return False
        if confirm_hash is not None:
            outcome.confirm_hashes[job.account_id] = confirm_hash
        outcome.sent += job.ids
        return True

    async def _push(self, db: AsyncSession, job: Job, now: dt.datetime, outcome: Outcome) -> bool:
        """One content-free push per device. A device the push service calls gone (404/410)
        is deleted; any other failure retries the whole job later (a device that already got
        it may get it twice: a push says only "something new", so that is harmless)."""
        devices = list(
            await db.scalars(
                select(PushSubscription).where(PushSubscription.account_id == job.account_id)
            )
        )
        gone = set(outcome.gone_devices)
        devices = [d for d in devices if d.id not in gone]
        if self.push is None or not devices:  # push switched off, or no device left
            outcome.dropped += job.ids
            return False
        try:
            for device in devices:
                try:
                    await self.push.send(device, job.purpose)
                except PushGone:
                    outcome.gone_devices.append(device.id)
        except Exception as exc:  # noqa: BLE001  (any failure: keep it queued, retry later)
            self._retry(job, now, exc, outcome)  # the gone devices stay gone
            return False
        outcome.sent += job.ids
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

    def _retry(self, job: Job, now: dt.datetime, exc: Exception, outcome: Outcome) -> None:
        attempts = job.attempts + 1
        delay = backoff(attempts)
        log.warning("%s not sent (%s); retry in %s", job.channel, type(exc).__name__, delay)
        outcome.retry.append((job.ids, attempts, now + delay))

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
