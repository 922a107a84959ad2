"""The youth's answers to school campaigns on Delen ("Vragen van je school").

The Delen page lists every answer: what was asked, by which school, for which receiving
organisation, and the current answer. Changing it goes, with the page cookie and the CSRF
header, to the routes the Python client uses (`POST /api/v1/campaign-answers/{entry}/…`):

- "Toch ja" (after a "no" or a withdrawal): the browser makes the grants exactly like the
  campaign page (`js/app/campaign-grants.js`: an owner-signed receipt per section and the
  section key sealed to the RECEIVING organisation's pinned key) and posts them there.
- "Intrekken" (after a "yes"): the service refuses the grants at once and names the sections
  the browser rotates next, like the one-tap revoke on Delen (`rotate` in `js/app/consent.js`)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from consent.campaigns.answers import Answer, AnswerService
from consent.campaigns.service import ACCEPTED
from dossier.sections.catalogue import SECTIONS
from web.pages.campaign import _org, how_long

ANSWER_LABELS = {
    "not_opened": "Nog niet beantwoord",
    "opened": "Nog niet beantwoord",
    "accepted": "Ja, dat mag",
    "declined": "Nee, liever niet",
    "withdrawn": "Ingetrokken",
}


@dataclass(frozen=True)
class CampaignAnswerView:
    """One answer as the Delen page shows it (the receiver's key for sealing "Toch ja")."""

    entry_id: str
    title: str
    school: dict[str, str]
    receiver: dict[str, str]
    sections: str
    section_keys: str
    purpose: str
    period_days: int
    period: str
    state: str
    answer: str
    can_accept: bool
    can_withdraw: bool

    @classmethod
    def of(cls, answer: Answer, now: dt.datetime) -> CampaignAnswerView:
        c = answer.view.campaign
        state = answer.state
        return cls(
            entry_id=str(answer.entry.id),
            title=c.title,
            school=_org(answer.view.school),
            receiver=_org(answer.view.receiver),
            sections=", ".join(SECTIONS[key].lower() for key in c.sections),
            section_keys=",".join(c.sections),
            purpose=c.purpose,
            period_days=c.period_days,
            period=how_long(c.period_days),
            state=state,
            answer=ANSWER_LABELS.get(state, state),
            can_accept=state != ACCEPTED and c.closes_at > now,
            can_withdraw=state == ACCEPTED,
        )


async def campaign_answers(db: AsyncSession, youth_id: uuid.UUID) -> list[CampaignAnswerView]:
    now = dt.datetime.now(dt.UTC)
    return [CampaignAnswerView.of(a, now) for a in await AnswerService(db).mine(youth_id)]
