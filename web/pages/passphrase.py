"""Wachtwoordzin wijzigen: a new passphrase while signed in, for youths and professionals.

The passphrase never reaches the server: the browser (`js/app/passphrase.js`) derives the old
auth key as proof, a new salt, auth key and wrap key, and seals this tab's identity under the
new wrap key. The server stores the new hash and bundle and ends every other login session
(`AccountService.change_passphrase`). The recovery bundle is not touched, so the recovery code
stays the same."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody
from litestar.response import Template
from litestar.status_codes import HTTP_204_NO_CONTENT

from dossier.accounts.schemas import PassphraseChange
from dossier.crypto import b64e
from web.auth import requires_login
from web.deps import Accounts, CallerDep
from web.pages.json_errors import JSON_ERRORS
from web.ratelimit import account_throttle


class PassphrasePages(Controller):
    guards = [requires_login]
    include_in_schema = False

    @get("/wachtwoordzin")
    async def passphrase_page(self, caller: CallerDep, accounts: Accounts) -> Template:
        """Carries the account's public identity, so the script checks that the keys in this
        tab are this account's before it seals them under a new passphrase."""
        account = await accounts.get(caller.account_id)
        return Template(
            template_name="pages/wachtwoordzin.html",
            context={
                "account": account,
                "box_pk": b64e(account.box_pk),
                "sign_pk": b64e(account.sign_pk),
                "signed_in": True,
                "pro": caller.kind == "professional",
                "scripts": ["js/app/passphrase.js"],
            },
        )


class PassphraseData(Controller):
    guards = [requires_login]
    include_in_schema = False
    exception_handlers = JSON_ERRORS

    @post("/wachtwoordzin", status_code=HTTP_204_NO_CONTENT)
    async def change(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[PassphraseChange],
        caller: CallerDep,
        accounts: Accounts,
    ) -> None:
        """A wrong old auth key is a 401 `invalid-credentials`; each try counts against the
        account's per-minute budget, as a login does. This session stays, the others end."""
        await account_throttle(request, f"id:{caller.account_id}")
        await accounts.change_passphrase(caller.account_id, data, keep_session=caller.session_id)
