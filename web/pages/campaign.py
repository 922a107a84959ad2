"""The student's campaign page `/campagne/{token}`: the link printed on the school's A4 sheet
(docs/campaigns.md). It shows who asks (the school and the receiving organisation, each with
its key fingerprint), what, why and for how long, and asks "Ja, dat mag" / "Nee, liever niet".

- Reading is public (the token in the link is the credential); the first visit turns the
  school's status to "opened", like `GET /api/v1/campaign-invites/{token}`.
- "Ja" needs a rugzak: without a login the page offers sign-up or login with
  `?verder=/campagne/{token}`. Logged in, the browser makes the grants (owner-signed receipt,
  section key sealed to the receiving organisation's key, `js/app/campaign.js`) and posts
  them with the page cookie and the CSRF header to the route the Python client uses,
  `POST /api/v1/campaign-invites/{token}/accept`.
- "Nee" is a plain form post (works without JavaScript and without a login), answered with
  the confirmation page.
- An unknown, used or expired link gets one and the same page (404), whatever the reason."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Template
from litestar.status_codes import HTTP_200_OK, HTTP_404_NOT_FOUND

from consent.campaigns.answers import AnswerService
from consent.campaigns.errors import CampaignLinkUnavailable
from consent.campaigns.service import CampaignView
from dossier import crypto
from dossier.sections.catalogue import SECTIONS
from web.auth import Caller, public, viewer_of
from web.deps import Accounts, DbSession, Dossiers
from web.dutch import datum
from web.pages.config import owner_limits

TEMPLATE = "pages/campagne.html"
DAYS_PER_YEAR = 365
DAYS_PER_MONTH = 30


def how_long(days: int) -> str:
    """The period in plain Dutch: "1 jaar", "2 jaar", "6 maanden", "10 dagen"."""
    if days % DAYS_PER_YEAR == 0:
        return f"{days // DAYS_PER_YEAR} jaar"
    if days >= DAYS_PER_MONTH * 2 and days % DAYS_PER_MONTH == 0:
        return f"{days // DAYS_PER_MONTH} maanden"
    return "1 dag" if days == 1 else f"{days} dagen"


def _org(org: Any) -> dict[str, str]:
    identity = crypto.PublicIdentity(box_pk=org.box_pk, sign_pk=org.sign_pk)
    return {
        "id": str(org.id),
        "name": org.name,
        "identity": json.dumps(identity.to_json()),
        "fingerprint": crypto.format_fingerprint(identity.fingerprint()),
    }


def _context(token: str, view: CampaignView) -> dict[str, Any]:
    c = view.campaign
    closes = c.closes_at - dt.timedelta(seconds=1)  # the closing day is inclusive
    return {
        "token": token,
        "title": c.title,
        "school": _org(view.school),
        "receiver": _org(view.receiver),
        "sections": [{"key": key, "label": SECTIONS[key]} for key in c.sections],
        "section_keys": ",".join(c.sections),
        "purpose": c.purpose,
        "period_days": c.period_days,
        "period": how_long(c.period_days),
        "closes": datum(closes),
        "school_text": c.school_text,
    }


def unavailable(viewer: Caller | None) -> Template:
    """One page for an unknown, used or expired link: it tells nothing about which."""
    return Template(
        template_name=TEMPLATE,
        context={"state": "unavailable", "signed_in": viewer is not None},
        status_code=HTTP_404_NOT_FOUND,
    )


class CampaignPages(Controller):
    path = "/campagne"
    include_in_schema = False

    @get("/{token:str}", guards=[public])
    async def show(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[str],
        accounts: Accounts,
        dossiers: Dossiers,
        db_session: DbSession,
    ) -> Template:
        viewer = viewer_of(request)
        try:
            _, view = await AnswerService(db_session).open(token)
        except CampaignLinkUnavailable:
            return unavailable(viewer)
        is_youth = viewer is not None and viewer.kind == "youth"
        limits, dossier = None, None
        if viewer is not None and is_youth:
            youth = await accounts.get(viewer.account_id)
            limits = owner_limits(youth)
            dossier = await dossiers.of_owner(youth.id)
        return Template(
            template_name=TEMPLATE,
            context={
                **_context(token, view),
                "state": "ask",
                "signed_in": viewer is not None,
                "pro": viewer is not None and not is_youth,
                "is_youth": is_youth,
                "grant_limits": limits,
                "dossier_id": "" if dossier is None else str(dossier.id),
                "scripts": ["js/app/campaign.js"],
            },
        )

    @post("/{token:str}/nee", guards=[public], status_code=HTTP_200_OK)
    async def decline(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[str],
        accounts: Accounts,
        db_session: DbSession,
    ) -> Template:
        """A plain form post. With a rugzak the link is used up and the "no" is the youth's;
        without one the "no" is recorded and the link keeps working until the closing day."""
        viewer = viewer_of(request)
        youth = None
        if viewer is not None and viewer.kind == "youth":
            youth = await accounts.get(viewer.account_id)
        try:
            answer = await AnswerService(db_session).decline_link(token, youth)
        except CampaignLinkUnavailable:
            return unavailable(viewer)
        return Template(
            template_name=TEMPLATE,
            context={
                **_context(token, answer.view),
                "state": "declined",
                "signed_in": viewer is not None,
                "pro": viewer is not None and youth is None,
                "with_rugzak": youth is not None,
            },
        )
