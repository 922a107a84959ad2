"""Meldingen: what is new since the last visit (metadata only: a kind and a section of the
catalogue, never who or what), the count in the navigation, "alles gelezen", the e-mail
settings, and the two pages a mail links to (confirm an address, unsubscribe). Those two only
show a button: a link a mail scanner prefetches changes nothing; the button's script calls
`POST /api/v1/mail/confirm` or `…/unsubscribe/{token}` (js/app/mail-link.js)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, Parameter
from litestar.response import Redirect, Template

from dossier.notify.inbox import InboxService
from dossier.notify.mail import MailService
from dossier.notify.models import Notice
from dossier.notify.outbox import AMSTERDAM
from dossier.sections.catalogue import SECTIONS
from web.auth import public, requires_login
from web.deps import CallerDep, DbSession

Token = Annotated[str, Parameter(min_length=16, max_length=128)]

YOUTH_TEXT = {
    "entry": "Er staat iets nieuws in {section}.",
    "request": "Iemand vraagt je om iets te delen.",
    "grant": "Er is iets met je gedeeld.",
    "revoke": "Iemand kan iets niet meer zien.",
    "answer": "Je kreeg antwoord op een verzoek.",
    "connection": "Er is een nieuwe verbinding.",
    "handover": "Je bent verbonden met een nieuwe begeleider.",
}
PRO_TEXT = {
    "entry": "Een jongere schreef iets nieuws in {section}.",
    "request": "Er is een nieuw verzoek.",
    "grant": "Een jongere deelde {section} met je.",
    "revoke": "Een jongere stopte met het delen van {section}.",
    "answer": "Een jongere gaf antwoord op je verzoek.",
    "connection": "Een jongere nam je uitnodiging aan.",
    "handover": "Een jongere gaat met jou verder: een collega droeg over.",
}


def notice_view(n: Notice, *, pro: bool) -> dict[str, str]:
    section = SECTIONS.get(n.section or "", "je rugzak")
    text = (PRO_TEXT if pro else YOUTH_TEXT)[n.kind].format(section=section)
    if pro:
        href = f"/pro/jongeren/{n.dossier_id}" if n.dossier_id else "/pro"
    elif n.kind == "request":
        href = "/delen"
    else:
        href = f"/rugzak/{n.section}" if n.section else "/rugzak"
    local = n.created_at.astimezone(AMSTERDAM)
    return {"text": text, "href": href, "at": local.strftime("%d-%m-%Y %H:%M")}


class NoticePages(Controller):
    guards = [requires_login]
    include_in_schema = False

    @get("/meldingen")
    async def notices(self, caller: CallerDep, db_session: DbSession) -> Template:
        pro = caller.kind == "professional"
        unread = await InboxService(db_session).unread(caller.account_id)
        return Template(
            template_name="pages/meldingen.html",
            context={
                "unread": unread.count,
                "items": [notice_view(n, pro=pro) for n in unread.notices],
                "signed_in": True,
                "pro": pro,
            },
        )

    @get("/meldingen/teller")
    async def counter(self, caller: CallerDep, db_session: DbSession) -> Template:
        """The navigation's count (an htmx partial loaded by partials/nav-meldingen.html)."""
        count = await InboxService(db_session).count(caller.account_id)
        return Template(template_name="partials/meldingen-teller.html", context={"count": count})

    @post("/meldingen/gelezen")
    async def all_read(self, caller: CallerDep, db_session: DbSession) -> Redirect:
        """ "Alles gelezen" as a plain form (works without JavaScript)."""
        await InboxService(db_session).mark_read(caller.account_id)
        return Redirect("/meldingen")

    @get("/meldingen/e-mail")
    async def mail(self, caller: CallerDep, db_session: DbSession) -> Template:
        view = await MailService(db_session).get(caller.account_id)
        return Template(
            template_name="pages/meldingen-email.html",
            context={
                "mail": view,
                "signed_in": True,
                "pro": caller.kind == "professional",
                "scripts": ["js/app/mail.js", "js/app/push.js"],
            },
        )


class MailLinkPages(Controller):
    guards = [public]
    include_in_schema = False

    @get("/e-mail/bevestigen/{token:str}")
    async def confirm(self, token: FromPath[Token]) -> Template:
        return Template(
            template_name="pages/email-link.html",
            context={"action": "confirm", "token": token, "scripts": ["js/app/mail-link.js"]},
        )

    @get("/e-mail/afmelden/{token:str}")
    async def unsubscribe(self, token: FromPath[Token]) -> Template:
        return Template(
            template_name="pages/email-link.html",
            context={"action": "unsubscribe", "token": token, "scripts": ["js/app/mail-link.js"]},
        )
