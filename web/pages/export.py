"""Mijn gegevens meenemen (GDPR art. 20) and Verwijder mijn rugzak.

Export: the browser decrypts the whole dossier and builds the zip itself (`js/app/export.js`);
the server only records the `dossier:export` event. Deletion: the browser derives the auth
key from the passphrase (never sent) and the server crypto-shreds the account
(`dossier.deletion.delete_account`), then the cookie is cleared and the tab's keys wiped."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.params import JSONBody
from litestar.response import Template
from litestar.status_codes import HTTP_204_NO_CONTENT

from consent.log.schemas import LogEventOut
from consent.log.service import LogService
from dossier.accounts.schemas import DeleteAccount
from dossier.deletion import delete_account
from web.auth import COOKIE, requires_login
from web.deps import Accounts, BlobsDep, CallerDep, DbSession
from web.pages.json_errors import JSON_ERRORS
from web.pages.view import Pages


class ExportPages(Controller):
    guards = [requires_login]
    include_in_schema = False

    @get("/meenemen")
    async def export_page(self, caller: CallerDep, db_session: DbSession) -> Template:
        dossier = await Pages(db_session).own_dossier(caller.account_id)
        return Template(
            template_name="pages/meenemen.html",
            context={"dossier": dossier, "signed_in": True, "scripts": ["js/app/export.js"]},
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


class ExportData(Controller):
    guards = [requires_login]
    include_in_schema = False
    exception_handlers = JSON_ERRORS

    @post("/meenemen/gebeurtenis", status_code=201)
    async def export_event(self, caller: CallerDep, db_session: DbSession) -> LogEventOut:
        dossier = await Pages(db_session).own_dossier(caller.account_id)
        return await LogService(db_session).export(caller.account_id, dossier.id)

    @post("/verwijderen", status_code=HTTP_204_NO_CONTENT)
    async def delete(
        self,
        data: JSONBody[DeleteAccount],
        caller: CallerDep,
        accounts: Accounts,
        blobs: BlobsDep,
    ) -> Response[None]:
        """Crypto-shredding, then the rows, in this request's transaction; the session row
        goes with the account, and the cookie is cleared here."""
        await delete_account(accounts, blobs, caller.account_id, data.auth_key)
        response: Response[None] = Response(content=None, status_code=HTTP_204_NO_CONTENT)
        response.delete_cookie(COOKIE, path="/")
        return response
