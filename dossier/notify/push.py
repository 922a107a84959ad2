"""Web Push (RFC 8030) with VAPID (RFC 8292) and an `aes128gcm` payload (RFC 8291), through
pywebpush. The payload names only the purpose (`news`, `security`): the push service relays
an encrypted blob it cannot read, and even a reader would learn nothing about the dossier."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid
from pywebpush import WebPushException, webpush_async

from dossier.notify.models import PushSubscription

GONE = frozenset({404, 410})


def vapid_key(private_key: str) -> Vapid:
    """PEM (armour and line breaks are dropped), base64 DER, or the raw key in base64url."""
    body = "".join(
        line.strip() for line in private_key.strip().splitlines() if not line.startswith("-----")
    )
    return Vapid.from_string(private_key=body)


def application_server_key(private_key: str) -> str:
    """The VAPID public key a browser subscribes with (uncompressed P-256 point, base64url)."""
    vapid = vapid_key(private_key)
    raw = vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class PushGone(Exception):
    """The push service says the subscription no longer exists: delete it."""


@dataclass(frozen=True, slots=True)
class PushSender:
    """`private_key` is the VAPID key as pywebpush reads it (PEM text, DER or the raw 32-byte
    key, base64url); `subject` is a `mailto:` or `https:` contact for the push services."""

    private_key: str
    subject: str
    timeout: float = 10.0
    ttl: int = 24 * 3600

    async def send(self, subscription: PushSubscription, purpose: str) -> None:
        """Deliver, or raise `PushGone` (404/410) or any other error (retried later)."""
        info = {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        }
        try:
            await webpush_async(
                info,
                data=json.dumps({"v": 1, "type": purpose}),
                vapid_private_key=vapid_key(self.private_key),
                vapid_claims={"sub": self.subject},
                timeout=self.timeout,
                ttl=self.ttl,
            )
        except WebPushException as exc:
            if exc.status_code in GONE:
                raise PushGone from exc
            raise
