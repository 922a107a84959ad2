"""E-mail opt-in: add an address, confirm it (double opt-in), choose how often, remove it.

The address is the one plaintext personal datum notifications need. It is never logged and
never leaves this table except as the envelope recipient of a notice. Adding one queues a
confirmation mail; until the link in it is used, no notice goes to that address."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from dossier.db import utcnow
from dossier.errors import TooManyAttempts
from dossier.notify.errors import BadMailAddress, MailLinkUnknown
from dossier.notify.models import MailAddress, Outbox
from dossier.notify.outbox import confirmation

Mode = Literal["direct", "daily", "never"]
MODES: tuple[Mode, ...] = ("direct", "daily", "never")
# One local part, one domain with a dot; no spaces, no second @, no header-breaking characters.
ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"\\]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


RESEND_AFTER = dt.timedelta(minutes=1)


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


@dataclass(frozen=True, slots=True)
class MailView:
    address: str
    confirmed: bool
    mode: Mode


class MailService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def get(self, account_id: uuid.UUID) -> MailView | None:
        row = await self.db.get(MailAddress, account_id)
        if row is None:
            return None
        mode: Mode = row.mode  # type: ignore[assignment]
        return MailView(row.address, row.confirmed_at is not None, mode)

    async def add(self, account_id: uuid.UUID, address: str) -> MailView:
        """A new (or another) address replaces the old one, unconfirmed, and queues one
        confirmation mail; earlier unsent confirmations are dropped."""
        address = address.strip()
        if len(address) > 254 or not ADDRESS.match(address):
            raise BadMailAddress("not an e-mail address")
        previous = await self.db.get(MailAddress, account_id)
        if previous is not None and previous.created_at > utcnow() - RESEND_AFTER:
            # Each address queues a mail to someone: no loop of confirmations to a stranger.
            raise TooManyAttempts("one new address a minute", int(RESEND_AFTER.total_seconds()))
        await self.remove(account_id)
        self.db.add(
            MailAddress(
                account_id=account_id,
                address=address,
                mode="direct",
                confirm_hash=None,
                confirmed_at=None,
                unsubscribe_token=secrets.token_urlsafe(32),
            )
        )
        self.db.add(confirmation(account_id))
        await self.db.flush()
        return MailView(address, confirmed=False, mode="direct")

    async def confirm(self, token: str) -> None:
        mail = await self.db.scalar(
            select(MailAddress).where(MailAddress.confirm_hash == token_hash(token))
        )
        if mail is None:
            raise MailLinkUnknown("no address waits for this link")
        mail.confirmed_at = utcnow()
        mail.confirm_hash = None
        await self.db.flush()

    async def set_mode(self, account_id: uuid.UUID, mode: str) -> MailView:
        mail = await self.db.get(MailAddress, account_id)
        if mail is None:
            raise MailLinkUnknown("no address")
        if mode not in MODES:
            raise BadMailAddress("mode is direct, daily or never")
        mail.mode = mode
        await self.db.flush()
        return MailView(mail.address, mail.confirmed_at is not None, mode)

    async def remove(self, account_id: uuid.UUID) -> None:
        """The address and every mail still queued for it go; in-app notices stay."""
        await self.db.execute(
            delete(Outbox).where(
                Outbox.account_id == account_id,
                Outbox.channel == "email",
                Outbox.sent_at.is_(None),
            )
        )
        await self.db.execute(delete(MailAddress).where(MailAddress.account_id == account_id))
        await self.db.flush()

    async def unsubscribe(self, token: str) -> None:
        """RFC 8058 one-click: the token in the message removes the address, nothing else."""
        account_id = await self.db.scalar(
            select(MailAddress.account_id).where(MailAddress.unsubscribe_token == token)
        )
        if account_id is None:
            raise MailLinkUnknown("no address for this link")
        await self.remove(account_id)
