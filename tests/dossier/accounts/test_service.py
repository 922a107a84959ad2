"""AccountService and SessionService against SQLite and PostgreSQL, rolled back per test: the
server keeps only Argon2id hashes of login proofs, sealed bundles and public keys; the age gate,
login, recovery and passphrase change check every part before they set any; sessions slide
but never past their absolute cap."""

import dataclasses
import datetime as dt
import os
import uuid

import pytest
from sqlalchemy import select, update

from dossier import crypto
from dossier.accounts import schemas
from dossier.accounts.models import Account, LoginSession
from dossier.accounts.service import AccountService, SessionService, age_on
from dossier.errors import (
    Conflict,
    InvalidCredentials,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    SessionExpired,
    TooYoung,
)
from tests.support.factories import row_counts

TODAY = dt.date(2026, 12, 4)
TTL, MAX_AGE = 8 * 3600, 7 * 24 * 3600


@dataclasses.dataclass
class Keys:
    """What a client holds: its identity and the two sub-keys of passphrase and recovery code
    (random here: the Argon2id derivation is the client's, tested in tests/dossier)."""

    identity: crypto.Identity
    auth_key: bytes
    wrap_key: bytes
    recovery_auth_key: bytes
    recovery_wrap_key: bytes

    @classmethod
    def new(cls) -> "Keys":
        return cls(crypto.Identity.generate(), *(os.urandom(32) for _ in range(4)))


def sign_up(keys: Keys, **fields) -> schemas.SignUp:
    """The sign-up body as dossier/client/core.py builds it."""
    account_id = fields.pop("id", str(uuid.uuid4()))
    values = {
        "id": account_id,
        "username": f"sanne{uuid.uuid4().hex[:8]}",
        "kind": "youth",
        "birth_date": dt.date(2007, 3, 1),
        "kdf": crypto.KdfParams.new().to_json(),
        "auth_key": crypto.b64e(keys.auth_key),
        "recovery_auth_key": crypto.b64e(keys.recovery_auth_key),
        "bundle": crypto.seal_bundle(keys.identity, keys.wrap_key, account_id).to_json(),
        "recovery_bundle": crypto.seal_bundle(
            keys.identity, keys.recovery_wrap_key, account_id, kind="recovery"
        ).to_json(),
        "identity": keys.identity.public.to_json(),
    }
    values.update(fields)
    return schemas.SignUp(**values)


async def signed_up(db, **fields) -> tuple[Account, Keys]:
    keys = Keys.new()
    account = await AccountService(db).sign_up(sign_up(keys, **fields), today=TODAY)
    return account, keys


async def refused(db, error, call) -> None:
    before = await row_counts(db)
    with pytest.raises(error):
        await call
    assert await row_counts(db) == before


def stored(account: Account) -> tuple:
    return (account.kdf, account.auth_hash, account.bundle, account.recovery_auth_hash)


# -- sign-up -----------------------------------------------------------------------------------


async def test_sign_up_stores_hashes_of_the_proofs_sealed_bundles_and_public_keys_only(db):
    account, keys = await signed_up(db)
    row = await db.get_one(Account, account.id)
    assert crypto.verify_auth_key(row.auth_hash, keys.auth_key)
    assert crypto.verify_auth_key(row.recovery_auth_hash, keys.recovery_auth_key)
    assert not crypto.verify_auth_key(row.auth_hash, keys.recovery_auth_key)
    assert keys.auth_key not in row.auth_hash.encode()
    opened = crypto.open_bundle(
        crypto.SealedBundle.from_json(row.bundle), keys.wrap_key, str(row.id)
    )
    assert opened.public == keys.identity.public
    assert (row.box_pk, row.sign_pk) == (keys.identity.public.box_pk, keys.identity.public.sign_pk)


async def test_sixteen_today_may_sign_up(db):
    account, _ = await signed_up(db, birth_date=TODAY.replace(year=TODAY.year - 16))
    assert age_on(account.birth_date, TODAY) == 16


async def test_younger_than_sixteen_is_too_young_and_nothing_is_stored(db):
    born = TODAY.replace(year=TODAY.year - 16) + dt.timedelta(days=1)
    body = sign_up(Keys.new(), birth_date=born)
    await refused(db, TooYoung, AccountService(db).sign_up(body, today=TODAY))


async def test_a_professional_needs_no_birth_date(db):
    account, _ = await signed_up(db, kind="professional", birth_date=None)
    assert (account.kind, account.birth_date) == ("professional", None)


@pytest.mark.parametrize(
    "fields",
    [
        {"birth_date": None},  # a youth states a birth date
        {"birth_date": TODAY + dt.timedelta(days=1)},
        {"birth_date": TODAY.replace(year=TODAY.year - 121)},
        {"id": "account-1"},
        {"auth_key": crypto.b64e(b"k" * 16)},
        {"auth_key": "+/=="},
        {"recovery_auth_key": crypto.b64e(b"k" * 33)},
        {"kdf": {**crypto.KdfParams.new().to_json(), "opslimit": 1}},
        {"kdf": {"v": 1}},
        {"bundle": {"v": 1}},
        {"recovery_bundle": {"v": 1}},
        {"identity": {"v": 1, "box_pk": "AAAA"}},
    ],
)
async def test_sign_up_with_a_bad_part_is_refused_and_nothing_is_stored(db, fields):
    body = sign_up(Keys.new(), **fields)
    await refused(db, InvalidInput, AccountService(db).sign_up(body, today=TODAY))


async def test_a_taken_username_or_id_is_a_conflict(db):
    account, _ = await signed_up(db)
    service = AccountService(db)
    same_name = sign_up(Keys.new(), username=account.username)
    await refused(db, Conflict, service.sign_up(same_name, today=TODAY))
    same_id = sign_up(Keys.new(), id=str(account.id))
    await refused(db, Conflict, service.sign_up(same_id, today=TODAY))


# -- login ------------------------------------------------------------------------------------


async def test_kdf_params_of_an_unknown_name_are_a_stable_decoy(db):
    account, _ = await signed_up(db)
    service = AccountService(db)
    assert await service.kdf_params(account.username, b"server-secret") == account.kdf
    decoy = await service.kdf_params("niemand", b"server-secret")
    assert await service.kdf_params("niemand", b"server-secret") == decoy
    assert await service.kdf_params("iemand-anders", b"server-secret") != decoy
    assert await service.kdf_params("niemand", b"other-secret") != decoy
    crypto.KdfParams.from_json(decoy).check()  # looks like any real account's parameters


async def test_login_with_the_right_proof_finds_the_account(db):
    account, keys = await signed_up(db)
    found = await AccountService(db).check_login(account.username, crypto.b64e(keys.auth_key))
    assert found.id == account.id


async def test_login_with_a_wrong_proof_or_unknown_name_is_invalid_credentials(db):
    account, keys = await signed_up(db)
    service = AccountService(db)
    with pytest.raises(InvalidCredentials):
        await service.check_login(account.username, crypto.b64e(keys.recovery_auth_key))
    with pytest.raises(InvalidCredentials):
        await service.check_login("niemand", crypto.b64e(keys.auth_key))
    with pytest.raises(InvalidInput):
        await service.check_login(account.username, "kort")


# -- recovery and passphrase change -----------------------------------------------------------


def new_passphrase(keys: Keys, account: Account) -> tuple[bytes, bytes, dict, dict]:
    auth_key, wrap_key = os.urandom(32), os.urandom(32)
    kdf = crypto.KdfParams.new().to_json()
    bundle = crypto.seal_bundle(keys.identity, wrap_key, str(account.id)).to_json()
    return auth_key, wrap_key, kdf, bundle


async def test_recovery_sets_a_new_passphrase_and_ends_every_session(db):
    account, keys = await signed_up(db)
    sessions = SessionService(db, TTL, MAX_AGE)
    await sessions.start(account.id, "telefoon")
    auth_key, wrap_key, kdf, bundle = new_passphrase(keys, account)
    service = AccountService(db)
    await service.recover(
        schemas.Recover(
            username=account.username,
            recovery_auth_key=crypto.b64e(keys.recovery_auth_key),
            kdf=kdf,
            auth_key=crypto.b64e(auth_key),
            bundle=bundle,
        )
    )
    row = await db.get_one(Account, account.id)
    assert row.kdf == kdf
    assert crypto.verify_auth_key(row.auth_hash, auth_key)
    assert not crypto.verify_auth_key(row.auth_hash, keys.auth_key)
    assert crypto.open_bundle(crypto.SealedBundle.from_json(row.bundle), wrap_key, str(row.id))
    assert await sessions.list(account.id) == []


async def test_recovery_with_a_wrong_code_changes_nothing(db):
    account, keys = await signed_up(db)
    await SessionService(db, TTL, MAX_AGE).start(account.id, "telefoon")
    before = stored(account)
    auth_key, _, kdf, bundle = new_passphrase(keys, account)
    call = AccountService(db).recover(
        schemas.Recover(
            username=account.username,
            recovery_auth_key=crypto.b64e(keys.auth_key),  # the login proof, not the code's
            kdf=kdf,
            auth_key=crypto.b64e(auth_key),
            bundle=bundle,
        )
    )
    await refused(db, InvalidCredentials, call)
    assert stored(await db.get_one(Account, account.id)) == before


async def test_passphrase_change_sets_every_part_and_ends_the_other_sessions(db):
    account, keys = await signed_up(db)
    sessions = SessionService(db, TTL, MAX_AGE)
    here = await sessions.start(account.id, "laptop")
    await sessions.start(account.id, "telefoon")
    auth_key, wrap_key, kdf, bundle = new_passphrase(keys, account)
    await AccountService(db).change_passphrase(
        account.id,
        schemas.PassphraseChange(
            auth_key=crypto.b64e(keys.auth_key),
            new_kdf=kdf,
            new_auth_key=crypto.b64e(auth_key),
            new_bundle=bundle,
        ),
        keep_session=here.session.id,
    )
    row = await db.get_one(Account, account.id)
    assert row.kdf == kdf
    assert crypto.verify_auth_key(row.auth_hash, auth_key)
    assert crypto.open_bundle(crypto.SealedBundle.from_json(row.bundle), wrap_key, str(row.id))
    assert [s.id for s in await sessions.list(account.id)] == [here.session.id]


@pytest.mark.parametrize("bad", ["old", "kdf", "auth_key", "bundle"])
async def test_passphrase_change_with_one_bad_part_sets_none_of_them(db, bad):
    account, keys = await signed_up(db)
    sessions = SessionService(db, TTL, MAX_AGE)
    here = await sessions.start(account.id, "laptop")
    await sessions.start(account.id, "telefoon")
    auth_key, _, kdf, bundle = new_passphrase(keys, account)
    data = {
        "auth_key": crypto.b64e(keys.auth_key),
        "new_kdf": kdf,
        "new_auth_key": crypto.b64e(auth_key),
        "new_bundle": bundle,
    }
    data.update(
        {
            "old": {"auth_key": crypto.b64e(keys.recovery_auth_key)},
            "kdf": {"new_kdf": {**kdf, "memlimit": 1024}},
            "auth_key": {"new_auth_key": crypto.b64e(b"x" * 31)},
            "bundle": {"new_bundle": {**bundle, "v": 1}},
        }[bad]
    )
    before = stored(account)
    error = InvalidCredentials if bad == "old" else InvalidInput
    call = AccountService(db).change_passphrase(
        account.id, schemas.PassphraseChange(**data), keep_session=here.session.id
    )
    await refused(db, error, call)
    assert stored(await db.get_one(Account, account.id)) == before
    assert len(await sessions.list(account.id)) == 2


# -- sessions ---------------------------------------------------------------------------------


async def age(db, row: LoginSession, *, seen: dt.timedelta, expires: dt.timedelta | None = None):
    """Time passes: the session was last seen `seen` ago (and expires `expires` from now)."""
    now = dt.datetime.now(dt.UTC)
    values = {"last_seen_at": now - seen}
    if expires is not None:
        values["expires_at"] = now + expires
    await db.execute(update(LoginSession).where(LoginSession.id == row.id).values(**values))
    await db.refresh(row)


async def test_a_session_token_authenticates_its_account_and_is_stored_hashed(db):
    account, _ = await signed_up(db)
    made = await SessionService(db, TTL, MAX_AGE).start(account.id, "x" * 300)
    signed_in = await SessionService(db, TTL, MAX_AGE).authenticate(made.token)
    assert (signed_in.session_id, signed_in.account_id) == (made.session.id, account.id)
    assert (signed_in.kind, signed_in.sign_pk) == (account.kind, account.sign_pk)
    row = await db.get(LoginSession, made.session.id)
    assert made.token.encode() not in row.token_hash
    assert len(row.user_agent) == 200
    assert row.absolute_expires_at - row.created_at == dt.timedelta(seconds=MAX_AGE)
    assert row.expires_at - row.created_at == dt.timedelta(seconds=TTL)


async def test_an_unknown_token_is_not_authenticated(db):
    with pytest.raises(NotAuthenticated):
        await SessionService(db, TTL, MAX_AGE).authenticate("geen-sessie")


async def test_an_expired_session_is_refused_and_removed(db):
    account, _ = await signed_up(db)
    sessions = SessionService(db, TTL, MAX_AGE)
    made = await sessions.start(account.id, "telefoon")
    await age(db, made.session, seen=dt.timedelta(hours=9), expires=-dt.timedelta(hours=1))
    with pytest.raises(SessionExpired):
        await sessions.authenticate(made.token)
    assert (
        await db.scalar(select(LoginSession.id).where(LoginSession.id == made.session.id)) is None
    )


async def test_use_slides_the_expiry_at_most_once_a_minute(db):
    account, _ = await signed_up(db)
    sessions = SessionService(db, TTL, MAX_AGE)
    made = await sessions.start(account.id, "telefoon")
    await age(db, made.session, seen=dt.timedelta(seconds=30), expires=dt.timedelta(hours=1))
    row = await sessions.authenticate(made.token)
    assert row.expires_at - dt.datetime.now(dt.UTC) < dt.timedelta(hours=1, seconds=5)
    await age(db, made.session, seen=dt.timedelta(hours=2), expires=dt.timedelta(hours=1))
    row = await sessions.authenticate(made.token)
    now = dt.datetime.now(dt.UTC)
    assert abs(row.expires_at - (now + dt.timedelta(seconds=TTL))) < dt.timedelta(seconds=5)
    assert abs(row.last_seen_at - now) < dt.timedelta(seconds=5)
    stored = (
        await db.execute(
            select(LoginSession.last_seen_at, LoginSession.expires_at).where(
                LoginSession.id == made.session.id
            )
        )
    ).one()
    assert tuple(stored) == (row.last_seen_at, row.expires_at)  # written, not only returned


async def test_sliding_never_passes_the_absolute_cap(db):
    account, _ = await signed_up(db)
    sessions = SessionService(db, TTL, MAX_AGE)
    made = await sessions.start(account.id, "telefoon")
    cap = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    await db.execute(
        update(LoginSession)
        .where(LoginSession.id == made.session.id)
        .values(absolute_expires_at=cap, expires_at=cap - dt.timedelta(minutes=5))
    )
    await age(db, made.session, seen=dt.timedelta(hours=1))
    row = await sessions.authenticate(made.token)
    assert row.expires_at == cap


async def test_a_session_starts_within_its_absolute_cap(db):
    account, _ = await signed_up(db)
    made = await SessionService(db, ttl=3600, max_age=600).start(account.id, "kiosk")
    assert made.session.expires_at == made.session.absolute_expires_at


async def test_listing_shows_only_live_sessions_newest_use_first(db):
    account, _ = await signed_up(db)
    sessions = SessionService(db, TTL, MAX_AGE)
    old = await sessions.start(account.id, "oud")
    new = await sessions.start(account.id, "nieuw")
    gone = await sessions.start(account.id, "verlopen")
    await age(db, old.session, seen=dt.timedelta(hours=1))
    await age(db, gone.session, seen=dt.timedelta(hours=9), expires=-dt.timedelta(seconds=1))
    assert [s.id for s in await sessions.list(account.id)] == [new.session.id, old.session.id]


async def test_ending_a_session_removes_it_and_only_for_its_own_account(db):
    account, _ = await signed_up(db)
    other, _ = await signed_up(db)
    sessions = SessionService(db, TTL, MAX_AGE)
    mine = await sessions.start(account.id, "laptop")
    theirs = await sessions.start(other.id, "laptop")
    await refused(db, NotFound, sessions.end(account.id, theirs.session.id))
    await sessions.end(account.id, mine.session.id)
    with pytest.raises(NotAuthenticated):
        await sessions.authenticate(mine.token)
    assert (await sessions.authenticate(theirs.token)).account_id == other.id
