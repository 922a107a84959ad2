"""The reference deployment under a bounded load (docs/deploy.md): `rugzak serve` workers
behind Debian's nginx on one throwaway PostgreSQL, measured with 1 and then 2 workers on the
same data.

Phases per worker count, after a warm-up that reads every dossier twice (each worker's
session cache and statement caches fill), each a fixed number of requests from a fixed
number of concurrent clients (the loop is bounded in count; nothing runs on after it):
- spread: 80 % section reads, 20 % entry writes, over `--dossiers` youths' dossiers;
- hot: the same mix on one dossier (every write takes that dossier's log lock); each worker
  count gets a dossier of its own that starts empty, so both phases read sections of the
  same sizes (with one shared dossier, the 2-worker phase read the entries the 1-worker
  phase had written: reads about three times as large);
- paced: the spread mix at half the spread phase's rate, for the latency at that load.

Prints requests/s, p50 and p99 per phase, and the 2-worker/1-worker ratio of requests/s;
then, per phase, the CPU milliseconds per request of each component (the rugzak workers,
PostgreSQL's processes, nginx, the load generator, and "other": the rest of a shared
machine; bench/_cpu.py reads /proc), and the ratio the machine's cores could give at best
(all cores busy at this phase's CPU per request, over the 1-worker rate), and how busy the
workers were with the context switches per request of each component. With
`--lock-probe`, also how long writes waited for and held the dossier's row lock, and what the
hold was made of (bench/_lockprobe.py).
Entries are sealed before the clock starts: this measures the server. Targets (idle 2-core
machine): ratio >= 1.6x, p99 <= 100 ms in the paced phase.

The load comes from Debian's `wrk` when it is installed (bench/_wrk.py: a light C generator
that leaves the cores to the workers), else from an httpx/asyncio generator in this process
(`--generator python`). PostgreSQL keeps its durability defaults (fsync, synchronous
commit), as a deployment runs it."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from _cpu import CpuUse, measured, postmaster
from _load_report import report
from _lockprobe import PROBE_DIR, summary
from _support import ROOT
from _wrk import WRK, run_wrk
from sqlalchemy.engine import make_url

from dossier import crypto
from dossier.client import RugzakClient
from tests.support.databases import Backend
from tests.support.postgres import free_port, throwaway_cluster

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PASSPHRASE = "bench passphrase 123"  # noqa: S105  (throwaway accounts)


@dataclass
class Youth:
    path: str
    token: str
    entries: list[dict[str, Any]]


def wait_for(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.2)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def workers(
    count: int, database_url: str, work: Path, probe: Path | None = None
) -> Iterator[list[tuple[int, int]]]:
    """`count` single-worker `rugzak serve` processes, one port each, as separate machines
    would run them (uvicorn's own `--workers` supervisor kills a child that is slow to start,
    which a loaded machine turns into a restart loop)."""
    env = {
        **os.environ,
        "RUGZAK_DATABASE_URL": database_url,
        "RUGZAK_SECRET_KEY": "load-bench",
        "RUGZAK_COOKIE_SECURE": "false",
        "RUGZAK_BLOB_STORE": "filesystem",
        "RUGZAK_BLOB_DIR": str(work / "blobs"),
        "RUGZAK_LOGIN_RATE_PER_MINUTE": "100000",
        "RUGZAK_ADDRESS_RATE_PER_MINUTE": "100000",
    }
    if probe is not None:  # bench/lockprobe/sitecustomize.py, loaded by each worker
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROBE_DIR), env.get("PYTHONPATH")]))
        env["RUGZAK_LOCK_PROBE"] = str(probe)
    started: list[tuple[int, subprocess.Popen[bytes]]] = []
    try:
        for _ in range(count):
            port = free_port()
            command = [sys.executable, "-m", "web.cli", "serve", "--port", str(port)]
            process = subprocess.Popen(  # noqa: S603  (our own command line)
                command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            started.append((port, process))
        for port, process in started:
            wait_for(f"http://127.0.0.1:{port}/health", process, "rugzak serve")
        yield [(port, process.pid) for port, process in started]
    finally:
        for _, process in started:
            stop(process)


NGINX_CONF = """
{user}
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    upstream rugzak {{ {upstream} keepalive 32; keepalive_timeout 60s; }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 110m;
        location / {{
            proxy_pass http://rugzak;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_request_buffering off;
            proxy_buffering off;
        }}
    }}
}}
"""


@contextmanager
def nginx(ports: list[int], work: Path) -> Iterator[tuple[str, int]]:
    """Debian's nginx as a plain process with its own prefix and config (no daemon); yields
    its URL and the master's pid."""
    folder = work / f"nginx-{ports[0]}"
    upstream = " ".join(f"server 127.0.0.1:{port};" for port in ports)
    folder.mkdir()
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, work=folder, upstream=upstream, port=port))
    process = subprocess.Popen(  # noqa: S603  (our own command line)
        [NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/health", process, "nginx")
        yield url, process.pid
    finally:
        stop(process)


def sign_up(url: str, n: int, per_youth: int) -> Youth:
    with RugzakClient(url) as client:
        client.sign_up(
            f"load{n}-{uuid.uuid4().hex[:6]}", PASSPHRASE, birth_date=dt.date(2000, 1, 1)
        )
        view = client.section("verhaal")
        me = client.unlocked()
        entries = [
            crypto.seal_entry(
                {"tekst": f"notitie {i} " + "x" * 300},
                dossier=view.dossier,
                section="verhaal",
                entry=str(uuid.uuid4()),
                version=1,
                author_id=me.account_id,
                author=me.identity,
                section_key=view.signed_key,
            ).to_json()
            for i in range(per_youth)
        ]
        path = f"/api/v1/dossiers/{me.dossier_id}/sections/verhaal/entries"
        assert client.api.token is not None
        return Youth(path, client.api.token, entries)


@dataclass
class Phase:
    name: str
    latencies: list[float]
    seconds: float
    errors: int

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1e3


async def run_phase(
    name: str, url: str, plan: list[tuple[Youth, bool]], clients: int, rate: float | None = None
) -> Phase:
    """Send `plan` (youth, is_write) with `clients` concurrent connections; with `rate`,
    request i starts no earlier than i/rate seconds in (paced, for latency at that load)."""
    latencies: list[float] = []
    errors = 0
    queue = list(enumerate(plan))
    start = time.perf_counter()

    async def client() -> None:
        nonlocal errors
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
            while queue:
                i, (youth, write) = queue.pop(0)
                if rate is not None:
                    await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
                headers = {"authorization": f"Bearer {youth.token}"}
                began = time.perf_counter()
                if write:
                    response = await http.post(
                        youth.path, json=youth.entries.pop(), headers=headers
                    )
                else:
                    response = await http.get(youth.path, headers=headers)
                latencies.append(time.perf_counter() - began)
                errors += response.status_code >= 400

    await asyncio.gather(*(client() for _ in range(clients)))
    return Phase(name, latencies, time.perf_counter() - start, errors)


def run_phase_with(
    generator: str,
    name: str,
    url: str,
    plan: list[tuple[Youth, bool]],
    clients: int,
    rate: float | None = None,
) -> Phase | Any:
    """One phase through the chosen load generator (both answer `rate` and `percentile`)."""
    if generator == "wrk":
        return run_wrk(name, url, plan, clients, rate)
    return asyncio.run(run_phase(name, url, plan, clients, rate))


def plan_for(youths: list[Youth], count: int, rng: random.Random) -> list[tuple[Youth, bool]]:
    return [(rng.choice(youths), rng.random() < 0.2) for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument("--requests", type=int, default=2000, help="per phase")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--generator", choices=("wrk", "python"), default="wrk" if WRK else "python"
    )
    parser.add_argument(
        "--lock-probe",
        action="store_true",
        help="time each write's hold of the dossier lock in the workers (bench/_lockprobe.py)",
    )
    args = parser.parse_args()
    print(f"load generator: {args.generator}; PostgreSQL with fsync and synchronous commit")
    rng = random.Random(20)
    writes_needed = args.requests  # upper bound of writes on a hot dossier in its phase
    results: dict[int, list[Any]] = {}
    cpu: dict[int, list[CpuUse]] = {}
    with tempfile.TemporaryDirectory() as tmp, throwaway_cluster(durable=True) as server:
        work = Path(tmp)
        database_url = Backend.postgresql(server).fresh_url()
        with workers(1, database_url, work) as served, nginx(ports(served), work) as (url, _):
            with ThreadPoolExecutor(4) as pool:
                per = max(4, args.requests * 3 // args.dossiers)
                youths = list(pool.map(lambda n: sign_up(url, n, per), range(args.dossiers)))
            hots = {count: sign_up(url, args.dossiers + count, writes_needed) for count in (1, 2)}
        database = postmaster(make_url(database_url).port or 5432)
        probes: list[str] = []
        for count in (1, 2):
            probe = work / f"probe-{count}" if args.lock_probe else None
            if probe is not None:
                probe.mkdir()
            with (
                workers(count, database_url, work, probe) as served,
                nginx(ports(served), work) as (url, front),
            ):
                parts = {
                    "rugzak workers": [pid for _, pid in served],
                    "postgresql": [database],
                    "nginx": [front],
                }
                hot = hots[count]
                warm = [(y, False) for y in youths] + [(hot, False)]
                run = functools.partial(run_phase_with, args.generator)
                run("warm-up (not counted)", url, warm * 2, args.clients)
                with measured(parts) as spread_cpu:
                    spread = run("spread", url, plan_for(youths, args.requests, rng), args.clients)
                hot_plan = [(hot, w) for _, w in plan_for(youths, args.requests, rng)]
                with measured(parts) as hot_cpu:
                    hot_phase = run("hot dossier", url, hot_plan, args.clients)
                with measured(parts) as paced_cpu:
                    paced = run(
                        "paced at half the spread rate",
                        url,
                        plan_for(youths, args.requests // 2, rng),
                        args.clients,
                        rate=spread.rate / 2,
                    )
                results[count] = [spread, hot_phase, paced]
                cpu[count] = [spread_cpu, hot_cpu, paced_cpu]
            if probe is not None:
                hot_id = hots[count].path.split("/")[4]
                pids = [pid for _, pid in served]
                probes += [f"{count} worker(s), {line}" for line in summary(probe, pids, hot_id)]
    report(results, cpu)
    if probes:
        print("Dossier lock per write (all phases; the hot dossier's writes are its phase's):")
        print("\n".join(probes))


def ports(served: list[tuple[int, int]]) -> list[int]:
    return [port for port, _ in served]


if __name__ == "__main__":
    main()
