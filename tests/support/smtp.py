"""A real SMTP server process (aiosmtpd) that stores every message in a Maildir, and the outbox
worker pointed at it. Stopped by its context manager (no leaks)."""

from __future__ import annotations

import asyncio
import contextlib
import mailbox
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy.ext.asyncio import async_sessionmaker

from consent.notify.events import fan_out_entries
from dossier.db import make_engine
from dossier.notify.transport import SmtpTransport
from dossier.notify.worker import MailConfig, Worker


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpServer:
    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{self.port}",
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 1),
            ):
                return
            time.sleep(0.05)
        msg = "aiosmtpd did not start"
        raise RuntimeError(msg)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def raw(self) -> list[bytes]:
        """Every message as the server received it, bytes for bytes."""
        if not (self.folder / "new").exists():
            return []
        box = mailbox.Maildir(self.folder, create=False)
        return [box.get_bytes(key) for key in box.iterkeys()]

    def messages(self, to: str | None = None) -> list[EmailMessage]:
        found = [message_from_bytes(raw, policy=policy.default) for raw in self.raw()]
        return [m for m in found if to is None or m["To"] == to]


@contextlib.contextmanager
def smtp_server(folder: Path) -> Iterator[SmtpServer]:
    server = SmtpServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def drain(
    database_url: str, port: int, base_url: str, now: object = None, push: object = None
) -> int:
    """One drain of the real worker against the app's database and this SMTP port."""

    async def run() -> int:
        engine = make_engine(database_url)
        try:
            worker = Worker(
                async_sessionmaker(engine, expire_on_commit=False),
                SmtpTransport("127.0.0.1", port, use_tls=False, timeout=5),
                MailConfig("Rugzak <noreply@rugzak.test>", base_url),
                push,  # type: ignore[arg-type]
                fan_out=fan_out_entries,
            )
            return await worker.drain(now)  # type: ignore[arg-type]
        finally:
            await engine.dispose()

    return asyncio.run(run())
