"""Web Push subscriptions, one per device. The worker POSTs to the endpoint a browser gave, so
only an https address with a host name is accepted (no IP literal, no other scheme): the
server must not become a way to reach its own network. Tests allow plain-http loopback."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import uuid
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from dossier.notify.errors import BadPushSubscription
from dossier.notify.models import PushSubscription

MAX_DEVICES = 10
P256_POINT = 65
AUTH_SECRET = 16


def _b64(value: str, size: int) -> str:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise BadPushSubscription("keys are base64url") from exc
    if len(raw) != size:
        raise BadPushSubscription("a key has the wrong length")
    return value


def checked_endpoint(endpoint: str, *, loopback_http: bool) -> str:
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if loopback_http and parts.scheme == "http" and host in {"127.0.0.1", "localhost"}:
        return endpoint
    try:
        ipaddress.ip_address(host)
    except ValueError:
        literal = False
    else:
        literal = True
    if parts.scheme != "https" or not host or literal or len(endpoint) > 2000:
        raise BadPushSubscription("a push endpoint is an https address")
    return endpoint


class DeviceService:
    def __init__(self, session: AsyncSession, *, loopback_http: bool = False) -> None:
        self.db = session
        self.loopback_http = loopback_http

    async def subscribe(
        self, account_id: uuid.UUID, endpoint: str, p256dh: str, auth: str
    ) -> PushSubscription:
        """The same endpoint again replaces its keys; past `MAX_DEVICES` the oldest goes."""
        endpoint = checked_endpoint(endpoint, loopback_http=self.loopback_http)
        p256dh, auth = _b64(p256dh, P256_POINT), _b64(auth, AUTH_SECRET)
        await self.unsubscribe(account_id, endpoint)
        rows = list(
            await self.db.scalars(
                select(PushSubscription)
                .where(PushSubscription.account_id == account_id)
                .order_by(PushSubscription.created_at.desc())
            )
        )
        for old in rows[MAX_DEVICES - 1 :]:
            await self.db.delete(old)
        row = PushSubscription(account_id=account_id, endpoint=endpoint, p256dh=p256dh, auth=auth)
        self.db.add(row)
        await self.db.flush()
        return row

    async def unsubscribe(self, account_id: uuid.UUID, endpoint: str) -> None:
        await self.db.execute(
            delete(PushSubscription).where(
                PushSubscription.account_id == account_id, PushSubscription.endpoint == endpoint
            )
        )
        await self.db.flush()
