"""Shared helpers for the benchmarks: timing, a live app on SQLite or PostgreSQL."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.conftest import make_settings  # noqa: E402
from tests.support.databases import Backend  # noqa: E402
from tests.support.postgres import pg_bin, throwaway_cluster  # noqa: E402
from tests.support.server import live_server  # noqa: E402
from web.settings import Settings  # noqa: E402


def best_of(fn: Callable[[], object], rounds: int = 5) -> float:
    """The median of `rounds` timings of `fn` (seconds)."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(
    fns: dict[str, Callable[[], object]], rounds: int, block: int = 1
) -> dict[str, float]:
    """The median timing of each of `fns` (seconds), the variants taking turns: each round
    calls every variant `block` times in a row (the order reversed every other round), and
    with `block` > 1 the first call of each block is a warm-up that is not counted, so every
    variant is timed warm, as back-to-back rounds time it, and in the same minutes as the
    others. On the shared machine, timing one variant's rounds after the other's let the
    load between them decide the ratio (docs/performance.md, "Session 6")."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    order = list(fns)
    for n in range(rounds):
        for name in order if n % 2 == 0 else reversed(order):
            for call in range(block):
                start = time.perf_counter()
                fns[name]()
                if block == 1 or call > 0:
                    times[name].append(time.perf_counter() - start)
    return {name: statistics.median(taken) for name, taken in times.items()}


@contextmanager
def app_on(backend_name: str) -> Iterator[str]:
    """A live Rugzak server on a fresh, migrated database of the given backend."""
    with app_and_settings_on(backend_name) as (url, _settings):
        yield url


@contextmanager
def app_and_settings_on(backend_name: str) -> Iterator[tuple[str, Settings]]:
    """`app_on`, with the settings the app runs with (its database URL, for counting)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if backend_name == "sqlite":
            settings = make_settings(Backend.sqlite(work).fresh_url(), work)
            with live_server(settings) as url:
                yield url, settings
            return
        with throwaway_cluster() as server:
            settings = make_settings(Backend.postgresql(server).fresh_url(), work)
            with live_server(settings) as url:
                yield url, settings


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if pg_bin() else ["sqlite"]


def report(rows: list[tuple[str, float, float, str]]) -> None:
    print(f"{'measure':44} {'ours':>10} {'baseline':>10} {'ratio':>7}  target")
    for name, ours, base, target in rows:
        print(f"{name:44} {ours * 1e3:9.2f}ms {base * 1e3:9.2f}ms {ours / base:6.2f}x  {target}")
