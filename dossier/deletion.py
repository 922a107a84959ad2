""" "Verwijder mijn rugzak": crypto-shredding first, then the rows, in one transaction.

The key material (sealed bundles, the owner's sealed section keys) is overwritten before any
row is deleted, then the ciphertext and the rows go. What a backup taken earlier still holds
is ciphertext plus bundles sealed under keys only the passphrase or recovery code can make.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select, update

from dossier import crypto
from dossier.accounts.models import Account, LoginSession
from dossier.accounts.service import AccountService, decode_key
from dossier.blobs.backends import BlobStore
from dossier.blobs.models import Blob
from dossier.errors import InvalidCredentials
from dossier.notify.models import MailAddress
from dossier.sections.models import Dossier, Entry, Section

SHREDDED = {"shredded": True}


async def delete_account(
    accounts: AccountService, blobs: BlobStore, account_id: uuid.UUID, auth_key: str
) -> None:
    db = accounts.db
    account = await accounts.get(account_id)
    if not crypto.verify_auth_key(account.auth_hash, decode_key(auth_key, "auth_key")):
        raise InvalidCredentials
    dossier_ids = select(Dossier.id).where(Dossier.owner_id == account_id)
    await db.execute(
        update(Account)
        .where(Account.id == account_id)
        .values(bundle=SHREDDED, recovery_bundle=SHREDDED, auth_hash="", recovery_auth_hash="")
    )
    await db.execute(
        update(Section).where(Section.dossier_id.in_(dossier_ids)).values(owner_sealed_sk=b"")
    )
    await db.execute(
        update(Entry).where(Entry.dossier_id.in_(dossier_ids)).values(payload='{"shredded":true}')
    )
    for blob_id in (
        await db.scalars(select(Blob.id).where(Blob.dossier_id.in_(dossier_ids)))
    ).all():
        await blobs.delete(db, blob_id)
    await db.flush()
    await db.execute(delete(Blob).where(Blob.dossier_id.in_(dossier_ids)))
    await db.execute(delete(Entry).where(Entry.dossier_id.in_(dossier_ids)))
    await db.execute(delete(Section).where(Section.dossier_id.in_(dossier_ids)))
    await db.execute(delete(Dossier).where(Dossier.owner_id == account_id))
    await db.execute(delete(LoginSession).where(LoginSession.account_id == account_id))
    await db.execute(delete(MailAddress).where(MailAddress.account_id == account_id))
    await db.execute(delete(Account).where(Account.id == account_id))
    await db.flush()
