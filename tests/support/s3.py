"""A real S3 API server for tests: moto's server in its own process on a free loopback port,
with one bucket. The fixture that starts it stops it (tests/support/leaks.py checks)."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from dossier.blobs.s3 import S3Settings
from tests.support.postgres import free_port

KEY_ID, SECRET = "testing", "testing"


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    bucket: str

    def settings(self) -> S3Settings:
        """Settings on a prefix of its own, so tests sharing the bucket keep apart."""
        return S3Settings(
            bucket=self.bucket,
            endpoint_url=self.endpoint_url,
            access_key_id=KEY_ID,
            secret_access_key=SECRET,
            prefix=f"t{uuid.uuid4().hex[:12]}/",
        )

    def overrides(self) -> dict[str, object]:
        """`make_settings` overrides for an app on this server."""
        s = self.settings()
        return {
            "blob_store": "s3",
            "s3_endpoint_url": s.endpoint_url,
            "s3_bucket": s.bucket,
            "s3_access_key_id": s.access_key_id,
            "s3_secret_access_key": s.secret_access_key,
            "s3_prefix": s.prefix,
        }


@contextmanager
def moto_server() -> Iterator[S3Server]:
    port = free_port()
    binary = Path(sys.executable).parent / "moto_server"
    process = subprocess.Popen(
        [str(binary), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/moto-api/", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        bucket = "rugzak-test"
        httpx.put(f"{url}/{bucket}").raise_for_status()
        yield S3Server(url, bucket)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
