"""The youth's side of recovery: choosing contacts (a signed setup), removing one, and the
yearly check of the recovery code.

Security invariants: the server checks the youth's signature over the setup, that every named
contact is an active connection whose key has the fingerprint the youth signed, and that each
sealed share hashes to what the youth signed, so the server cannot add a contact of its own.
It keeps its share in the clear; alone it opens nothing (docs/crypto.md "Recovery contact").
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from consent.connections.models import Connection
from consent.log.actions import LogAction
from consent.log.service import LogService, event_out
from consent.recovery import schemas as s
from consent.recovery.models import RecoveryRequest, RecoverySetup, RecoveryShare
from dossier import crypto
from dossier.accounts.models import Account
from dossier.accounts.service import checked_bundle, decode_key
from dossier.crypto import recovery as rc
from dossier.db import changed_rows
from dossier.errors import Conflict, Forbidden, InvalidCredentials, InvalidInput, NotFound
from dossier.notify.outbox import enqueue
from dossier.sections.models import Dossier

Clock = Callable[[], dt.datetime]
CODE_CHECK_EVERY = dt.timedelta(days=365)
REQUEST_DAYS = 14
"""A waiting request that no contact approved ends this long after it started."""


def decode(value: str, what: str, length: int) -> bytes:
    try:
        raw = crypto.b64d(value)
    except crypto.CryptoError as exc:
        raise InvalidInput(f"{what} is not unpadded base64url") from exc
    if len(raw) != length:
        raise InvalidInput(f"{what} must be {length} bytes")
    return raw


def identity_json(account: Account) -> dict[str, object]:
    return crypto.PublicIdentity(box_pk=account.box_pk, sign_pk=account.sign_pk).to_json()


async def receipt(
    db: AsyncSession, youth: uuid.UUID, actor: uuid.UUID | str, action: LogAction, now: dt.datetime
) -> s.ReceiptOut:
    """The step's access-log event in the youth's dossier (none without a dossier)."""
    dossier_id = await db.scalar(select(Dossier.id).where(Dossier.owner_id == youth))
    if dossier_id is None:
        return s.ReceiptOut(receipt=None)
    event = await LogService(db).record(dossier_id, actor, action, at=now)
    return s.ReceiptOut(receipt=event_out(event))


async def checked_setup(
    db: AsyncSession, youth: Account, data: s.SetupIn
) -> tuple[RecoverySetup, list[RecoveryShare]]:
    """Every rule of a setup, checked before anything is stored."""
    try:
        record = rc.RecoverySetup.from_json(data.setup)
        record.verify(youth.sign_pk)
        bundle = crypto.SealedBundle.from_json(data.bundle)
    except crypto.CryptoError as exc:
        raise InvalidInput("setup is malformed or not signed by you") from exc
    setup_id = _uuid(record.setup, "setup")
    if record.account != str(youth.id):
        raise InvalidInput("setup names another account")
    if await db.get(RecoverySetup, setup_id) is not None:
        raise Conflict("this setup id was used before")
    sealed = {share.contact: decode(share.sealed, "sealed share", 80) for share in data.shares}
    if len(sealed) != len(data.shares) or set(sealed) != {c.account for c in record.contacts}:
        raise InvalidInput("one sealed share per contact of the setup")
    shares = []
    for contact in record.contacts:
        account = await _connected(db, youth.id, _uuid(contact.account, "contact"))
        public = crypto.PublicIdentity(box_pk=account.box_pk, sign_pk=account.sign_pk)
        if public.fingerprint() != contact.fingerprint:
            raise InvalidInput("a contact's key is not the one you compared")
        if rc.share_hash(sealed[contact.account]) != contact.share_sha256:
            raise InvalidInput("a sealed share is not the one you signed")
        shares.append(
            RecoveryShare(setup_id=setup_id, contact_id=account.id, sealed=sealed[contact.account])
        )
    setup = RecoverySetup(
        id=setup_id,
        account_id=youth.id,
        record=record.to_json(),
        server_share=decode(data.server_share, "server_share", rc.SHARE_BYTES),
        bundle=checked_bundle(bundle.to_json()),
        wait_seconds=record.wait_seconds,
    )
    return setup, shares


def _uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise InvalidInput(f"{what} is not a UUID") from exc


async def _connected(db: AsyncSession, youth: uuid.UUID, contact: uuid.UUID) -> Account:
    account = await db.scalar(
        select(Account)
        .join(Connection, Connection.professional_id == Account.id)
        .where(
            Connection.youth_id == youth,
            Connection.professional_id == contact,
            Connection.ended_at.is_(None),
        )
    )
    if account is None:
        raise Forbidden("a recovery contact must be one of your connections")
    return account


async def store_setup(
    db: AsyncSession, setup: RecoverySetup, shares: list[RecoveryShare], now: dt.datetime
) -> None:
    """Replace the account's setup (its shares go with it)."""
    await db.execute(delete(RecoverySetup).where(RecoverySetup.account_id == setup.account_id))
    setup.created_at = now
    db.add(setup)
    await db.flush()
    db.add_all(shares)
    await db.flush()


class SetupService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.db = session
        self.now = clock

    async def _youth(self, account_id: uuid.UUID) -> Account:
        account = await self.db.get_one(Account, account_id)
        if account.kind != "youth":
            raise Forbidden("only a youth sets up recovery contacts")
        return account

    async def set_up(self, youth_id: uuid.UUID, data: s.SetupIn) -> s.ReceiptOut:
        """A new setup replaces the old one; refused while a request is waiting (it would
        change the shares under it: stop that request first)."""
        youth = await self._youth(youth_id)
        now = self.now()
        waiting = await self.db.scalar(
            select(RecoveryRequest.id).where(
                RecoveryRequest.account_id == youth_id,
                RecoveryRequest.state.in_(("waiting", "released")),
                RecoveryRequest.expires_at > now,
            )
        )
        if waiting is not None:
            raise Conflict("a recovery request is waiting: stop it first")
        setup, shares = await checked_setup(self.db, youth, data)
        await store_setup(self.db, setup, shares, now)
        return await receipt(self.db, youth_id, youth_id, LogAction.RECOVERY_SETUP, now)

    async def status(self, youth_id: uuid.UUID) -> s.SetupOut:
        account = await self.db.get_one(Account, youth_id)
        setup = await self.db.scalar(
            select(RecoverySetup).where(RecoverySetup.account_id == youth_id)
        )
        contacts: list[s.ContactOut] = []
        if setup is not None:
            rows = await self.db.execute(
                select(RecoveryShare, Account)
                .join(Account, Account.id == RecoveryShare.contact_id)
                .where(RecoveryShare.setup_id == setup.id)
            )
            for share, contact in rows.tuples():
                public = crypto.PublicIdentity(box_pk=contact.box_pk, sign_pk=contact.sign_pk)
                contacts.append(
                    s.ContactOut(
                        account=str(contact.id),
                        fingerprint=crypto.format_fingerprint(public.fingerprint()),
                        revoked=share.revoked_at is not None,
                    )
                )
        now = self.now()
        requests = await self.db.scalars(
            select(RecoveryRequest)
            .where(
                RecoveryRequest.account_id == youth_id,
                RecoveryRequest.state.in_(("waiting", "released")),
                RecoveryRequest.expires_at > now,
            )
            .order_by(RecoveryRequest.started_at)
        )
        checked = account.recovery_checked_at or account.created_at
        return s.SetupOut(
            setup=None if setup is None else setup.record,
            wait_seconds=None if setup is None else setup.wait_seconds,
            stale=setup is not None and setup.stale_at is not None,
            contacts=contacts,
            requests=[request_out(r) for r in requests],
            code_checked_at=account.recovery_checked_at,
            code_check_due=now - checked >= CODE_CHECK_EVERY,
        )

    async def remove_contact(self, youth_id: uuid.UUID, contact_id: uuid.UUID) -> s.ReceiptOut:
        await self._youth(youth_id)
        if not await revoke_contact(self.db, youth_id, contact_id, self.now()):
            raise NotFound("recovery contact")
        return await receipt(
            self.db, youth_id, youth_id, LogAction.RECOVERY_CONTACT_REMOVE, self.now()
        )

    # -- the recovery code -------------------------------------------------------------------

    async def code(self, youth_id: uuid.UUID) -> s.CodeOut:
        """The recovery-code copy of the bundle, for the yearly check: the device opens it
        with the typed code, so the code never leaves the device."""
        account = await self.db.get_one(Account, youth_id)
        checked = account.recovery_checked_at or account.created_at
        return s.CodeOut(
            recovery_bundle=account.recovery_bundle,
            checked_at=account.recovery_checked_at,
            due=self.now() - checked >= CODE_CHECK_EVERY,
        )

    async def code_checked(self, youth_id: uuid.UUID) -> s.ReceiptOut:
        account = await self.db.get_one(Account, youth_id)
        account.recovery_checked_at = self.now()
        await self.db.flush()
        return await receipt(self.db, youth_id, youth_id, LogAction.RECOVERY_CODE_CHECK, self.now())

    async def new_code(self, youth_id: uuid.UUID, data: s.NewCodeIn) -> s.ReceiptOut:
        """A new recovery code (proved by the passphrase's login proof); the old one stops
        working because its hash is replaced."""
        account = await self.db.get_one(Account, youth_id)
        if not crypto.verify_auth_key(account.auth_hash, decode_key(data.auth_key, "auth_key")):
            raise InvalidCredentials
        bundle = checked_bundle(data.recovery_bundle)
        account.recovery_auth_hash = crypto.hash_auth_key(
            decode_key(data.recovery_auth_key, "recovery_auth_key")
        )
        account.recovery_bundle = bundle
        account.recovery_checked_at = self.now()
        await self.db.flush()
        await enqueue(self.db, youth_id, "recovery-code", uuid.uuid4())
        return await receipt(self.db, youth_id, youth_id, LogAction.RECOVERY_CODE_NEW, self.now())


def request_out(row: RecoveryRequest) -> s.RequestOut:
    return s.RequestOut(
        id=str(row.id),
        state=row.state,
        started_at=row.started_at,
        not_before=row.not_before,
        approved=row.resealed is not None,
    )


async def revoke_contact(
    db: AsyncSession, youth_id: uuid.UUID, contact_id: uuid.UUID, now: dt.datetime
) -> bool:
    """The contact's share is revoked, the setup marked stale (the youth must rotate: the
    removed contact may have kept the contact share), and an approval by that contact on a
    waiting request is taken back. False when the contact held no live share."""
    setup = await db.scalar(select(RecoverySetup).where(RecoverySetup.account_id == youth_id))
    if setup is None:
        return False
    revoked = await changed_rows(
        db,
        update(RecoveryShare)
        .where(
            RecoveryShare.setup_id == setup.id,
            RecoveryShare.contact_id == contact_id,
            RecoveryShare.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False),
    )
    if revoked == 0:
        return False
    setup.stale_at = now
    await db.execute(
        update(RecoveryRequest)
        .where(
            RecoveryRequest.account_id == youth_id,
            RecoveryRequest.state == "waiting",
            RecoveryRequest.approved_by == contact_id,
        )
        .values(approved_by=None, approved_at=None, resealed=None, challenge=None)
        .execution_options(synchronize_session=False)
    )
    await db.flush()
    return True
