"""A hard stop behind pytest-timeout, for a test its signal cannot interrupt.

pytest-timeout's "signal" method raises inside whatever Python code runs when the alarm
fires. When that is a weakref callback (Playwright's event dispatch creates many) or a
greenlet switch, the exception is swallowed and a test that spins keeps the run hung until
.ci/run's overall limit. So each test also gets a watchdog thread: 60 s after the test's own
timeout it prints every thread's stack and the test's node id, then ends this process. Under
xdist the controller reports the worker as crashed in that test and starts a new one; the
run fails, and does not hang.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import threading
from collections.abc import Iterator

import pytest

GRACE = float(os.environ.get("RUGZAK_TEST_BACKSTOP_GRACE", "60"))
"""Seconds past the test's own time limits (setup + call + teardown) before the hard stop."""


def _timeout_of(item: pytest.Item) -> float | None:
    marker = item.get_closest_marker("timeout")
    if marker is not None and marker.args:
        return float(marker.args[0])
    value = item.config.getoption("timeout", None) or item.config.getini("timeout")
    return float(value) if value else None


def _stop(config: pytest.Config, nodeid: str, seconds: float) -> None:
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is not None:  # the message must reach the real stderr, not the test's capture
        capture.suspend_global_capture(in_=False)
    sys.stderr.write(f"\nbackstop: {nodeid} still running {seconds:.0f} s after it started\n")
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    sys.stderr.flush()
    os._exit(3)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    timeout = _timeout_of(item)
    if not timeout:
        return (yield)
    # Setup, call and teardown each get the timeout from pytest-timeout: allow all three.
    limit = 3 * timeout + GRACE
    watchdog = threading.Timer(limit, _stop, (item.config, item.nodeid, limit))
    watchdog.daemon = True
    watchdog.name = "backstop"
    watchdog.start()
    try:
        return (yield)
    finally:
        watchdog.cancel()
        watchdog.join()
