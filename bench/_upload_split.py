"""Where the browser import's upload time goes (bench/campaign_bench.py, issue 14): the
server's parts timed inside the server's process (bench/_campaign_server.py runs the app in a
process of its own), the network parts from the page's Resource Timing entry of the upload
request."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from sqlalchemy.ext.asyncio import AsyncSession

import web.api.campaigns as api
from consent.campaigns import service


def _timed_sync(fn: Callable[..., Any], into: list[tuple[float, float]]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            into.append((start, time.perf_counter() - start))

    return call


def _timed_async(fn: Callable[..., Any], into: list[tuple[float, float]]) -> Callable[..., Any]:
    async def call(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await fn(*args, **kwargs)
        finally:
            into.append((start, time.perf_counter() - start))

    return call


@contextmanager
def server_parts() -> Iterator[dict[str, list[tuple[float, float]]]]:
    """(perf_counter at the start, seconds) per call, while the block runs: the caller's
    campaign (member check), the CSV parse and checks, the service import (parse + tokens,
    codes, ids + the INSERT), the answer's links, the commit."""
    parts: dict[str, list[tuple[float, float]]] = {
        "check": [],
        "parse": [],
        "import": [],
        "links out": [],
        "commit": [],
    }
    with (
        mock.patch.object(
            service.CampaignService,
            "campaign_id_for_member",
            _timed_async(service.CampaignService.campaign_id_for_member, parts["check"]),
        ),
        mock.patch.object(
            service, "parse_roster", _timed_sync(service.parse_roster, parts["parse"])
        ),
        mock.patch.object(
            service.CampaignService,
            "import_roster",
            _timed_async(service.CampaignService.import_roster, parts["import"]),
        ),
        mock.patch.object(api, "import_out", _timed_sync(api.import_out, parts["links out"])),
        mock.patch.object(
            AsyncSession, "commit", _timed_async(AsyncSession.commit, parts["commit"])
        ),
    ):
        yield parts


RESOURCE = """() => {
  // The upload is the first request to .../students after the values were sealed (the page
  // reads the list with GET before and after it; Resource Timing has no method).
  const sealed = performance.getEntriesByName('rz-sealed')[0].startTime;
  const r = performance.getEntriesByType('resource').find(e => e.name.endsWith('/students')
    && e.initiatorType === 'fetch' && e.startTime >= sealed);
  const upload = performance.getEntriesByName('rz-upload')[0];
  const s = (t) => (t - sealed) / 1000;
  return { fetch: s(r.startTime), request: s(r.requestStart), first: s(r.responseStart),
           last: s(r.responseEnd), done: s(upload.startTime + upload.duration),
           body: r.encodedBodySize };
}"""


def report(net: dict[str, Any], parts: dict[str, float], upload: float) -> None:
    """Print the split of `upload` (the page's "rz-upload" measure); `net` is what
    `RESOURCE` gave in the page: seconds after the "rz-sealed" mark; `parts` the import
    request's server parts (`_campaign_server.import_parts`)."""
    ms = {k: v * 1000 for k, v in net.items() if k != "body"}
    server = sum(parts[k] for k in ("check", "import", "links out", "commit"))
    print(f"  upload split ({upload * 1000:.0f} ms, 'rz-upload'), ms after the values are sealed:")
    print(
        f"    fetch() called {ms['fetch']:.0f}, request sent {ms['request']:.0f}, first answer "
        f"byte {ms['first']:.0f}, last {ms['last']:.0f} ({net['body']} bytes), answer parsed "
        f"{ms['done']:.0f}"
    )
    print(
        f"    in the server's code {server * 1000:.0f} ms: the caller's campaign "
        f"{parts['check'] * 1000:.0f} ms, CSV parse + checks "
        f"{parts['parse'] * 1000:.0f} ms, tokens/codes/ids + INSERT "
        f"{(parts['import'] - parts['parse']) * 1000:.0f} ms, links out "
        f"{parts['links out'] * 1000:.0f} ms, commit {parts['commit'] * 1000:.0f} ms"
    )
