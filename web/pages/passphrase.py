"""Wachtwoordzin wijzigen: a new passphrase while signed in, for youths and professionals.

The passphrase never reaches the server: the browser (`js/app/passphrase.js`) derives the old
auth key as proof, a new salt, auth key and wrap key, and seals this tab's identity under the
new wrap key. The server (`PUT /api/v1/account/passphrase`, `AccountService.change_passphrase`)
stores the new hash and bundle and ends every other login session. The recovery bundle is not
touched, so the recovery code stays the same."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from dossier.crypto import b64e
from web.auth import requires_login
from web.deps import Accounts, CallerDep


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
