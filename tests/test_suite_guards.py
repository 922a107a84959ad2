"""The suite's own guards (issue 21), each shown to catch what it is for by running pytest in a
subprocess on a tiny test file: the per-test timeout stops a hanging test, and the session-end
leak check fails a run that leaves a thread or a child process behind."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.support.order import HEAVIEST

ROOT = Path(__file__).resolve().parent.parent


def run_pytest(
    tmp_path: Path, source: str, *args: str
) -> tuple[subprocess.CompletedProcess[str], float]:
    (tmp_path / "test_guarded.py").write_text(textwrap.dedent(source))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("RUGZAK_TEST_RUNNING_DIR", None)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, "test_guarded.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result, time.monotonic() - started


def test_the_timeout_stops_a_hanging_test_with_its_stack(tmp_path: Path) -> None:
    result, seconds = run_pytest(
        tmp_path,
        """
        import time

        def test_hangs():
            time.sleep(600)

        def test_after_it_still_runs():
            pass
        """,
        "--timeout=2",
        "-o",
        "timeout_method=signal",
    )
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout + result.stderr
    assert "Timeout" in result.stdout
    assert "time.sleep(600)" in result.stdout  # the stack says where it hung
    assert "1 failed, 1 passed" in result.stdout
    assert seconds < 60


def test_the_backstop_ends_a_test_that_swallows_its_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test that catches pytest-timeout's exception (as a weakref callback or a greenlet
    switch does by accident) is ended by the backstop, with its stack, instead of hanging."""
    monkeypatch.setenv("RUGZAK_TEST_BACKSTOP_GRACE", "1")
    result, seconds = run_pytest(
        tmp_path,
        """
        import time

        def test_spins_through_its_timeout():
            while True:
                try:
                    time.sleep(0.05)
                except BaseException:
                    pass
        """,
        "--timeout=1",
        "-o",
        "timeout_method=signal",
        "-p",
        "tests.support.backstop",
    )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "backstop: test_guarded.py::test_spins_through_its_timeout" in result.stderr
    assert "test_spins_through_its_timeout" in result.stderr.split("backstop:", 1)[1]
    assert seconds < 60


def test_the_leak_check_fails_a_run_that_leaves_a_thread_and_a_process(tmp_path: Path) -> None:
    result, _ = run_pytest(
        tmp_path,
        """
        import subprocess, threading, time

        def test_starts_and_forgets():
            threading.Thread(target=time.sleep, args=(30,), daemon=True, name="forgotten").start()
            subprocess.Popen(["sleep", "31"])
        """,
        "-p",
        "tests.support.leaks",
    )
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    report = result.stdout.split("left over at session end", 1)[1]
    assert "thread 'forgotten'" in report
    assert "sleep 31" in report


def test_a_leak_in_an_xdist_worker_fails_the_whole_run(tmp_path: Path) -> None:
    result, _ = run_pytest(
        tmp_path,
        """
        import threading, time

        def test_starts_and_forgets():
            threading.Thread(target=time.sleep, args=(30,), daemon=True, name="forgotten").start()
        """,
        "-p",
        "tests.support.leaks",
        "-n",
        "1",
    )
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert "[gw0] thread 'forgotten'" in result.stdout


def test_the_heaviest_files_listed_for_ordering_exist() -> None:
    """A renamed or removed file would silently drop out of the heaviest-first order."""
    assert [path for path in HEAVIEST if not (ROOT / path).is_file()] == []
