"""The load bench's lock probe (`bench/load_bench.py --lock-probe`), loaded into each
`rugzak serve` worker through PYTHONPATH: for every transaction that takes the dossier's row
lock (a statement with FOR UPDATE), one line in `$RUGZAK_LOCK_PROBE/<pid>.txt` with the
times (perf_counter seconds) the locking statement was sent and answered, the next write's
answer (the entry or log INSERT), the COMMIT's start and end, and the dossier id. Never used
by the app itself; the bench reads the files (bench/_lockprobe.py)."""

from __future__ import annotations

import os
import time
from typing import Any

FOLDER = os.environ.get("RUGZAK_LOCK_PROBE")

if FOLDER:
    from sqlalchemy import event
    from sqlalchemy.engine import Connection, Engine

    out = open(f"{FOLDER}/{os.getpid()}.txt", "a", buffering=1)  # noqa: SIM115, PTH123

    @event.listens_for(Engine, "before_cursor_execute")
    def _sent(conn: Connection, _c: Any, sql: str, _p: Any, ctx: Any, _m: bool) -> None:  # noqa: FBT001
        if "FOR UPDATE" in sql:
            conn.info["probe"] = [time.perf_counter(), None, None, None]
            params = ctx.compiled_parameters[0] if ctx.compiled_parameters else {}
            conn.info["probe_dossier"] = str(params.get("dossier_id"))

    @event.listens_for(Engine, "after_cursor_execute")
    def _answered(conn: Connection, _c: Any, sql: str, _p: Any, _x: Any, _m: bool) -> None:  # noqa: FBT001
        probe = conn.info.get("probe")
        if probe is None:
            return
        if probe[1] is None:
            probe[1] = time.perf_counter()
        elif probe[2] is None and sql.lstrip()[:6].upper() in {"INSERT", "WITH L"}:
            probe[2] = time.perf_counter()

    @event.listens_for(Engine, "commit")
    def _commit(conn: Connection) -> None:
        probe = conn.info.get("probe")
        if probe is not None:
            probe[3] = time.perf_counter()

    from sqlalchemy.engine import base

    _commit_impl = base.Connection._commit_impl  # noqa: SLF001

    def _committed(self: Connection) -> None:
        _commit_impl(self)
        probe = self.info.pop("probe", None)
        if probe is not None and None not in (probe[1], probe[3]):
            times = " ".join("nan" if t is None else f"{t:.6f}" for t in probe)
            out.write(f"{times} {time.perf_counter():.6f} {self.info.pop('probe_dossier')}\n")

    base.Connection._commit_impl = _committed  # type: ignore[method-assign]  # noqa: SLF001
