"""`rugzak worker`: the outbox worker wired from `Settings` (dossier.notify.worker does the
work). Stops cleanly on SIGINT/SIGTERM after the message in flight."""

from __future__ import annotations

import asyncio
import signal

from sqlalchemy.ext.asyncio import async_sessionmaker

import consent.models  # noqa: F401  (every table: the worker's statements join across them)
import dossier.models  # noqa: F401
from consent.notify.events import fan_out_entries
from dossier.db import make_engine
from dossier.notify.push import PushSender
from dossier.notify.transport import transport_for
from dossier.notify.worker import MailConfig, Worker
from web.settings import Settings, load_settings


def push_sender(settings: Settings) -> PushSender | None:
    if not settings.vapid_private_key:
        return None
    return PushSender(settings.vapid_private_key, settings.vapid_subject)


async def run_worker(settings: Settings | None = None, *, once: bool = False) -> None:
    settings = settings or load_settings()
    engine = make_engine(settings.database_url)
    try:
        worker = Worker(
            async_sessionmaker(engine, expire_on_commit=False),
            transport_for(settings.smtp_url, settings.mail_dir),
            MailConfig(settings.mail_from, settings.base_url),
            push_sender(settings),
            fan_out=fan_out_entries,
        )
        if once:
            await worker.drain()
            return
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await worker.run(stop)
    finally:
        await engine.dispose()
