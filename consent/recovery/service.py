"""A recovery request, from the new device's "Ik kom er niet meer in" to the new passphrase.

Security invariants, enforced here by the server's own clock (`clock`, injectable for tests):
the server's share and the re-sealed contact share are released together, to the holder of the
request token only, and only after a live contact approved and `not_before` has passed; a veto
from any of the youth's sessions ends the request. A contact approves only the challenge it
picked itself (the short code the two people compared), so an approval for another device key
fails. The server never sees the contact share in the clear: it is re-sealed by the contact's
app to the device's key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from consent.log.actions import LogAction
from consent.recovery import schemas as s
from consent.recovery.errors import (
    NotAContact,
    RecoveryEnded,
    RecoveryUnavailable,
    RecoveryWaiting,
    ShortCodeMismatch,
)
from consent.recovery.models import RecoveryRequest, RecoverySetup, RecoveryShare
from consent.recovery.setup import (
    REQUEST_DAYS,
    Clock,
    checked_setup,
    decode,
    identity_json,
    receipt,
    store_setup,
)
from dossier import crypto
from dossier.accounts.models import Account, LoginSession
from dossier.accounts.service import AccountService, checked_bundle, decode_key
from dossier.crypto import recovery as rc
from dossier.errors import Conflict, Forbidden
from dossier.notify.outbox import enqueue, enqueue_many


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class RecoveryService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.db = session
        self.now = clock

    # -- the new device ----------------------------------------------------------------------

    async def start(self, data: s.StartIn) -> s.StartOut:
        """Warns the youth on every channel and asks the contacts for help. One waiting
        request per account: a second is refused until the first is stopped or expires."""
        device_pk = decode(data.device_pk, "device_pk", 32)
        account = await AccountService(self.db).by_username(data.username)
        setup = None
        if account is not None:
            setup = await self.db.scalar(
                select(RecoverySetup).where(RecoverySetup.account_id == account.id)
            )
        if account is None or setup is None:
            raise RecoveryUnavailable("no recovery contact is set up for this name")
        now = self.now()
        if await self._live(account.id, now) is not None:
            raise Conflict("a recovery request is already waiting")
        await self.db.execute(
            update(RecoveryRequest)
            .where(
                RecoveryRequest.account_id == account.id,
                RecoveryRequest.state.in_(("waiting", "released")),
                RecoveryRequest.expires_at <= now,
            )
            .values(state="expired", ended_at=now)
            .execution_options(synchronize_session=False)
        )
        token = secrets.token_urlsafe(32)
        request = RecoveryRequest(
            id=uuid.uuid4(),
            account_id=account.id,
            setup_id=setup.id,
            token_hash=_hash(token),
            device_pk=device_pk,
            state="waiting",
            started_at=now,
            not_before=now + dt.timedelta(seconds=setup.wait_seconds),
            expires_at=now + dt.timedelta(days=REQUEST_DAYS),
        )
        try:
            async with self.db.begin_nested():  # a racing start hits the unique index
                self.db.add(request)
                await self.db.flush()
        except IntegrityError as exc:
            raise Conflict("a recovery request is already waiting") from exc
        await receipt(self.db, account.id, "device", LogAction.RECOVERY_START, now)
        await enqueue(self.db, account.id, "recovery-start", request.id)
        await enqueue_many(self.db, await self._contacts(setup.id), "recovery-help", request.id)
        return s.StartOut(id=str(request.id), token=token, not_before=request.not_before)

    async def _live(self, account_id: uuid.UUID, now: dt.datetime) -> RecoveryRequest | None:
        live: RecoveryRequest | None = await self.db.scalar(
            select(RecoveryRequest).where(
                RecoveryRequest.account_id == account_id,
                RecoveryRequest.state.in_(("waiting", "released")),
                RecoveryRequest.expires_at > now,
            )
        )
        return live

    async def _contacts(self, setup_id: uuid.UUID) -> set[uuid.UUID]:
        rows = await self.db.scalars(
            select(RecoveryShare.contact_id).where(
                RecoveryShare.setup_id == setup_id, RecoveryShare.revoked_at.is_(None)
            )
        )
        return set(rows)

    async def _by_token(self, request_id: uuid.UUID, token: str) -> RecoveryRequest:
        request = await self.db.get(RecoveryRequest, request_id)
        if request is None or not hmac.compare_digest(request.token_hash, _hash(token)):
            raise RecoveryUnavailable("unknown recovery request")
        return request

    def _open(self, request: RecoveryRequest, *states: str) -> None:
        if request.state not in (states or ("waiting",)) or request.expires_at <= self.now():
            raise RecoveryEnded(f"this recovery request is {request.state}")

    async def device_status(self, request_id: uuid.UUID, token: str) -> s.DeviceStatusOut:
        request = await self._by_token(request_id, token)
        state = request.state
        if state in ("waiting", "released") and request.expires_at <= self.now():
            state = "expired"
        return s.DeviceStatusOut(
            id=str(request.id),
            state=state,
            not_before=request.not_before,
            now=self.now(),
            challenge=None if request.challenge is None else crypto.b64e(request.challenge),
            approved=request.resealed is not None,
        )

    async def release(self, request_id: uuid.UUID, token: str) -> s.ReleaseOut:
        """The server's share, the bundle copy and the re-sealed contact share, together."""
        request = await self._by_token(request_id, token)
        self._open(request, "waiting", "released")
        now = self.now()
        if request.resealed is None or request.approved_by is None:
            raise RecoveryWaiting("no contact has approved yet")
        if now < request.not_before:
            raise RecoveryWaiting("the waiting period is not over")
        setup = await self.db.get(RecoverySetup, request.setup_id) if request.setup_id else None
        if setup is None:
            raise RecoveryEnded("the recovery setup was replaced")
        account = await self.db.get_one(Account, request.account_id)
        if request.state == "waiting":
            request.state = "released"
            await self.db.flush()
            await receipt(self.db, account.id, "device", LogAction.RECOVERY_RELEASE, now)
        contacts = await self.db.scalars(
            select(Account)
            .join(RecoveryShare, RecoveryShare.contact_id == Account.id)
            .where(RecoveryShare.setup_id == setup.id, RecoveryShare.revoked_at.is_(None))
        )
        return s.ReleaseOut(
            account_id=str(account.id),
            username=account.username,
            identity=identity_json(account),
            setup=setup.record,
            server_share=crypto.b64e(setup.server_share),
            bundle=setup.bundle,
            resealed=crypto.b64e(request.resealed),
            contacts=[
                s.ContactIdentity(account=str(c.id), identity=identity_json(c)) for c in contacts
            ],
        )

    async def complete(self, request_id: uuid.UUID, token: str, data: s.CompleteIn) -> s.ReceiptOut:
        """New passphrase and recovery code, every session ended, the setup rotated (or
        removed when no contact is left): one transaction."""
        request = await self._by_token(request_id, token)
        self._open(request, "released")
        account = await self.db.get_one(Account, request.account_id)
        now = self.now()
        rotated = None
        if data.setup is not None:
            rotated = await checked_setup(self.db, account, data.setup)
        recovery_bundle = checked_bundle(data.recovery_bundle)
        AccountService(self.db).set_passphrase(account, data.kdf, data.auth_key, data.bundle)
        account.recovery_auth_hash = crypto.hash_auth_key(
            decode_key(data.recovery_auth_key, "recovery_auth_key")
        )
        account.recovery_bundle = recovery_bundle
        account.recovery_checked_at = now
        await self.db.execute(delete(LoginSession).where(LoginSession.account_id == account.id))
        if rotated is not None:
            await store_setup(self.db, *rotated, now)
        else:
            await self.db.execute(
                delete(RecoverySetup).where(RecoverySetup.account_id == account.id)
            )
        request.state, request.ended_at = "done", now
        await self.db.flush()
        await enqueue(self.db, account.id, "recovery", request.id)
        return await receipt(self.db, account.id, "device", LogAction.RECOVERY_COMPLETE, now)

    async def cancel(self, request_id: uuid.UUID, token: str) -> s.ReceiptOut:
        """ "Opnieuw beginnen" on the device that asked: the request ends (so a new one can
        start), the contacts hear it stopped. Only the holder of the request token can."""
        request = await self._by_token(request_id, token)
        self._open(request, "waiting", "released")
        now = self.now()
        request.state, request.ended_at = "cancelled", now
        request.resealed = None
        await self.db.flush()
        contacts = await self._contacts(request.setup_id) if request.setup_id else set()
        await enqueue_many(self.db, contacts, "recovery-veto", request.id)
        return await receipt(self.db, request.account_id, "device", LogAction.RECOVERY_CANCEL, now)

    # -- the youth's other devices -----------------------------------------------------------

    async def veto(self, youth_id: uuid.UUID, request_id: uuid.UUID) -> s.ReceiptOut:
        """ "Dit ben ik niet": the request ends, the contacts hear of it."""
        request = await self.db.get(RecoveryRequest, request_id)
        if request is None or request.account_id != youth_id:
            raise Forbidden("not your recovery request")
        self._open(request, "waiting", "released")
        now = self.now()
        request.state, request.ended_at = "vetoed", now
        request.resealed = None
        await self.db.flush()
        contacts = await self._contacts(request.setup_id) if request.setup_id else set()
        await enqueue_many(self.db, contacts, "recovery-veto", request.id)
        return await receipt(self.db, youth_id, youth_id, LogAction.RECOVERY_VETO, now)

    # -- the contact -------------------------------------------------------------------------

    async def asked(self, contact_id: uuid.UUID) -> list[s.HelpOut]:
        """Waiting requests of youths who chose me, with my sealed share."""
        rows = await self.db.execute(
            select(RecoveryRequest, RecoveryShare, RecoverySetup, Account)
            .join(RecoverySetup, RecoverySetup.id == RecoveryRequest.setup_id)
            .join(RecoveryShare, RecoveryShare.setup_id == RecoverySetup.id)
            .join(Account, Account.id == RecoveryRequest.account_id)
            .where(
                RecoveryShare.contact_id == contact_id,
                RecoveryShare.revoked_at.is_(None),
                RecoveryRequest.state == "waiting",
                RecoveryRequest.expires_at > self.now(),
            )
            .order_by(RecoveryRequest.started_at)
        )
        return [
            s.HelpOut(
                id=str(request.id),
                youth=str(youth.id),
                youth_identity=identity_json(youth),
                device_pk=crypto.b64e(request.device_pk),
                setup=setup.record,
                sealed=crypto.b64e(share.sealed),
                started_at=request.started_at,
                not_before=request.not_before,
                challenge=(
                    crypto.b64e(request.challenge)
                    if request.challenge is not None and request.challenge_by == contact_id
                    else None
                ),
                approved=request.resealed is not None,
            )
            for request, share, setup, youth in rows.tuples()
        ]

    async def _as_contact(self, contact_id: uuid.UUID, request_id: uuid.UUID) -> RecoveryRequest:
        request = await self.db.get(RecoveryRequest, request_id)
        share = None
        if request is not None and request.setup_id is not None:
            share = await self.db.scalar(
                select(RecoveryShare.id).where(
                    RecoveryShare.setup_id == request.setup_id,
                    RecoveryShare.contact_id == contact_id,
                    RecoveryShare.revoked_at.is_(None),
                )
            )
        if request is None or share is None:
            raise NotAContact("you are not a recovery contact for this request")
        self._open(request)
        return request

    async def challenge(
        self, contact_id: uuid.UUID, request_id: uuid.UUID, data: s.ChallengeIn
    ) -> None:
        """The contact's app picks a fresh challenge after it has seen the device key; the
        device shows the short code for it. A new challenge replaces the old one."""
        request = await self._as_contact(contact_id, request_id)
        request.challenge = decode(data.challenge, "challenge", rc.CHALLENGE_BYTES)
        request.challenge_by = contact_id
        await self.db.flush()

    async def approve(
        self, contact_id: uuid.UUID, request_id: uuid.UUID, data: s.ApproveIn
    ) -> s.ReceiptOut:
        request = await self._as_contact(contact_id, request_id)
        challenge = decode(data.challenge, "challenge", rc.CHALLENGE_BYTES)
        if (
            request.challenge is None
            or request.challenge_by != contact_id
            or not hmac.compare_digest(request.challenge, challenge)
        ):
            raise ShortCodeMismatch("approve the challenge your app made for this request")
        now = self.now()
        request.resealed = decode(data.resealed, "resealed", rc.SEALED_SHARE_BYTES)
        request.approved_by, request.approved_at = contact_id, now
        await self.db.flush()
        return await receipt(
            self.db, request.account_id, contact_id, LogAction.RECOVERY_APPROVE, now
        )
