"""The live app for the browser part of bench/campaign_bench.py in a process of its own, as a
deployment runs it: `rugzak serve` (web.cli, one worker, the `serving_app` factory) on the
bench's database, with the server's import parts timed inside that process
(`_upload_split.server_parts`) and written to a JSON file when it stops.

Before, the app ran in a uvicorn thread of the bench's own process and shared the GIL with
Playwright's Python side (docs/performance.md, "Session 5").

Run as a script it is that server process: `_campaign_server.py PARTS_FILE PORT`, settings
from the RUGZAK_* variables."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parent.parent


def _env(settings: object) -> dict[str, str]:
    """The RUGZAK_* variables for every setting that is not the default."""
    from web.settings import PREFIX, Settings  # noqa: PLC0415

    default = Settings()
    env = {}
    for field in msgspec.structs.fields(Settings):
        value = getattr(settings, field.name)
        if value != getattr(default, field.name):
            text = str(value).lower() if isinstance(value, bool) else str(value)
            env[PREFIX + field.name.upper()] = text
    return env


@contextmanager
def served(settings: object, parts_file: Path) -> Iterator[str]:
    """`rugzak serve` in a subprocess on `settings`' database, on a free port, until the block
    ends (then stopped with SIGTERM: uvicorn's graceful shutdown, and the parts file). Its
    log goes next to the parts file."""
    from load_bench import stop, wait_for  # noqa: PLC0415

    from tests.support.postgres import free_port  # noqa: PLC0415

    port = free_port()
    log = parts_file.with_suffix(".log").open("wb")
    process = subprocess.Popen(  # noqa: S603  (our own command line)
        [sys.executable, str(Path(__file__)), str(parts_file), str(port)],
        cwd=ROOT,
        env={**os.environ, **_env(settings)},
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/health", process, "rugzak serve")
        yield url
    finally:
        stop(process)
        log.close()


def import_parts(parts_file: Path) -> dict[str, float]:
    """Seconds of each server part of the (one) import request, from the server's record:
    the import itself, the CSV parse inside it, the caller's campaign check just before it,
    and the answer's links and the commit just after it."""
    calls = {k: [tuple(c) for c in v] for k, v in json.loads(parts_file.read_text()).items()}
    start, seconds = calls["import"][-1]
    end = start + seconds

    def before(kind: str) -> float:
        return [s for t, s in calls[kind] if t <= start][-1]

    def after(kind: str) -> float:
        return next(s for t, s in calls[kind] if t >= end)

    parse = next(s for t, s in calls["parse"] if start <= t <= end)
    return {
        "check": before("check"),
        "parse": parse,
        "import": seconds,
        "links out": after("links out"),
        "commit": after("commit"),
    }


def _serve(parts_file: str, port: str) -> None:
    sys.path[:0] = [str(ROOT)]
    from _upload_split import server_parts  # noqa: PLC0415

    from web.cli import main  # noqa: PLC0415

    with server_parts() as parts:

        def write(*_: object) -> None:
            Path(parts_file).write_text(json.dumps(parts))
            sys.exit(0)

        # uvicorn stops gracefully on SIGTERM, then puts back this handler and raises the
        # signal again, so the record is written after the last request.
        signal.signal(signal.SIGTERM, write)
        main(["serve", "--port", port], standalone_mode=False)
        write()


if __name__ == "__main__":
    _serve(*sys.argv[1:])
