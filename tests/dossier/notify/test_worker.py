"""The worker against a real SMTP server process (aiosmtpd) and a committed database: each
notice is sent once by two workers at the same time (PostgreSQL), a claim left by a worker that
died is sent after its lease, and a failing SMTP server backs off and delivers later."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dossier.db import make_engine
from dossier.notify.claim import LEASE
from dossier.notify.models import Outbox
from dossier.notify.outbox import enqueue
from dossier.notify.transport import SmtpTransport
from dossier.notify.worker import MailConfig, Worker, backoff
from tests.support.databases import Backend
from tests.support.factories import mail_recipients
from tests.support.smtp import SmtpServer, smtp_server

CONFIG = MailConfig("Rugzak <noreply@rugzak.test>", "http://rugzak.test")


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[SmtpServer]:
    with smtp_server(tmp_path / "maildir") as server:
        yield server


async def sessions_on(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(url)
    try:
        yield async_sessionmaker(engine, expire_on_commit=False)
    finally:
        await engine.dispose()


@pytest.fixture
async def sessions(backend: Backend) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A fresh database of its own: the worker commits and drains the whole outbox."""
    async for made in sessions_on(backend.fresh_url()):
        yield made


def worker(sessions: async_sessionmaker[AsyncSession], smtp: SmtpServer, **kw: object) -> Worker:
    transport = SmtpTransport("127.0.0.1", smtp.port, use_tls=False, timeout=5)
    return Worker(sessions, transport, CONFIG, **kw)  # type: ignore[arg-type]


async def queued(sessions: async_sessionmaker[AsyncSession], n: int) -> None:
    """One news notice (so one mail) for each of `n` people with a confirmed address."""
    async with sessions() as db:
        for account_id in await mail_recipients(db, n):
            await enqueue(db, account_id, "entry", account_id)
        await db.commit()


async def pending(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[int, dt.datetime]]:
    async with sessions() as db:
        rows = await db.execute(
            select(Outbox.attempts, Outbox.due_at).where(Outbox.sent_at.is_(None))
        )
        return [(a, d.astimezone(dt.UTC)) for a, d in rows.all()]


async def test_two_workers_on_postgresql_send_each_notice_once(
    postgresql_backend: Backend, smtp: SmtpServer
) -> None:
    url = postgresql_backend.fresh_url()
    async for sessions in sessions_on(url):
        await queued(sessions, 120)
        async for other in sessions_on(url):
            first, second = worker(sessions, smtp, batch=10), worker(other, smtp, batch=10)
            counts = await asyncio.gather(first.drain(), second.drain())
        assert sum(counts) == 120
        assert min(counts) > 0  # both really worked the same queue
        per_address = Counter(m["To"] for m in smtp.messages())
        assert len(per_address) == 120
        assert set(per_address.values()) == {1}
        assert await pending(sessions) == []


class Died(BaseException):
    """The process ends here: nothing after it in the worker runs (not an Exception)."""


class DiesAfterDelivery(SmtpTransport):
    async def send(self, message: EmailMessage) -> None:
        await super().send(message)  # the server has said 250: the mail is out
        raise Died


async def test_a_worker_that_dies_after_sending_leaves_a_claim_that_is_sent_after_the_lease(
    sessions: async_sessionmaker[AsyncSession], smtp: SmtpServer
) -> None:
    await queued(sessions, 1)
    now = dt.datetime.now(dt.UTC)
    dying = Worker(sessions, DiesAfterDelivery("127.0.0.1", smtp.port, use_tls=False), CONFIG)
    with pytest.raises(Died):
        await dying.drain(now)
    assert len(smtp.messages()) == 1
    assert await worker(sessions, smtp).drain(now + LEASE / 2) == 0  # still claimed
    assert await worker(sessions, smtp).drain(now + LEASE + dt.timedelta(seconds=1)) == 1
    assert await worker(sessions, smtp).drain(now + 2 * LEASE) == 0
    first, again = smtp.messages()
    assert first["Message-ID"] == again["Message-ID"]  # at least once, recognisably the same
    assert await pending(sessions) == []


async def test_a_refusing_smtp_server_means_backoff_then_one_delivery(
    sessions: async_sessionmaker[AsyncSession], smtp: SmtpServer
) -> None:
    await queued(sessions, 2)
    smtp.stop()
    now = dt.datetime.now(dt.UTC)
    assert await worker(sessions, smtp).drain(now) == 0
    assert await pending(sessions) == [(1, now + backoff(1))] * 2
    assert await worker(sessions, smtp).drain(now + backoff(1) / 2) == 0  # not yet
    smtp.start()
    later = now + backoff(1)
    assert await worker(sessions, smtp).drain(later) == 2
    assert await worker(sessions, smtp).drain(later + dt.timedelta(hours=2)) == 0
    assert len(smtp.messages()) == 2
    assert await pending(sessions) == []


async def test_past_half_its_lease_a_worker_gives_the_rest_back_untried(
    sessions: async_sessionmaker[AsyncSession], smtp: SmtpServer
) -> None:
    await queued(sessions, 3)
    now = dt.datetime.now(dt.UTC)
    assert await worker(sessions, smtp, lease=dt.timedelta(0)).drain(now) == 0
    assert smtp.messages() == []
    assert await pending(sessions) == [(0, now)] * 3
    assert await worker(sessions, smtp).drain(now) == 3
