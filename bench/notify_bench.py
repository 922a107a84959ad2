"""Notification costs, each against a baseline measured in the same run, on a fresh migrated
SQLite database (and PostgreSQL when its binaries are there) and a real SMTP server process
(aiosmtpd with its Sink handler, so the server's disk is not what is measured).

(a) Fan-out: one event (a grant to an organisation) to FANOUT recipients who all have a
    confirmed address and "direct" mail: `consent.notify.events.grants_changed` writes every
    notice and outbox row in one transaction. Reported as notices/s; the baseline row is a
    bare bulk INSERT of the same number of notice rows (informational: the outbox and the
    idempotency look-ups are the difference).
(b) Draining DRAIN queued notices, one per person (so one message each), through the real
    worker (`Worker.drain`: claim a batch with a lease, group, compose, send over one kept
    connection, mark sent with one UPDATE and commit per 100 messages) against building and
    sending the same number of equal messages with bare aiosmtplib in a loop (one connection
    per round on both sides, the same aiosmtpd process), in alternating rounds of 250.
    Target <= 1.5x.

`python bench/notify_bench.py [FANOUT] [DRAIN]` (defaults 1,000 and 10,000). Numbers are
reported, not asserted: the exit code is 0.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiosmtplib
from _support import ROOT, backends, report  # noqa: F401  (ROOT puts the project on sys.path)
from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from consent.grants.models import Grant
from consent.notify.events import grants_changed
from consent.parties.models import Membership, Organisation
from dossier.db import make_engine, utcnow
from dossier.notify import messages
from dossier.notify.models import Notice, Outbox
from dossier.notify.transport import SmtpTransport
from dossier.notify.worker import MailConfig, Worker
from tests.support.databases import Backend
from tests.support.factories import mail_recipients
from tests.support.postgres import throwaway_cluster
from tests.support.smtp import free_port

BASE = "http://127.0.0.1:8000"
SENDER = "Rugzak <noreply@rugzak.test>"


def smtp_process(port: int):
    import socket  # noqa: PLC0415
    import subprocess  # noqa: PLC0415

    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(400):
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
        except OSError:
            time.sleep(0.05)
        else:
            return process
    process.terminate()
    raise RuntimeError("aiosmtpd did not start")


async def fan_out(sessions: async_sessionmaker[AsyncSession], n: int) -> tuple[float, float]:
    async with sessions() as db:
        members = await mail_recipients(db, n)
        org = Organisation(
            id=uuid.uuid4(), name="Bench", kind="jobcoach", box_pk=bytes(32), sign_pk=bytes(32)
        )
        db.add(org)
        await db.flush()
        db.add_all(
            Membership(
                org_id=org.id,
                account_id=a,
                role="member",
                state="active",
                key_version=1,
                sealed_org_key=b"x",
            )
            for a in members
        )
        await db.commit()
    grant = Grant(
        id=uuid.uuid4(),
        dossier_id=None,
        section="plan",
        grantee_kind="organisation",
        grantee_id=org.id,
    )
    async with sessions() as db:
        start = time.perf_counter()
        await grants_changed(db, "grant", [grant])
        await db.commit()
        ours = time.perf_counter() - start
    async with sessions() as db:
        start = time.perf_counter()
        await db.execute(
            insert(Notice),
            [
                {
                    "id": uuid.uuid4(),
                    "account_id": a,
                    "kind": "entry",
                    "event_id": uuid.uuid4(),
                    "created_at": utcnow(),
                }
                for a in members
            ],
        )
        await db.commit()
        base = time.perf_counter() - start
        await db.execute(delete(Outbox))  # the drain below measures its own queue
        await db.commit()
    return ours, base


ROUND = 250
"""The drain is measured in rounds of ROUND messages, the worker and the bare loop in turn
(which goes first alternates), so a change in the load of a shared machine falls on both. The
total of each side gives the ratio; the median of the rounds' ratios is printed beside it."""


async def drain(
    sessions: async_sessionmaker[AsyncSession], n: int, port: int
) -> tuple[float, float]:
    from dossier.notify.outbox import enqueue  # noqa: PLC0415

    per_round = min(ROUND, n)
    rounds = max(2, n // per_round)
    unsubscribe = (f"{BASE}/api/v1/mail/unsubscribe/x", f"{BASE}/e-mail/afmelden/x")

    async def ours() -> tuple[float, float]:
        async with sessions() as db:
            for account_id in await mail_recipients(db, per_round):
                await enqueue(db, account_id, "entry", uuid.uuid4())
            await db.commit()
        worker = Worker(
            sessions, SmtpTransport("127.0.0.1", port, use_tls=False), MailConfig(SENDER, BASE)
        )
        start, cpu = time.perf_counter(), time.process_time()
        sent = await worker.drain()
        took = time.perf_counter() - start, time.process_time() - cpu
        assert sent == per_round, sent
        return took

    async def bare() -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port) as client:
            for i in range(per_round):
                message = messages.news(SENDER, f"p{i}@x.test", 1, BASE, unsubscribe, f"<{i}@rz>")
                await client.send_message(message)
        return time.perf_counter() - start, time.process_time() - cpu

    totals = [0.0, 0.0]
    cpu = [0.0, 0.0]
    ratios = []
    for r in range(rounds):
        first, second = (ours, bare) if r % 2 == 0 else (bare, ours)
        a, b = await first(), await second()
        (w, wc), (x, xc) = (a, b) if r % 2 == 0 else (b, a)
        ratios.append(w / x)
        totals[0] += w
        totals[1] += x
        cpu[0] += wc
        cpu[1] += xc
    print(
        f"  {rounds} rounds of {per_round}: ratio per round median "
        f"{statistics.median(ratios):.2f}x (min {min(ratios):.2f}x, max {max(ratios):.2f}x); "
        f"this process's CPU time {cpu[0]:.2f}s vs {cpu[1]:.2f}s = {cpu[0] / cpu[1]:.2f}x "
        "(less moved by other jobs; leaves out the database server's own CPU)"
    )
    return totals[0], totals[1]


async def run(url: str, fanout: int, drained: int, port: int, name: str) -> None:
    engine = make_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        f_ours, f_base = await fan_out(sessions, fanout)
        d_ours, d_base = await drain(sessions, drained, port)
    finally:
        await engine.dispose()
    done = max(2, drained // min(ROUND, drained)) * min(ROUND, drained)
    print(
        f"\n[{name}] fan-out: {fanout / f_ours:,.0f} notices/s; "
        f"drain: {done / d_ours:,.0f} notices/s (bare SMTP loop {done / d_base:,.0f}/s)"
    )
    report(
        [
            (f"fan-out of one event to {fanout:,} ({name})", f_ours, f_base, "info (bare INSERT)"),
            (f"drain {drained:,} notices over SMTP ({name})", d_ours, d_base, "<= 1.5x"),
        ]
    )


def main() -> None:
    fanout = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    drained = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    port = free_port()
    smtp = smtp_process(port)
    try:
        for name in backends():
            with tempfile.TemporaryDirectory() as tmp:
                if name == "sqlite":
                    asyncio.run(
                        run(Backend.sqlite(Path(tmp)).fresh_url(), fanout, drained, port, name)
                    )
                    continue
                with throwaway_cluster() as server:
                    url = Backend.postgresql(server).fresh_url()
                    asyncio.run(run(url, fanout, drained, port, name))
    finally:
        smtp.terminate()
        smtp.wait(10)


if __name__ == "__main__":
    main()
