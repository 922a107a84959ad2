"""Sign-in attempts in flight: kept in the shared key-value store (the `kv_store` table, so any
app server can finish what another started) for at most ten minutes, behind an opaque random
id in an HttpOnly cookie. Taking an attempt deletes it: each is used once."""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from litestar.stores.base import NamespacedStore, Store

from web.oidc.relying_party import Attempt
from web.ratelimit import STORE

COOKIE = "rugzak_oidc"
COOKIE_PATH = "/inloggen/sso"
TTL_SECONDS = 600


@dataclass(frozen=True, slots=True)
class Flow:
    org_id: str
    intent: str
    """"login" (sign in as the linked account) or "link" (link the account that started it)."""
    account_id: str | None
    attempt: Attempt


def _store(request: Request[Any, Any, Any]) -> Store:
    store = request.app.stores.get(STORE)
    return store.with_namespace("oidc") if isinstance(store, NamespacedStore) else store


async def begin(request: Request[Any, Any, Any], flow: Flow, *, secure: bool) -> Cookie:
    key = secrets.token_urlsafe(32)
    value = {**asdict(flow), "attempt": asdict(flow.attempt)}
    await _store(request).set(key, json.dumps(value), expires_in=TTL_SECONDS)
    # Lax, not Strict: the provider sends the browser back with a top-level cross-site GET.
    return Cookie(
        key=COOKIE,
        value=key,
        path=COOKIE_PATH,
        httponly=True,
        secure=secure,
        samesite="lax",
        max_age=TTL_SECONDS,
    )


async def take(request: Request[Any, Any, Any]) -> Flow | None:
    key = request.cookies.get(COOKIE)
    if not key or len(key) > 64:
        return None
    store = _store(request)
    raw = await store.get(key)
    if raw is None:
        return None
    await store.delete(key)
    data = json.loads(raw)
    uuid.UUID(data["org_id"])
    return Flow(
        org_id=data["org_id"],
        intent=data["intent"],
        account_id=data["account_id"],
        attempt=Attempt(**data["attempt"]),
    )
