"""A local Web Push receiver standing in for a browser's push service: it decrypts each
`aes128gcm` payload (RFC 8291) with the subscription's private keys (http_ece) and checks the
VAPID token (RFC 8292: ES256 over `t`, signed by the key in `k`). Answers 201, or 410 for a
device the test has marked gone. Runs in a thread it stops itself."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """A browser's subscription keys: the receiver holds the private half."""

    name: str
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self, base: str) -> dict[str, Any]:
        point = self.key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return {
            "endpoint": f"{base}/push/{self.name}",
            "keys": {"p256dh": b64u(point), "auth": b64u(self.auth)},
        }


@dataclass
class Received:
    device: str
    payload: bytes
    raw_body: bytes
    headers: dict[str, str]
    claims: dict[str, Any]
    vapid_key: str


def check_vapid(header: str) -> tuple[dict[str, Any], str]:
    """The claims of a valid `vapid t=…, k=…` header; raises if the signature is wrong."""
    scheme, _, rest = header.partition(" ")
    assert scheme == "vapid", header
    parts = dict(p.strip().split("=", 1) for p in rest.split(","))
    token, key = parts["t"], parts["k"]
    head, body, sig = token.split(".")
    assert json.loads(unb64u(head)) == {"typ": "JWT", "alg": "ES256"}
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64u(key))
    raw = unb64u(sig)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public.verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
    return json.loads(unb64u(body)), key


class PushReceiver:
    def __init__(self) -> None:
        self.devices: dict[str, Device] = {}
        self.gone: set[str] = set()
        self.received: list[Received] = []
        self.errors: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                name = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                try:
                    receiver.accept(name, body, dict(self.headers.items()))
                except Exception as exc:  # noqa: BLE001  (reported to the test)
                    receiver.errors.append(repr(exc))
                    self.send_response(400)
                else:
                    self.send_response(410 if name in receiver.gone else 201)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def device(self, name: str) -> Device:
        self.devices[name] = Device(name)
        return self.devices[name]

    def accept(self, name: str, body: bytes, headers: dict[str, str]) -> None:
        lower = {k.lower(): v for k, v in headers.items()}
        assert lower["content-encoding"] == "aes128gcm"
        claims, key = check_vapid(lower["authorization"])
        assert claims["aud"] == self.base
        assert claims["exp"] > time.time()
        device = self.devices[name]
        payload = http_ece.decrypt(
            body, private_key=device.key, auth_secret=device.auth, version="aes128gcm"
        )
        self.received.append(Received(name, payload, body, lower, claims, key))


@contextlib.contextmanager
def push_receiver() -> Iterator[PushReceiver]:
    receiver = PushReceiver()
    receiver.thread.start()
    try:
        yield receiver
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
        receiver.thread.join(10)
