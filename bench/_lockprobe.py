"""Read the lock probe's lines (bench/lockprobe/sitecustomize.py) for one set of workers:
how long writes waited for and held the dossier's row lock, on the hot dossier and on the
others, and what the hold was made of (docs/performance.md, "The hot dossier")."""

from __future__ import annotations

import math
from pathlib import Path

PROBE_DIR = Path(__file__).resolve().parent / "lockprobe"


def _q(values: list[float], p: float) -> float:
    ordered = sorted(v for v in values if not math.isnan(v))
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1e3 if ordered else math.nan


def summary(folder: Path, pids: list[int], hot_dossier: str) -> list[str]:
    """One line each for the hot dossier's writes and everyone else's."""
    rows: list[tuple[list[float], str]] = []
    for pid in pids:
        path = folder / f"{pid}.txt"
        if path.exists():
            for line in path.read_text().splitlines():
                *times, dossier = line.split()
                rows.append(([float(t) for t in times], dossier))
    out = []
    for name, picked in (
        ("hot dossier", [t for t, d in rows if d == hot_dossier]),
        ("other dossiers", [t for t, d in rows if d != hot_dossier]),
    ):
        if not picked:
            continue
        wait = [t[1] - t[0] for t in picked]
        hold = [t[4] - t[1] for t in picked]
        insert = [t[2] - t[1] for t in picked]
        commit = [t[4] - t[3] for t in picked]
        out.append(
            f"{name:15} n={len(picked):5}"
            f" lock wait p50 {_q(wait, 0.5):6.1f} p90 {_q(wait, 0.9):6.1f}"
            f" | held p50 {_q(hold, 0.5):5.1f} p90 {_q(hold, 0.9):5.1f}"
            f" | of which lock->INSERT answered p50 {_q(insert, 0.5):5.1f},"
            f" COMMIT p50 {_q(commit, 0.5):5.1f} p90 {_q(commit, 0.9):5.1f} (ms)"
        )
    return out
