"""HTTP plumbing of the client: one httpx client, bearer token, problem+json → `ApiError`."""

from __future__ import annotations

import functools
import ssl
from collections.abc import Iterator
from typing import Any

import httpx

from dossier.crypto import TamperedError

SAFE_METHODS = frozenset({"GET", "HEAD"})


class ApiError(Exception):
    """The server refused a request; `code` is the last part of the problem `type` URI."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        self.code = str(problem.get("type", "")).rsplit("/", 1)[-1]
        super().__init__(f"{status} {self.code}: {problem.get('detail', '')}")


class RollbackError(TamperedError):
    """The server showed an older version of an entry than this client has already seen."""


class WithheldError(TamperedError):
    """The server does not show entries (or the latest version of entries) that the owner's
    newest signed manifest lists: "Er ontbreekt iets in wat de server laat zien"."""

    def __init__(self, entries: list[str]) -> None:
        self.entries = entries
        super().__init__(f"the server withholds {len(entries)} listed entries")


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process: building it loads the whole CA bundle (tens of
    milliseconds), which httpx would otherwise do again for every client. A context is safe to
    share between clients and threads."""
    return httpx.create_ssl_context()


class Api:
    def __init__(self, base_url: str, http: httpx.Client | None = None) -> None:
        self.http = http or httpx.Client(base_url=base_url, timeout=60, verify=tls_context())
        self.token: str | None = None

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"accept": "application/json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        extra = kwargs.pop("headers", None)
        try:
            response = self.http.request(method, path, headers=self.headers(extra), **kwargs)
        except (httpx.ReadError, httpx.RemoteProtocolError):
            # A kept-alive connection the server closed while it sat idle fails on reuse.
            # A read is safe to send again on a new connection; a write is not (it may
            # have arrived), so that error reaches the caller.
            if method not in SAFE_METHODS:
                raise
            response = self.http.request(method, path, headers=self.headers(extra), **kwargs)
        return self._result(response)

    @staticmethod
    def _result(response: httpx.Response) -> Any:
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {"detail": response.text}
            raise ApiError(response.status_code, problem if isinstance(problem, dict) else {})
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def download(self, path: str) -> Iterator[bytes]:
        with self.http.stream("GET", path, headers=self.headers()) as response:
            if response.status_code >= 400:
                response.read()
                self._result(response)
            yield from response.iter_bytes()
