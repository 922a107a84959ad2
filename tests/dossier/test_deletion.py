""" "Verwijder mijn rugzak" against SQLite and PostgreSQL, rolled back per test: with the right
login proof the key material is overwritten before any row goes, then every row of the account
and its dossier goes (ciphertext and blobs too); other accounts keep everything."""

import os
import uuid
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import event, func, select

from consent.requests import schemas as rs
from consent.requests.service import RequestService
from dossier import crypto
from dossier.accounts.models import Account, LoginSession
from dossier.accounts.service import AccountService, SessionService
from dossier.blobs.backends import DatabaseBlobStore, FilesystemBlobStore
from dossier.blobs.models import Blob, BlobChunk
from dossier.db import Base
from dossier.deletion import delete_account
from dossier.documents import DocumentService
from dossier.errors import InvalidCredentials, InvalidInput, NotFound
from dossier.sections.models import Entry, Section
from tests.consent.caseload.world import Youth, connect, pro, share, write, youth
from tests.support.factories import row_counts, sealed_entry


async def with_login(db, person) -> bytes:
    """Give the account a real Argon2id hash of a login proof; returns the proof."""
    auth_key = os.urandom(32)
    person.account.auth_hash = crypto.hash_auth_key(auth_key)
    await db.flush()
    return auth_key


def database_store(db):
    @asynccontextmanager
    async def same_transaction():
        yield db

    return DatabaseBlobStore(same_transaction)


async def full_rugzak(db, blobs) -> Youth:
    """A youth with entries, a document, a grant, a connection, a request, log events and a
    login session: everything deletion must take away."""
    owner = await youth(db, keys=("plan", "documenten"))
    coach = await pro(db)
    await connect(db, owner, coach)
    await share(db, owner, "plan", coach)
    await write(db, owner, "plan", {"tekst": "Mijn plan"})
    document = sealed_entry(owner.sections["documenten"], owner.id, owner.identity)

    async def ciphertext():
        yield os.urandom(70_000)

    await DocumentService(db, blobs, 1_000_000).upload(
        owner.sections["documenten"],
        owner.id,
        owner.account.sign_pk,
        document.to_json(),
        ciphertext(),
    )
    await RequestService(db).create(
        coach.id, owner.dossier_id, rs.NewRequest(sections=["werk"], purpose="Werk")
    )
    await SessionService(db, 3600, 7200).start(owner.id, "telefoon")
    return owner


async def rows_of(db, owner: Youth) -> dict[str, int]:
    """Rows in any table that name this account or its dossier."""
    found = {}
    for table in Base.metadata.sorted_tables:
        for column, value in (
            ("dossier_id", owner.dossier_id),
            ("account_id", owner.id),
            ("owner_id", owner.id),
            ("youth_id", owner.id),
            ("id", owner.id),
        ):
            if column in table.c:
                where = table.c[column] == value
                n = int(await db.scalar(select(func.count()).select_from(table).where(where)) or 0)
                if n:
                    found[f"{table.name}.{column}"] = n
    return found


async def everything_of(db, owner: Youth):
    account = await db.get_one(Account, owner.id)
    await db.refresh(account)
    sections = sorted(
        (
            await db.execute(
                select(Section.key, Section.owner_sealed_sk).where(
                    Section.dossier_id == owner.dossier_id
                )
            )
        )
        .tuples()
        .all()
    )
    entries = sorted(
        (
            await db.execute(
                select(Entry.id, Entry.payload).where(Entry.dossier_id == owner.dossier_id)
            )
        )
        .tuples()
        .all()
    )
    return (
        account.bundle,
        account.recovery_bundle,
        account.auth_hash,
        sections,
        entries,
        await rows_of(db, owner),
    )


async def test_deletion_with_the_right_proof_removes_every_row_of_account_and_dossier(db):
    blobs = database_store(db)
    owner = await full_rugzak(db, blobs)
    auth_key = await with_login(db, owner)
    before = await rows_of(db, owner)
    assert {"entry.dossier_id", "blob.dossier_id", "consent_grant.dossier_id"} <= set(before)
    blob_ids = list(await db.scalars(select(Blob.id).where(Blob.dossier_id == owner.dossier_id)))
    await delete_account(AccountService(db), blobs, owner.id, crypto.b64e(auth_key))
    db.expunge_all()
    assert await rows_of(db, owner) == {}
    assert await db.scalar(select(func.count()).where(BlobChunk.blob_id.in_(blob_ids))) == 0


async def test_deletion_overwrites_the_key_material_before_any_row_is_deleted(db):
    blobs = database_store(db)
    owner = await full_rugzak(db, blobs)
    auth_key = await with_login(db, owner)
    statements: list[str] = []
    bind = (await db.connection()).sync_connection

    def seen(_conn, _cursor, statement, *_):
        statements.append(" ".join(statement.split()).lower())

    event.listen(bind, "before_cursor_execute", seen)
    try:
        await delete_account(AccountService(db), blobs, owner.id, crypto.b64e(auth_key))
    finally:
        event.remove(bind, "before_cursor_execute", seen)
    first_delete = next(i for i, s in enumerate(statements) if s.startswith("delete"))
    shreds = [s for s in statements[:first_delete] if s.startswith("update")]
    assert any(s.startswith("update account set") and "bundle" in s for s in shreds)
    assert any(s.startswith("update section set owner_sealed_sk") for s in shreds)
    assert any(s.startswith("update entry set payload") for s in shreds)


async def test_deletion_removes_the_document_files_of_a_filesystem_store(db, tmp_path):
    blobs = FilesystemBlobStore(tmp_path)
    owner = await full_rugzak(db, blobs)
    auth_key = await with_login(db, owner)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] != []
    await delete_account(AccountService(db), blobs, owner.id, crypto.b64e(auth_key))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


async def test_deletion_leaves_other_accounts_and_their_dossiers_untouched(db):
    blobs = database_store(db)
    owner, other = await full_rugzak(db, blobs), await full_rugzak(db, blobs)
    auth_key = await with_login(db, owner)
    kept = await everything_of(db, other)
    await delete_account(AccountService(db), blobs, owner.id, crypto.b64e(auth_key))
    db.expunge_all()
    assert await everything_of(db, other) == kept


async def test_deletion_with_a_wrong_proof_deletes_and_overwrites_nothing(db):
    blobs = database_store(db)
    owner = await full_rugzak(db, blobs)
    await with_login(db, owner)
    kept, counts = await everything_of(db, owner), await row_counts(db)
    with pytest.raises(InvalidCredentials):
        await delete_account(AccountService(db), blobs, owner.id, crypto.b64e(os.urandom(32)))
    assert await everything_of(db, owner) == kept
    assert await row_counts(db) == counts
    with pytest.raises(InvalidInput):
        await delete_account(AccountService(db), blobs, owner.id, "geen-sleutel")
    assert await row_counts(db) == counts


async def test_deletion_of_an_unknown_account_is_not_found(db):
    before = await row_counts(db)
    with pytest.raises(NotFound):
        await delete_account(AccountService(db), database_store(db), uuid.uuid4(), "x")
    assert await row_counts(db) == before


async def test_a_professional_can_delete_their_account_and_sessions(db):
    coach = await pro(db)
    auth_key = await with_login(db, coach)
    await SessionService(db, 3600, 7200).start(coach.id, "laptop")
    await delete_account(AccountService(db), database_store(db), coach.id, crypto.b64e(auth_key))
    db.expunge_all()
    assert await db.get(Account, coach.id) is None
    assert await db.scalar(select(func.count()).where(LoginSession.account_id == coach.id)) == 0
