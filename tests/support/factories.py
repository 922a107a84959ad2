"""Rows for service-level tests: an account with real public keys and no login secrets."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from dossier import crypto
from dossier.accounts.models import Account


def account_row(identity: crypto.Identity | None = None, kind: str = "professional") -> Account:
    identity = identity or crypto.Identity.generate()
    return Account(
        id=uuid.uuid4(),
        username=f"p{uuid.uuid4().hex[:12]}",
        kind=kind,
        birth_date=None,
        kdf={},
        auth_hash="x",
        recovery_auth_hash="x",
        bundle={},
        recovery_bundle={},
        box_pk=identity.public.box_pk,
        sign_pk=identity.public.sign_pk,
    )


async def add_account(
    db: AsyncSession, identity: crypto.Identity | None = None, kind: str = "professional"
) -> Account:
    row = account_row(identity, kind)
    db.add(row)
    await db.flush()
    return row
