"""Rows for service-level tests: an account with real public keys and no login secrets."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.grants.schemas import GranteeKind, GrantIn
from dossier import crypto
from dossier.accounts.models import Account
from dossier.db import Base
from dossier.notify.models import MailAddress


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


# -- direct service tests (tests/consent/grants, tests/consent/requests, tests/dossier) ---------


async def row_counts(db: AsyncSession) -> dict[str, int]:
    """Rows per table: a refusal test compares this before and after to show nothing was
    written (the query autoflushes, so an object added but not flushed counts too)."""
    counts = {}
    for table in Base.metadata.sorted_tables:
        counts[table.name] = int(await db.scalar(select(func.count()).select_from(table)) or 0)
    return counts


def grant_in(
    owner: crypto.Identity,
    *,
    dossier: str,
    section: str,
    grantee_id: str,
    grantee: crypto.PublicIdentity,
    section_sk: bytes | None,
    grantee_kind: GranteeKind = "person",
    permissions: tuple[str, ...] = ("read",),
    days: float = 300,
    key_version: int = 1,
    renewed_past_27: bool = False,
    grant_id: str | None = None,
    purpose: str = "Begeleiding naar werk",
):
    """One grant as the owner's client makes it (dossier/client/grants.py: grant_item): a
    receipt signed by `owner`, and for read the section private key sealed to the grantee."""
    grant_id = grant_id or str(uuid.uuid4())
    now = dt.datetime.now(dt.UTC)
    receipt = crypto.sign_receipt(
        owner,
        grant=grant_id,
        dossier=dossier,
        section=section,
        grantee=grantee_id,
        grantee_key_fingerprint=grantee.fingerprint(),
        permissions=sorted(permissions),
        purpose=purpose,
        issued_at=now - dt.timedelta(seconds=1),
        expires_at=now + dt.timedelta(days=days),
        key_version=key_version,
    )
    envelope = None
    if "read" in permissions and section_sk is not None:
        envelope = crypto.b64e(crypto.seal_to(grantee.box_pk, section_sk))
    return GrantIn(
        id=grant_id,
        section=section,
        grantee_kind=grantee_kind,
        grantee_id=grantee_id,
        receipt=receipt.to_json(),
        envelope=envelope,
        renewed_past_27=renewed_past_27,
    )


def sealed_entry(
    section,
    author_id: uuid.UUID,
    author: crypto.Identity,
    body: dict[str, object] | None = None,
    *,
    entry: str | None = None,
    version: int = 1,
) -> crypto.SealedEntry:
    """An entry version sealed by `author` to the section's owner-signed key, as the client
    seals it (`SectionsClient.write`); `section` is a `dossier.sections.models.Section`."""
    signed = crypto.SignedSectionKey.from_json(section.signed_key)
    return crypto.seal_entry(
        body or {"tekst": "Gesprek over een stageplek bij de bakker."},
        dossier=signed.dossier,
        section=signed.section,
        entry=entry or str(uuid.uuid4()),
        version=version,
        author_id=str(author_id),
        author=author,
        section_key=signed,
    )


async def mail_recipients(db: AsyncSession, n: int, mode: str = "direct") -> list[uuid.UUID]:
    """`n` accounts with a confirmed address each (`p{i}@example.test`), for the worker."""
    rows = [account_row() for _ in range(n)]
    db.add_all(rows)
    await db.flush()
    now = dt.datetime.now(dt.UTC)
    db.add_all(
        MailAddress(
            account_id=r.id,
            address=f"p{i}@example.test",
            mode=mode,
            confirmed_at=now,
            unsubscribe_token=uuid.uuid4().hex,
        )
        for i, r in enumerate(rows)
    )
    await db.flush()
    return [r.id for r in rows]
