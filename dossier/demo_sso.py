"""The demo identity provider (`scripts/demo-idp.mjs`, `make idp`) as a process on loopback,
for the demo and the tests: started on a given port, ended by its PID.

DEMO ONLY: the provider's accounts and passwords are public (`scripts/demo-idp.json`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
IDP_SCRIPT = ROOT / "scripts" / "demo-idp.mjs"


class IdpUnavailable(Exception):
    """The demo identity provider is not running and cannot be started here."""


def node_for_idp() -> str:
    """Node, if the provider script can run here."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        raise IdpUnavailable("need Node and `npm ci` (the oidc-provider package)")
    return node


@contextmanager
def idp_process(port: int, env: Mapping[str, str], log: Path) -> Iterator[str]:
    """Run `scripts/demo-idp.mjs` on 127.0.0.1:`port` until the block ends; yields the URL it
    is reached at. `env` adds its settings (see the script). Ended by its PID."""
    node = node_for_idp()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603  (our own script, no shell)
            [node, str(IDP_SCRIPT)],
            cwd=ROOT,
            env={**os.environ, **env, "OIDC_PORT": str(port)},
            stdout=out,
            stderr=out,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise IdpUnavailable(f"the identity provider stopped while starting (see {log})")
        try:
            if httpx.get(f"{url}/.well-known/openid-configuration", timeout=1).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise IdpUnavailable(f"the identity provider did not start (see {log})")
