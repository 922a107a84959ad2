"""The client's HTTP plumbing over a real socket: a connection the server drops is retried
for a read, never for a write."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator

import httpx
import pytest

from dossier.client.api import Api

RESET_ON_CLOSE = struct.pack("ii", 1, 0)
OK = b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}'


@pytest.fixture
def flaky_server() -> Iterator[tuple[str, list[bytes]]]:
    """Drops the first connection after reading its request, answers every later one."""
    listener = socket.create_server(("127.0.0.1", 0))
    seen: list[bytes] = []

    def serve() -> None:
        for index in range(2):
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                seen.append(conn.recv(65536).split(b"\r\n", 1)[0])
                if index:
                    conn.sendall(OK)
                else:
                    # Linger 0: close with a reset, as a server dropping an idle connection.
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET_ON_CLOSE)

    thread = threading.Thread(target=serve)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", seen
    listener.shutdown(socket.SHUT_RDWR)  # wakes an accept() still waiting for a second request
    listener.close()
    thread.join(5)


def test_a_read_on_a_dropped_connection_is_sent_again(flaky_server):
    url, seen = flaky_server
    with httpx.Client(base_url=url) as http:
        assert Api(url, http).call("GET", "/x") == {"ok": True}
    assert seen == [b"GET /x HTTP/1.1", b"GET /x HTTP/1.1"]


def test_a_write_on_a_dropped_connection_is_not_sent_again(flaky_server):
    url, seen = flaky_server
    with (
        httpx.Client(base_url=url) as http,
        pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)),
    ):
        Api(url, http).call("POST", "/x", json={"a": 1})
    assert seen == [b"POST /x HTTP/1.1"]
