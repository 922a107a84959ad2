"""Login throttling, per client address (Litestar's rate-limit middleware) and per account name
(a counter in the same store). The store is the shared `kv_store` table, so the limit holds
across any number of app servers."""

from __future__ import annotations

import time
from typing import Any

from litestar import Request
from litestar.middleware.rate_limit import RateLimitConfig

from dossier.errors import TooManyAttempts

STORE = "rate_limit"
WINDOW = 60


def address_rate_limit(per_minute: int) -> RateLimitConfig:
    return RateLimitConfig(rate_limit=("minute", per_minute), store=STORE)


async def account_throttle(request: Request[Any, Any, Any], username: str) -> None:
    """Count an attempt for `username`; refuse once the minute's budget is spent."""
    store = request.app.stores.get(STORE)
    limit = request.app.state.settings.login_rate_per_minute
    key = f"account:{username}"
    now = int(time.time())
    raw = await store.get(key)
    start, count = (now, 0)
    if raw is not None:
        saved_start, saved_count = (int(x) for x in raw.decode().split(":"))
        if now - saved_start < WINDOW:
            start, count = saved_start, saved_count
    left = WINDOW - (now - start) or 1
    if count >= limit:
        raise TooManyAttempts("too many attempts for this account", retry_after=left)
    await store.set(key, f"{start}:{count + 1}", expires_in=left)
