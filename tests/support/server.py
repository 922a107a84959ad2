"""A live Rugzak server on a free loopback port, in a background thread (real HTTP)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn

from tests.support.postgres import free_port
from web.app import create_app
from web.settings import Settings


@contextmanager
def live_server(
    settings: Settings, port: int | None = None, clock: Callable[[], dt.datetime] | None = None
) -> Iterator[str]:
    """Serve `create_app(settings, clock=clock)` on `port` (a free one when None) until the
    block ends."""
    port = port or free_port()
    config = uvicorn.Config(
        create_app(settings, clock=clock),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        loop="asyncio",
        timeout_graceful_shutdown=5,
        # Longer than any pause between two requests of one test, even on a busy machine:
        # with uvicorn's 5 s a client could reuse a connection the server was closing.
        timeout_keep_alive=300,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    try:
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        # Lifespan shutdown disposes the app's database engine (web/app.py on_shutdown).
        server.should_exit = True
        thread.join(timeout=20)
        if thread.is_alive():
            raise RuntimeError("test server did not stop within 20 s")
