"""Sign-up, login proofs, recovery, passphrase change and login sessions.

Security invariants: the server never receives the passphrase, the master key or the wrap key;
it stores only an Argon2id hash of `auth_key` (and of the recovery code's auth key), sealed
bundles it cannot open, and public keys.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dossier import crypto
from dossier.accounts import schemas
from dossier.accounts.models import Account, LoginSession
from dossier.db import changed_rows, utcnow
from dossier.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    SessionExpired,
    TooYoung,
)
from dossier.notify.outbox import enqueue

MINIMUM_AGE = 16
TOUCH_INTERVAL = dt.timedelta(seconds=60)


def age_on(birth: dt.date, day: dt.date) -> int:
    years = day.year - birth.year
    return years - ((day.month, day.day) < (birth.month, birth.day))


def parse_uuid(value: str, what: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError, TypeError) as exc:
        raise InvalidInput(f"{what} is not a UUID") from exc


def decode_key(value: str, what: str) -> bytes:
    try:
        raw = crypto.b64d(value)
    except crypto.CryptoError as exc:
        raise InvalidInput(f"{what} is not unpadded base64url") from exc
    if len(raw) != 32:
        raise InvalidInput(f"{what} must be 32 bytes")
    return raw


def checked_kdf(data: dict[str, Any]) -> dict[str, Any]:
    """Refuse KDF parameters below DESIGN.md §4 so a client is never told to use weak ones."""
    try:
        params = crypto.KdfParams.from_json(data)
        params.check()
    except crypto.WeakParameters as exc:
        raise InvalidInput("KDF parameters are below the minimum") from exc
    except crypto.CryptoError as exc:
        raise InvalidInput("KDF parameters are malformed") from exc
    return params.to_json()


def checked_bundle(data: dict[str, Any]) -> dict[str, Any]:
    try:
        return crypto.SealedBundle.from_json(data).to_json()
    except crypto.CryptoError as exc:
        raise InvalidInput("sealed bundle is malformed") from exc


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


@dataclass(frozen=True, slots=True)
class NewSession:
    token: str
    session: LoginSession


class SignedIn(NamedTuple):
    """A valid login session and what a request needs of its account."""

    session_id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    sign_pk: bytes
    last_seen_at: dt.datetime
    expires_at: dt.datetime


_login, _account = cast(Table, LoginSession.__table__), Account.__table__
_SIGNED_IN = (
    select(
        _login.c.id,
        _login.c.account_id,
        _account.c.kind,
        _account.c.sign_pk,
        _login.c.last_seen_at,
        _login.c.expires_at,
        _login.c.absolute_expires_at,
    )
    .join_from(_login, _account, _account.c.id == _login.c.account_id)
    .where(_login.c.token_hash == bindparam("hash"))
)
_END = delete(_login).where(_login.c.id == bindparam("id"))
_TOUCH = (
    update(_login)
    .where(_login.c.id == bindparam("session"))
    .values(last_seen_at=bindparam("seen"), expires_at=bindparam("expires"))
)


class AccountService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def sign_up(self, data: schemas.SignUp, today: dt.date | None = None) -> Account:
        today = today or dt.datetime.now(dt.UTC).date()
        if data.kind == "youth" and data.birth_date is None:
            raise InvalidInput("birth_date is required")
        if data.birth_date is not None:
            if data.birth_date > today or age_on(data.birth_date, today) > 120:
                raise InvalidInput("birth_date is not a real birth date")
            if age_on(data.birth_date, today) < MINIMUM_AGE:
                raise TooYoung("owner is younger than 16")
        try:
            identity = crypto.PublicIdentity.from_json(data.identity)
        except crypto.CryptoError as exc:
            raise InvalidInput("identity is malformed") from exc
        account = Account(
            id=parse_uuid(data.id),
            username=data.username,
            kind=data.kind,
            birth_date=data.birth_date,
            kdf=checked_kdf(data.kdf),
            auth_hash=crypto.hash_auth_key(decode_key(data.auth_key, "auth_key")),
            recovery_auth_hash=crypto.hash_auth_key(
                decode_key(data.recovery_auth_key, "recovery_auth_key")
            ),
            bundle=checked_bundle(data.bundle),
            recovery_bundle=checked_bundle(data.recovery_bundle),
            box_pk=identity.box_pk,
            sign_pk=identity.sign_pk,
        )
        taken = await self.db.scalar(
            select(Account.id).where(
                (Account.username == data.username) | (Account.id == account.id)
            )
        )
        if taken is not None:
            raise Conflict("username is taken")
        self.db.add(account)
        await self.db.flush()
        return account

    async def kdf_params(self, username: str, secret: bytes) -> dict[str, Any]:
        """The account's KDF parameters; for an unknown name, stable decoy parameters so the
        answer does not reveal whether an account exists."""
        account = await self.by_username(username)
        if account is not None:
            return account.kdf
        salt = hmac.new(secret, b"kdf-decoy:" + username.encode(), hashlib.sha256).digest()[:16]
        return crypto.KdfParams(salt=salt).to_json()

    async def by_username(self, username: str) -> Account | None:
        account: Account | None = await self.db.scalar(
            select(Account).where(Account.username == username)
        )
        return account

    async def get(self, account_id: uuid.UUID) -> Account:
        account = await self.db.get(Account, account_id)
        if account is None:
            raise NotFound("account")
        return account

    async def check_login(self, username: str, auth_key: str) -> Account:
        account = await self.by_username(username)
        key = decode_key(auth_key, "auth_key")
        if account is None:
            crypto.verify_auth_key(_dummy_hash(), key)  # same cost whether or not the name exists
            raise InvalidCredentials
        if not crypto.verify_auth_key(account.auth_hash, key):
            raise InvalidCredentials
        return account

    async def check_recovery(self, username: str, recovery_auth_key: str) -> Account:
        account = await self.by_username(username)
        key = decode_key(recovery_auth_key, "recovery_auth_key")
        if account is None or not crypto.verify_auth_key(account.recovery_auth_hash, key):
            raise InvalidCredentials
        return account

    async def recover(self, data: schemas.Recover) -> Account:
        account = await self.check_recovery(data.username, data.recovery_auth_key)
        self.set_passphrase(account, data.kdf, data.auth_key, data.bundle)
        await self.db.execute(delete(LoginSession).where(LoginSession.account_id == account.id))
        await self.db.flush()
        await enqueue(self.db, account.id, "recovery", uuid.uuid4())
        return account

    async def change_passphrase(
        self, account_id: uuid.UUID, data: schemas.PassphraseChange, keep_session: uuid.UUID
    ) -> None:
        account = await self.get(account_id)
        if not crypto.verify_auth_key(account.auth_hash, decode_key(data.auth_key, "auth_key")):
            raise InvalidCredentials
        self.set_passphrase(account, data.new_kdf, data.new_auth_key, data.new_bundle)
        await self.db.execute(
            delete(LoginSession).where(
                LoginSession.account_id == account.id, LoginSession.id != keep_session
            )
        )
        await self.db.flush()
        await enqueue(self.db, account.id, "passphrase", uuid.uuid4())

    def set_passphrase(
        self, account: Account, kdf: dict[str, Any], auth_key: str, bundle: dict[str, Any]
    ) -> None:
        """Every part is checked before any is set, so a refusal leaves the account as it was."""
        new_kdf, new_bundle = checked_kdf(kdf), checked_bundle(bundle)
        new_hash = crypto.hash_auth_key(decode_key(auth_key, "auth_key"))
        account.kdf, account.auth_hash, account.bundle = new_kdf, new_hash, new_bundle


@functools.cache
def _dummy_hash() -> str:
    return crypto.hash_auth_key(b"\0" * 32)


class SessionService:
    """Login sessions in the database, so any app server can check any session."""

    def __init__(self, session: AsyncSession, ttl: int, max_age: int) -> None:
        self.db = session
        self.ttl = dt.timedelta(seconds=ttl)
        self.max_age = dt.timedelta(seconds=max_age)

    async def start(self, account_id: uuid.UUID, user_agent: str) -> NewSession:
        """A login from a browser none of the live sessions has also queues a security notice
        (sent only if the person has a channel)."""
        now = utcnow()
        known = await self.db.scalar(
            select(LoginSession.id)
            .where(
                LoginSession.account_id == account_id,
                LoginSession.user_agent == user_agent[:200],
                LoginSession.expires_at > now,
            )
            .limit(1)
        )
        token = secrets.token_urlsafe(32)
        row = LoginSession(
            account_id=account_id,
            token_hash=token_hash(token),
            user_agent=user_agent[:200],
            created_at=now,
            last_seen_at=now,
            expires_at=min(now + self.ttl, now + self.max_age),
            absolute_expires_at=now + self.max_age,
        )
        self.db.add(row)
        await self.db.flush()
        if known is None:
            await enqueue(self.db, account_id, "new-device", row.id)
        return NewSession(token=token, session=row)

    async def authenticate(self, token: str) -> SignedIn:
        """The session behind `token` and what a request needs of its account, in one
        prebuilt statement (this runs on every request that is not answered from the session
        cache). The sliding expiry is moved at most once a minute, so most requests only
        read; an expired session's row is deleted."""
        found = (await self.db.execute(_SIGNED_IN, {"hash": token_hash(token)})).first()
        if found is None:
            raise NotAuthenticated
        session_id, account_id, kind, sign_pk, last_seen_at, expires_at, cap = found
        now = utcnow()
        if now >= expires_at:
            await self.db.execute(_END, {"id": session_id})
            raise SessionExpired
        if now - last_seen_at >= TOUCH_INTERVAL:
            last_seen_at, expires_at = now, min(now + self.ttl, cap)
            await self.db.execute(
                _TOUCH, {"session": session_id, "seen": last_seen_at, "expires": expires_at}
            )
        return SignedIn(session_id, account_id, kind, sign_pk, last_seen_at, expires_at)

    async def list(self, account_id: uuid.UUID) -> list[LoginSession]:
        rows = await self.db.scalars(
            select(LoginSession)
            .where(LoginSession.account_id == account_id, LoginSession.expires_at > utcnow())
            .order_by(LoginSession.last_seen_at.desc())
        )
        return list(rows)

    async def end(self, account_id: uuid.UUID, session_id: uuid.UUID) -> None:
        ended = await changed_rows(
            self.db,
            delete(LoginSession).where(
                LoginSession.id == session_id, LoginSession.account_id == account_id
            ),
        )
        if ended == 0:
            raise NotFound("session")
