"""Chromium's memory as /proc shows it (bench/campaign_bench.py): the processes below this
one, each renderer's resident memory, and each renderer's peak sampled while something runs."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path


def _process_tree() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    return children


def chromium_rss_mib() -> tuple[float, float]:
    """Resident memory of the Chromium processes below this one (from /proc): the sum over
    all of them (browser, zygotes, GPU, network, renderers) and the largest renderer (the
    process of a tab: `--type=renderer`; the browser process itself, about 210 MiB here, is
    not a tab's memory and is counted in the sum only)."""
    total, renderers = chromium_rss()
    return total / 1024, max(renderers.values(), default=0) / 1024


def chromium_rss() -> tuple[int, dict[int, int]]:
    """KiB: the sum over Chromium's processes, and each renderer's by pid."""
    children = _process_tree()
    todo, total, renderers = [os.getpid()], 0, {}
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if "chrom" not in status.split("\n", 1)[0].lower():
            continue
        rss = next(
            (int(line.split()[1]) for line in status.splitlines() if line[:6] == "VmRSS:"), 0
        )
        total += rss
        if b"--type=renderer" in command:
            renderers[pid] = rss
    return total, renderers


def renderer_peaks_while(fn: Callable[[], object]) -> tuple[object, float, dict[int, float]]:
    """Result, seconds, and each renderer's peak RSS (MiB, by pid) sampled every 20 ms while
    `fn` runs (a window `fn` opens shows up as a pid that was not there before)."""
    peaks: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        while True:
            for pid, rss in chromium_rss()[1].items():
                peaks[pid] = max(peaks.get(pid, 0.0), rss / 1024)
            if done.wait(0.02):
                return

    thread = threading.Thread(target=sample)
    thread.start()
    start = time.perf_counter()
    try:
        result = fn()
    finally:
        seconds = time.perf_counter() - start
        done.set()
        thread.join()
    return result, seconds, peaks


# The import's clock in the page: from the click event's own time stamp (when the input came
# in) to the answer parsed (the end of "rz-upload"). Playwright's click() first checks that the
