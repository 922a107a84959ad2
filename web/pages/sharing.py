"""Delen: the youth's sharing page, "Bekijk als …", and the fixed contact person.

The page shows public keys, sealed profile cards and grants; the browser opens the cards
(names), makes every receipt and envelope, and revokes with rotation in one tap
(`js/app/sharing.js`, through the same `/api/v1` routes as the Python client). Choosing the
fixed contact person involves no crypto, so it is a plain form that works without JavaScript."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from consent.connections.service import ConnectionService
from consent.own.service import OwnDossierService
from consent.sharing.service import SharingService
from dossier.sections.catalogue import LIFE_AREAS, SECTIONS
from web.auth import requires_login
from web.deps import Accounts, CallerDep, DbSession
from web.pages.campaign_answers import campaign_answers
from web.pages.config import owner_limits
from web.pages.rugzak import TEMPLATES
from web.pages.sharing_view import FIELDS, page_context

# Messages after an action, chosen by the browser through `?melding=`; never free text.
MESSAGES = {
    "gedeeld": "Gedeeld. Alleen wat je hebt aangevinkt, kan deze persoon nu zien.",
    "ingetrokken": (
        "Ingetrokken. Deze persoon kan dit deel nu niet meer openen, en de sleutel is vervangen: "
        "wat je vanaf nu schrijft, kan deze persoon nooit lezen. "
        "Wat ze al gezien hebben, kunnen ze bewaard hebben."
    ),
    "beantwoord": "Je antwoord is opgeslagen en ondertekend.",
    "overgedragen": (
        "Je bent verbonden met je nieuwe begeleider. Die kan nu lezen wat je hebt aangevinkt."
    ),
    "campagne-ja": (
        "Je antwoord is nu ja. Alleen de organisatie die je school noemde, kan dit zien."
    ),
    "achtergrond": (
        "Deze persoon staat nu op de achtergrond en kan alleen nog lezen wat hieronder staat. "
        "Al het andere is gestopt, en de sleutels zijn vervangen."
    ),
    "aanspreekpunt": "Je vaste aanspreekpunt is aangepast.",
    "verbonden": "Je bent verbonden. Er is nog niets gedeeld: dat kies je hieronder.",
    "verbroken": (
        "De verbinding is verbroken. Deze persoon kan niets meer openen, en de sleutels zijn "
        "vervangen. Wat ze al gezien hebben, kunnen ze bewaard hebben."
    ),
}
Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _message(request: Request[Any, Any, Any]) -> str:
    return MESSAGES.get(request.query_params.get("melding", ""), "")


class SharingPages(Controller):
    path = "/delen"
    guards = [requires_login]
    include_in_schema = False

    @get("/")
    async def overview(
        self,
        request: Request[Any, Any, Any],
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
    ) -> Template:
        owner = await accounts.get(caller.account_id)
        overview = await SharingService(db_session).overview(owner)
        return Template(
            template_name="pages/delen.html",
            context={
                **page_context(overview, owner, dt.datetime.now(dt.UTC)),
                "campaign_answers": await campaign_answers(db_session, owner.id),
                "grant_limits": owner_limits(owner),
                "message": _message(request),
                "signed_in": True,
                "scripts": ["js/app/sharing.js"],
            },
        )

    @get("/bekijk-als/{party_id:uuid}")
    async def view_as(
        self,
        party_id: FromPath[uuid.UUID],
        caller: CallerDep,
        accounts: Accounts,
        db_session: DbSession,
    ) -> Template:
        """Exactly the sections and entries this party's valid grants cover, opened in the
        browser with the owner's keys (nothing is logged: the owner reads their own)."""
        owner = await accounts.get(caller.account_id)
        cover = await SharingService(db_session).coverage(owner, party_id)
        pages = OwnDossierService(db_session)
        sections = [
            {"page": p, "fields": FIELDS["leefgebied" if p.key in LIFE_AREAS else TEMPLATES[p.key]]}
            for p in [await pages.section(owner, key) for key in cover.readable]
        ]
        return Template(
            template_name="pages/bekijk-als.html",
            context={
                "dossier": cover.dossier,
                "party_id": str(party_id),
                "sections": sections,
                "append_only": [SECTIONS[k] for k in cover.append_only],
                "labels": SECTIONS,
                "signed_in": True,
                "scripts": ["js/app/dossier.js", "js/app/names.js"],
            },
        )

    @post("/verbindingen/{connection_id:uuid}/aanspreekpunt")
    async def contact_person(
        self,
        connection_id: FromPath[uuid.UUID],
        data: Form,
        caller: CallerDep,
        db_session: DbSession,
    ) -> Redirect:
        """Set (`aan=1`) or clear the fixed contact person; at most one per youth."""
        on = data.get("aan") == "1"
        await ConnectionService(db_session).set_contact_person(
            caller.account_id, connection_id, on=on
        )
        return Redirect(path="/delen?melding=aanspreekpunt", status_code=303)
