"""Recovery-contact pages (docs/recovery.md): "Herstelcontact" for the youth (choose contacts,
"Dit ben ik niet", the yearly code check), "Ik kom er niet meer in" for the new device, and the
contact's "Iemand vraagt je hulp". The crypto runs in the browser through the JSON API; these
handlers render the page and the state the same services give the API."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from web.auth import public, requires_login
from web.deps import CallerDep, RecoverySetups


class RecoveryDevicePages(Controller):
    guards = [public]
    include_in_schema = False

    @get("/herstellen/contact")
    async def device(self) -> Template:
        return Template(
            template_name="pages/herstellen-contact.html",
            context={"signed_in": False, "scripts": ["js/app/recover-contact.js"]},
        )


class RecoveryPages(Controller):
    guards = [requires_login]
    include_in_schema = False

    @get("/herstelcontact")
    async def setup(self, caller: CallerDep, recovery_setups: RecoverySetups) -> Template:
        status = await recovery_setups.status(caller.account_id)
        return Template(
            template_name="pages/herstelcontact.html",
            context={
                "status": status,
                "account_id": str(caller.account_id),
                "signed_in": True,
                "pro": caller.kind == "professional",
                "scripts": ["js/app/recovery-setup.js"],
            },
        )

    @get("/pro/herstel")
    async def asked(self, caller: CallerDep) -> Template:
        return Template(
            template_name="pro/herstel.html",
            context={
                "signed_in": True,
                "pro": True,
                "account_id": str(caller.account_id),
                "scripts": ["js/app/recovery-contact.js"],
            },
        )
