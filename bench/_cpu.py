"""CPU time per component during a load-bench phase, read from /proc (Linux): which part of
the machine's two cores the rugzak workers, PostgreSQL, nginx and the load generator used,
and how much went to everything else (other users of a shared machine).

A component is a set of root processes and all their descendants at the moment of each
reading (utime + stime), plus what the roots' already reaped children used (cutime +
cstime: a PostgreSQL backend that ended during the phase). The load generator `wrk` runs as
this process's child and is reaped at the end of the phase, so it is this process's
children's time (`RUSAGE_CHILDREN`); the bench process itself is its own line (the load
generator with `--generator python`). "other" is the machine's busy time (/proc/stat) minus
all of these."""

from __future__ import annotations

import os
import resource
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")
CORES = os.cpu_count() or 1


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    own: float  # seconds, utime + stime
    reaped: float  # seconds, cutime + cstime


def _read(pid: int) -> Proc | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) "
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
    return Proc(pid, ppid, (utime + stime) / TICK, (cutime + cstime) / TICK)


def _all() -> dict[int, Proc]:
    found = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (proc := _read(int(entry.name))) is not None:
            found[proc.pid] = proc
    return found


def _tree(roots: Sequence[int], procs: Mapping[int, Proc]) -> set[int]:
    """The live pids of `roots` and all their descendants."""
    children: dict[int, list[int]] = {}
    for proc in procs.values():
        children.setdefault(proc.ppid, []).append(proc.pid)
    todo, seen = list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in procs:
            continue
        seen.add(pid)
        todo.extend(children.get(pid, []))
    return seen


def _tree_seconds(roots: Sequence[int], procs: Mapping[int, Proc]) -> float:
    reaped = sum(procs[root].reaped for root in roots if root in procs)
    return reaped + sum(procs[pid].own for pid in _tree(roots, procs))


def _switches(pids: set[int]) -> tuple[int, int]:
    """(voluntary, involuntary) context switches of `pids`, all their threads, so far."""
    voluntary = involuntary = 0
    for pid in pids:
        try:
            lines = (PROC / str(pid) / "status").read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            if line.startswith("voluntary_ctxt_switches:"):
                voluntary += int(line.split()[1])
            elif line.startswith("nonvoluntary_ctxt_switches:"):
                involuntary += int(line.split()[1])
    return voluntary, involuntary


def machine_switches() -> int:
    """Context switches of the whole machine so far (/proc/stat `ctxt`)."""
    for line in (PROC / "stat").read_text().splitlines():
        if line.startswith("ctxt "):
            return int(line.split()[1])
    return 0


def machine_busy() -> float:
    """Seconds of CPU the whole machine spent not idle (all cores, /proc/stat)."""
    values = [int(v) for v in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values[:8]
    return (user + nice + system + irq + softirq + steal) / TICK


def postmaster(port: int) -> int:
    """The pid of the PostgreSQL server listening on `port` (its command line names it)."""
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if args and args[0].endswith(b"postgres") and str(port).encode() in args:
            return int(entry.name)
    raise RuntimeError(f"no PostgreSQL server on port {port}")


def _snapshot(components: Mapping[str, Sequence[int]]) -> tuple[dict[str, float], dict[str, int]]:
    procs = _all()
    out = {name: _tree_seconds(roots, procs) for name, roots in components.items()}
    switches = {"machine": machine_switches()}
    for name, roots in components.items():
        voluntary, involuntary = _switches(_tree(roots, procs))
        switches[f"{name} voluntary"] = voluntary
        switches[f"{name} involuntary"] = involuntary
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    me = resource.getrusage(resource.RUSAGE_SELF)
    out["load generator (wrk)"] = children.ru_utime + children.ru_stime
    out["bench process"] = me.ru_utime + me.ru_stime
    out["machine busy"] = machine_busy()
    return out, switches


@dataclass
class CpuUse:
    """Seconds of CPU per component over one phase (`seconds`), and the phase's wall time."""

    seconds: dict[str, float] = field(default_factory=dict)
    wall: float = 0.0
    # Context switches over the phase: "machine", and "<component> voluntary/involuntary"
    # (of the processes alive at both readings; a reaped PostgreSQL backend's are lost).
    switches: dict[str, int] = field(default_factory=dict)

    @property
    def ours(self) -> float:
        return sum(v for k, v in self.seconds.items() if k not in {"machine busy", "other"})


@contextmanager
def measured(components: Mapping[str, Sequence[int]]) -> Iterator[CpuUse]:
    """CPU per component (name -> root pids) while the block runs."""
    use = CpuUse()
    before, switched = _snapshot(components)
    start = os.times().elapsed
    yield use
    use.wall = os.times().elapsed - start
    after, switches = _snapshot(components)
    use.seconds = {name: after[name] - before[name] for name in before}
    use.switches = {name: switches[name] - switched.get(name, 0) for name in switches}
    busy = use.seconds.pop("machine busy")
    use.seconds["other"] = max(0.0, busy - use.ours)
