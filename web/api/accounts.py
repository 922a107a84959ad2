"""Sign-up, login, recovery, passphrase change, sessions and account deletion."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from consent.log.actions import LogAction
from consent.log.service import LogService
from dossier.accounts import schemas as s
from dossier.accounts.models import Account, LoginSession
from dossier.crypto import VERSION, b64e
from dossier.deletion import delete_account
from web.auth import CALLER_SECURITY, public, requires_login
from web.deps import (
    Accounts,
    BlobsDep,
    CallerDep,
    DbSession,
    Dossiers,
    Sessions,
    SettingsDep,
)
from web.ratelimit import account_throttle

Username = Annotated[str, Parameter(min_length=3, max_length=32)]


def account_out(account: Account, dossier_id: uuid.UUID | None) -> s.AccountOut:
    return s.AccountOut(
        id=str(account.id),
        username=account.username,
        kind=account.kind,  # type: ignore[arg-type]
        identity={"v": VERSION, "box_pk": b64e(account.box_pk), "sign_pk": b64e(account.sign_pk)},
        dossier_id=None if dossier_id is None else str(dossier_id),
    )


def session_out(row: LoginSession, current: uuid.UUID) -> s.SessionOut:
    return s.SessionOut(
        id=str(row.id),
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        user_agent=row.user_agent,
        current=row.id == current,
    )


class AuthController(Controller):
    """Routes an anonymous caller may use. The app factory mounts this controller behind the
    per-address rate limit; the credential checks also count per account name."""

    path = "/api/v1/auth"
    tags = ["accounts"]
    guards = [public]

    @post("/signup", status_code=201)
    async def sign_up(self, data: JSONBody[s.SignUp], accounts: Accounts) -> s.AccountOut:
        return account_out(await accounts.sign_up(data), None)

    @get("/params")
    async def kdf_params(
        self, username: Username, accounts: Accounts, settings: SettingsDep
    ) -> s.KdfParamsOut:
        return s.KdfParamsOut(kdf=await accounts.kdf_params(username, settings.secret()))

    @post("/login", status_code=HTTP_200_OK)
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[s.Login],
        accounts: Accounts,
        sessions: Sessions,
        dossiers: Dossiers,
        db_session: DbSession,
    ) -> s.LoginOut:
        await account_throttle(request, data.username)
        account = await accounts.check_login(data.username, data.auth_key)
        started = await sessions.start(account.id, request.headers.get("user-agent", ""))
        dossier = await dossiers.of_owner(account.id)
        if dossier is not None:
            await LogService(db_session).record(dossier.id, account.id, LogAction.LOGIN)
        return s.LoginOut(
            token=started.token,
            session_id=str(started.session.id),
            expires_at=started.session.expires_at,
            account=account_out(account, dossier.id if dossier else None),
            bundle=account.bundle,
        )

    @post("/recovery/open", status_code=HTTP_200_OK)
    async def recovery_bundle(
        self, request: Request[Any, Any, Any], data: JSONBody[s.RecoveryOpen], accounts: Accounts
    ) -> s.RecoveryBundleOut:
        await account_throttle(request, data.username)
        account = await accounts.check_recovery(data.username, data.recovery_auth_key)
        return s.RecoveryBundleOut(
            account_id=str(account.id), recovery_bundle=account.recovery_bundle
        )

    @post("/recovery", status_code=HTTP_204_NO_CONTENT)
    async def recover(
        self, request: Request[Any, Any, Any], data: JSONBody[s.Recover], accounts: Accounts
    ) -> None:
        await account_throttle(request, data.username)
        await accounts.recover(data)


class AccountController(Controller):
    path = "/api/v1/account"
    tags = ["accounts"]
    guards = [requires_login]
    security = CALLER_SECURITY

    @get("/")
    async def me(self, caller: CallerDep, accounts: Accounts, dossiers: Dossiers) -> s.AccountOut:
        account = await accounts.get(caller.account_id)
        dossier = await dossiers.of_owner(account.id)
        return account_out(account, dossier.id if dossier else None)

    @get("/bundle")
    async def key_bundle(
        self, caller: CallerDep, accounts: Accounts, dossiers: Dossiers
    ) -> s.KeyBundleOut:
        """My sealed key bundle and KDF parameters, for a session that single sign-on started
        (no login proof was made, so no bundle came with it). The bundle is ciphertext under a
        key only the passphrase makes (docs/professionals.md)."""
        account = await accounts.get(caller.account_id)
        dossier = await dossiers.of_owner(account.id)
        return s.KeyBundleOut(
            account=account_out(account, dossier.id if dossier else None),
            kdf=account.kdf,
            bundle=account.bundle,
        )

    @put("/passphrase", status_code=HTTP_204_NO_CONTENT)
    async def change_passphrase(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[s.PassphraseChange],
        caller: CallerDep,
        accounts: Accounts,
    ) -> None:
        """A wrong old auth key is a 401 `invalid-credentials`; each try counts against the
        account's per-minute budget, as a login does. This session stays, the others end."""
        await account_throttle(request, f"id:{caller.account_id}")
        await accounts.change_passphrase(caller.account_id, data, keep_session=caller.session_id)

    @post("/delete", status_code=HTTP_204_NO_CONTENT)
    async def delete_account(
        self,
        data: JSONBody[s.DeleteAccount],
        caller: CallerDep,
        accounts: Accounts,
        blobs: BlobsDep,
    ) -> None:
        await delete_account(accounts, blobs, caller.account_id, data.auth_key)

    @get("/sessions")
    async def sessions(self, caller: CallerDep, sessions: Sessions) -> list[s.SessionOut]:
        return [session_out(r, caller.session_id) for r in await sessions.list(caller.account_id)]

    @delete("/sessions/{session_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def end_session(
        self, session_id: FromPath[uuid.UUID], caller: CallerDep, sessions: Sessions
    ) -> None:
        await sessions.end(caller.account_id, session_id)

    @post("/logout", status_code=HTTP_204_NO_CONTENT)
    async def logout(self, caller: CallerDep, sessions: Sessions) -> None:
        await sessions.end(caller.account_id, caller.session_id)
