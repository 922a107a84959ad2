"""Which test each process is running, for `.ci/run` to print when its overall timeout fires.

With RUGZAK_TEST_RUNNING_DIR set, every process that runs tests (each xdist worker, or the one
pytest process) keeps one file there, named after the worker, holding the node id of the test
it is in (setup, call or teardown), empty between tests; an interrupted test stays named.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ENV = "RUGZAK_TEST_RUNNING_DIR"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    folder = os.environ.get(ENV)
    if not folder:
        return (yield)
    worker = getattr(item.config, "workerinput", {}).get("workerid", "main")
    path = Path(folder) / f"{worker}.running"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(item.nodeid + "\n")
    result = yield  # an interrupt (.ci/run's timeout) leaves the node id in place
    path.write_text("")
    return result
