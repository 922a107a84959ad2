"""Reading RUGZAK_SMTP_URL, and the worker loop stopping when told."""

import asyncio
from pathlib import Path

import pytest

from dossier.notify.transport import FileTransport, SmtpTransport, transport_for
from dossier.notify.worker import MailConfig, Worker


def test_smtp_urls_give_host_port_tls_and_credentials():
    plain = SmtpTransport.from_url("smtp://mail.example:2525")
    assert (plain.host, plain.port, plain.use_tls, plain.username) == (
        "mail.example",
        2525,
        False,
        None,
    )
    tls = SmtpTransport.from_url("smtps://rugzak%40x:p%C3%A4ss@mail.example")
    assert (tls.port, tls.use_tls, tls.username, tls.password) == (465, True, "rugzak@x", "päss")
    assert SmtpTransport.from_url("smtp://mail.example").port == 25


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "mail.example:25"])
def test_anything_else_is_refused(url):
    with pytest.raises(ValueError, match="RUGZAK_SMTP_URL"):
        SmtpTransport.from_url(url)


def test_no_smtp_url_writes_files(tmp_path: Path):
    assert transport_for("", str(tmp_path)) == FileTransport(tmp_path)


async def test_the_worker_loop_stops_when_told(tmp_path: Path):
    calls = []

    class Counting(Worker):
        async def drain(self, now=None):
            calls.append(1)
            if len(calls) == 2:
                stop.set()
            return 0

    stop = asyncio.Event()
    worker = Counting(None, FileTransport(tmp_path), MailConfig("a <a@b.c>", "http://x"))  # type: ignore[arg-type]
    await asyncio.wait_for(worker.run(stop, interval=0.01), 5)
    assert len(calls) == 2
