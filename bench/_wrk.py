"""The load bench's light load generator: Debian's `wrk` (C, one thread, LuaJIT) driven by a
request plan. The Python generator (httpx, asyncio) spent about 0.7 CPU-seconds per second of
worker time in a profile, on the same 2 cores as the workers, nginx and PostgreSQL; wrk
spends a small fraction of that (docs/deploy.md, "The load bench").

The plan is the same as the Python generator's: a list of (youth, is_write) made by the
bench, written as one request per line (method, path, bearer token, sealed body). The script
sends the lines in order over `--connections` kept-alive connections and stops once the plan
has been answered (a bounded load: a few trailing reads may go out while the last answers are
on their way; they are counted). Paced: each connection waits a random 0.5-1.5x its share of
the interval before its next request, which gives the target rate on average without the
connections firing in step."""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import msgspec

WRK = shutil.which("wrk")
TAIL = 64  # trailing reads past the plan: more than the connections that may still send

SCRIPT = r"""
local plan, sent, answered, errors, target = {}, 0, 0, 0, 0
local pause = 0
function init(args)
  target = tonumber(args[2])
  pause = tonumber(args[3])
  for line in io.lines(args[1]) do
    local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {["Authorization"] = "Bearer " .. token}
    if method == "POST" then
      headers["Content-Type"] = "application/json"
    else
      body = nil
    end
    plan[#plan + 1] = wrk.format(method, path, headers, body)
  end
end
function request()
  sent = sent + 1
  return plan[math.min(sent, #plan)]
end
function delay()
  if pause <= 0 then return 0 end
  return pause * (0.5 + math.random())
end
function response(status, headers, body)
  answered = answered + 1
  if status >= 400 then errors = errors + 1 end
  if answered == target then
    io.write("PLAN-DONE\n")
    io.flush()
    wrk.thread:stop()
  end
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %d %.6f %.3f %.3f %d\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    summary.errors.status))
end
"""


def _until_done(command: list[str]) -> list[str]:
    """Run wrk until the script says the plan is answered, then stop it with SIGINT (its
    main thread otherwise sleeps out `-d`), which still prints the summary."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("PLAN-DONE"):
            process.send_signal(signal.SIGINT)
    if process.wait() != 0:
        raise RuntimeError(f"wrk failed: {''.join(lines)}")
    return lines


class Planned(Protocol):
    path: str
    token: str
    entries: list[dict[str, Any]]


@dataclass
class WrkResult:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        return {0.5: self.p50_ms, 0.99: self.p99_ms}[p]


def _line(youth: Planned, *, write: bool) -> str:
    body = msgspec.json.encode(youth.entries.pop()).decode() if write else ""
    return "\t".join(("POST" if write else "GET", youth.path, youth.token, body))


def run_wrk(
    name: str,
    url: str,
    plan: Sequence[tuple[Planned, bool]],
    clients: int,
    rate: float | None = None,
) -> WrkResult:
    """Send `plan` through wrk with `clients` connections (paced at `rate` requests/s)."""
    if WRK is None:
        raise RuntimeError("wrk not found (apt-get install wrk)")
    lines = [_line(youth, write=write) for youth, write in plan]
    lines += [_line(plan[i % len(plan)][0], write=False) for i in range(TAIL)]
    pause_ms = 0.0 if rate is None else clients / rate * 1e3
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "plan.tsv").write_text("\n".join(lines) + "\n")
        (folder / "plan.lua").write_text(SCRIPT)
        command = [
            WRK,
            "-t1",
            f"-c{clients}",
            "-d600s",  # an upper bound only: the script stops when the plan is answered
            "--timeout",
            "30s",
            "-s",
            str(folder / "plan.lua"),
            url,
            "--",
            str(folder / "plan.tsv"),
            str(len(plan)),
            f"{pause_ms:.3f}",
        ]
        out = _until_done(command)
    fields = next(line for line in out if line.startswith("RESULT")).split()
    requests, seconds, p50, p99, errors = fields[1:]
    return WrkResult(name, int(requests), float(seconds), float(p50), float(p99), int(errors))
