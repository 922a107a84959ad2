"""The school's campaign pages under `/pro/campagnes` (docs/campaigns.md, "The school's
pages"): the list of the school's campaigns with counts, "Nieuwe campagne", and one
campaign's page (upload the export, map its columns, print the sheets, follow up).

These pages render HTML only: public facts, counts and ciphertext. Everything with a name on
it happens in the school's browser (`js/school/*.js`): the export is read, mapped and
checked there, names and groups are sealed there to the school's organisation key before the
upload, the sheets and their QR codes are made there, and the status opens the names there.
The browser calls the same `/api/v1` routes as the Python client."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from consent.campaigns.schemas import STATES
from consent.campaigns.service import CampaignService, CampaignView
from consent.parties.service import PartiesService
from dossier import crypto
from dossier.db import utcnow
from dossier.dutch import day_in_words
from dossier.sections.catalogue import SECTIONS
from web.auth import requires_login, requires_professional
from web.deps import CallerDep, DbSession

SCHOOL = "school"
STATE_LABELS = {
    "not_opened": "Niet geopend",
    "opened": "Geopend",
    "accepted": "Akkoord",
    "declined": "Geweigerd",
    "withdrawn": "Ingetrokken",
}


def dutch_date(day: dt.date) -> str:
    """ "16 januari 2027": the same words on the sheet (js/school/dates.js) and the pages."""
    return day_in_words(day)


def last_day(closes_at: dt.datetime) -> dt.date:
    """The closing day (inclusive): `closes_at` is 23:59:59 UTC of it, or the moment a
    campaign was closed early."""
    return closes_at.astimezone(dt.UTC).date()


async def school_orgs(db: AsyncSession, account_id: uuid.UUID) -> list[Any]:
    """The schools this account is an active member of."""
    return [org for org, _, _ in await PartiesService(db).mine(account_id) if org.kind == SCHOOL]


def _org_json(org: Any) -> str:
    identity = crypto.PublicIdentity(box_pk=org.box_pk, sign_pk=org.sign_pk)
    return json.dumps(
        {
            "id": str(org.id),
            "name": org.name,
            "identity": identity.to_json(),
            "fingerprint": crypto.format_fingerprint(identity.fingerprint()),
        }
    )


def _summary(view: CampaignView, counts: dict[str, int]) -> dict[str, Any]:
    c = view.campaign
    return {
        "id": str(c.id),
        "title": c.title,
        "receiver": view.receiver.name,
        "closes": dutch_date(last_day(c.closes_at)),
        "open": c.closes_at > utcnow(),
        "total": sum(counts.values()),
        "counts": counts,
    }


def sheet_facts(view: CampaignView) -> dict[str, Any]:
    """The public facts printed on every sheet (js/school/sheets.js)."""
    c = view.campaign
    return {
        "school": view.school.name,
        "receiver": view.receiver.name,
        "title": c.title,
        "sections": [SECTIONS[key] for key in c.sections],
        "purpose": c.purpose,
        "period_days": c.period_days,
        "closes": dutch_date(last_day(c.closes_at)),
        "school_text": c.school_text,
        "contact": c.contact or "",
    }


def page(name: str, **context: Any) -> Template:
    return Template(
        template_name=f"school/{name}.html",
        context={"signed_in": True, "pro": True, "state_labels": STATE_LABELS, **context},
    )


class SchoolPages(Controller):
    path = "/pro/campagnes"
    guards = [requires_login, requires_professional]
    include_in_schema = False

    @get("/")
    async def campaigns(self, caller: CallerDep, db_session: DbSession) -> Template:
        service = CampaignService(db_session)
        schools = []
        for org in await school_orgs(db_session, caller.account_id):
            rows = []
            for view in await service.of_school(org.id):
                counts, _ = await service.status(view.campaign)
                rows.append(_summary(view, counts))
            schools.append({"id": str(org.id), "name": org.name, "campaigns": rows})
        return page("campagnes", schools=schools, states=STATES)

    @get("/nieuw")
    async def new(
        self, request: Request[Any, Any, Any], caller: CallerDep, db_session: DbSession
    ) -> Template:
        schools = await school_orgs(db_session, caller.account_id)
        chosen = request.query_params.get("school", "")
        school = next((o for o in schools if str(o.id) == chosen), schools[0] if schools else None)
        today = utcnow().date()
        return page(
            "nieuw",
            school=None if school is None else {"id": str(school.id), "name": school.name},
            sections=SECTIONS,
            min_day=(today + dt.timedelta(days=1)).isoformat(),
            default_day=(today + dt.timedelta(days=42)).isoformat(),
            scripts=["js/school/new.js"],
        )

    @get("/{campaign_id:uuid}")
    async def campaign(
        self, campaign_id: FromPath[uuid.UUID], caller: CallerDep, db_session: DbSession
    ) -> Template:
        service = CampaignService(db_session)
        view = await service.for_member(caller.account_id, campaign_id)
        counts, _ = await service.status(view.campaign)
        c = view.campaign
        return page(
            "campagne",
            c=_summary(view, counts),
            campaign=c,
            school=view.school,
            school_json=_org_json(view.school),
            receiver=view.receiver,
            receiver_fingerprint=json.loads(_org_json(view.receiver))["fingerprint"],
            sections=[SECTIONS[key] for key in c.sections],
            sheet=json.dumps(sheet_facts(view)),
            scripts=["js/school/campaign.js"],
        )

    @get("/{campaign_id:uuid}/brieven")
    async def letters(
        self, campaign_id: FromPath[uuid.UUID], caller: CallerDep, db_session: DbSession
    ) -> Template:
        """The print window (docs/campaigns.md, "Printing"): a bare page with the print CSS
        and only js/school/print-window.js, opened by the campaign page with `noopener` so it
        gets a renderer process of its own. The letters (names, links, codes) come from the
        campaign tab over a BroadcastChannel whose name is in the URL fragment: never here."""
        view = await CampaignService(db_session).for_member(caller.account_id, campaign_id)
        return Template(
            template_name="school/brieven.html",
            context={"campaign": view.campaign, "sheet": json.dumps(sheet_facts(view))},
        )
