"""A throwaway PostgreSQL cluster from Debian's binaries, on a free loopback port.

As root, `initdb` refuses to run, so the cluster belongs to the `postgres` user; otherwise it
runs as the current user (MACHINE-NOTES.md).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PGBIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
# Data folders of the clusters this process started and has not stopped (tests/support/leaks.py).
RUNNING: set[Path] = set()


def pg_bin() -> Path | None:
    explicit = os.environ.get("RUGZAK_TEST_PGBIN")
    if explicit:
        return Path(explicit)
    for candidate in PGBIN_CANDIDATES:
        if (candidate / "initdb").exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_owner(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


# Tests trade durability for speed; a cluster that stands for a deployment keeps it.
FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


@contextmanager
def throwaway_cluster(*, durable: bool = False) -> Iterator[str]:
    """Yield an asyncpg URL (without database name) of a fresh cluster; stop and remove it.
    `durable`: PostgreSQL's own defaults (fsync, synchronous commit, full-page writes), as a
    deployment runs it, for the load bench; tests run without them."""
    binaries = pg_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL binaries not found (install Debian's postgresql)")
    root = Path(tempfile.mkdtemp(prefix="rugzak-pg-"))
    data, sock = root / "data", root / "sock"
    data.mkdir()
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(data, "postgres", "postgres")
        shutil.chown(sock, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        _as_owner(
            [
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    options = f"-k {sock} -p {port} -c listen_addresses=127.0.0.1 -c max_connections=200"
    if not durable:
        options = f"{options} {FAST}"
    subprocess.run(
        _as_owner(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(data / "log"),
                "-w",
                "-o",
                options,
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    RUNNING.add(data)
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}"
    finally:
        stopped = subprocess.run(
            _as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if stopped.returncode == 0:
            RUNNING.discard(data)
            shutil.rmtree(root, ignore_errors=True)
