"""Mijn gegevens meenemen (GDPR art. 20) and Verwijder mijn rugzak.

Export: the browser decrypts the whole dossier and builds the zip itself (`js/app/export.js`);
the server only records the `dossier:export` event (`POST /api/v1/dossiers/{id}/log/export`).
Deletion: the browser derives the auth key from the passphrase (never sent), the server
crypto-shreds the account (`POST /api/v1/account/delete`, `dossier.deletion.delete_account`),
then the tab's keys are wiped and `POST /uitloggen` clears the cookie."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from web.auth import requires_login
from web.deps import Accounts, CallerDep, Dossiers


class ExportPages(Controller):
    guards = [requires_login]
    include_in_schema = False

    @get("/meenemen")
    async def export_page(self, caller: CallerDep, dossiers: Dossiers) -> Template:
        dossier = await dossiers.own_dossier(caller.account_id)
        return Template(
            template_name="pages/meenemen.html",
            context={
                "dossier": dossier,
                "signed_in": True,
                "scripts": ["js/app/export.js", "js/app/my-code.js"],
            },
        )

    @get("/verwijderen")
    async def delete_page(self, caller: CallerDep, accounts: Accounts) -> Template:
        account = await accounts.get(caller.account_id)
        return Template(
            template_name="pages/verwijderen.html",
            context={
                "username": account.username,
                "signed_in": True,
                "scripts": ["js/app/delete.js"],
            },
        )
