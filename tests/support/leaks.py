"""Session-end leak check: every thread and child process a test or fixture starts must be gone
once the session's fixtures are torn down (issue 21: a worker that hung with 120 live threads).

It counts the Python threads, the child processes (and their children) and the PostgreSQL
clusters started by tests.support.postgres at session start and again at session end, after
the last fixture's teardown, and fails the run when anything is left over. Under pytest-xdist
each worker checks itself and hands its findings to the controller, which fails the run.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from xdist.workermanage import WorkerController

from tests.support import postgres

# Threads that may outlive a session, with the reason. Keep this list short and proven.
ALLOWED_THREADS: dict[str, str] = {}
GRACE_SECONDS = 5.0
SNAPSHOT = pytest.StashKey["Snapshot"]()
FOUND = pytest.StashKey[list[str]]()


@dataclass(frozen=True)
class Snapshot:
    threads: frozenset[int]
    processes: frozenset[int]

    @classmethod
    def now(cls) -> Snapshot:
        threads = frozenset(t.ident for t in threading.enumerate() if t.ident is not None)
        return cls(threads, frozenset(descendants(os.getpid())))


def descendants(root: int) -> set[int]:
    """Every process whose parent chain leads to `root` (Linux /proc; empty elsewhere)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended while we looked
        # "pid (comm) state ppid …": comm may hold spaces and parentheses.
        parents[int(text.split(" ", 1)[0])] = int(text.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _describe_process(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").strip()
    except OSError:
        return f"process {pid} (ended)"
    return f"process {pid}: {command.decode(errors='replace')[:200]}"


def leaks(before: Snapshot) -> list[str]:
    """What is alive now and was not at `before`, after a short grace period for threads and
    processes that were told to stop and are on their way out."""
    deadline = time.monotonic() + GRACE_SECONDS
    while True:
        threads = [
            t
            for t in threading.enumerate()
            if t.ident not in before.threads
            and t.is_alive()
            and not any(t.name.startswith(name) for name in ALLOWED_THREADS)
        ]
        processes = sorted(descendants(os.getpid()) - before.processes)
        clusters = sorted(postgres.RUNNING)
        if not (threads or processes or clusters) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    return (
        [f"thread {t.name!r} (daemon={t.daemon}, target={_target(t)})" for t in threads]
        + [_describe_process(pid) for pid in processes]
        + [f"PostgreSQL cluster still running in {data}" for data in clusters]
    )


def _target(thread: threading.Thread) -> str:
    target = getattr(thread, "_target", None)
    return getattr(target, "__qualname__", repr(target))


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[SNAPSHOT] = Snapshot.now()
    session.config.stash[FOUND] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Runs after the last fixture teardown (pytest's own sessionfinish tears them down)."""
    config = session.config
    found = config.stash[FOUND]
    found += leaks(config.stash[SNAPSHOT])
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["leaks"] = found
    elif found and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_testnodedown(node: WorkerController, error: object) -> None:
    """On the xdist controller: collect what a worker found."""
    worker = node.workerinput["workerid"]
    found: list[str] = getattr(node, "workeroutput", {}).get("leaks", [])
    node.config.stash.setdefault(FOUND, []).extend(f"[{worker}] {item}" for item in found)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    found = terminalreporter.config.stash.get(FOUND, [])
    if found:
        terminalreporter.write_sep("=", "left over at session end (tests/support/leaks.py)")
        for item in found:
            terminalreporter.write_line(item)
