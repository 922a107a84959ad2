"""Campaigns on the student's side: open the personal link, accept, decline, change the answer
later, withdraw.

Security invariants: an unknown, used or expired link all end in the same
`CampaignLinkUnavailable`, so the answer tells nothing about which references exist. The
grants an acceptance carries are made and signed by the youth's client, for exactly the
receiving organisation, the sections asked (or fewer), read only, with the campaign's purpose
and at most its period; they are stored with the answer in one transaction. The link is used
up by a conditional update, so two answers racing on one link cannot both win."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from consent.campaigns.errors import AnswerMismatch, CampaignClosed, CampaignLinkUnavailable
from consent.campaigns.models import Campaign, CampaignEntry
from consent.campaigns.service import (
    ACCEPTED,
    WITHDRAWN,
    CampaignService,
    CampaignView,
    code_hash,
    code_key,
)
from consent.campaigns.service import token_hash as hash_of
from consent.grants.models import Grant
from consent.grants.schemas import GrantIn
from consent.grants.service import GrantService
from consent.log.actions import LogAction
from consent.log.service import LogService
from dossier import crypto
from dossier.accounts.models import Account
from dossier.db import utcnow
from dossier.errors import Conflict, Forbidden, NotFound
from dossier.sections.models import Dossier

MAX_TOKEN_CHARS = 64
DECLINED = "declined"
PERIOD_SLACK = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Answer:
    entry: CampaignEntry
    view: CampaignView
    grant_ids: list[str]
    rotate: list[str]

    @property
    def state(self) -> str:
        """An acceptance whose grants were all revoked (also through the grants API) shows
        as withdrawn."""
        if self.entry.state == ACCEPTED and not self.grant_ids:
            return WITHDRAWN
        return self.entry.state


def check_items(campaign: Campaign, items: Sequence[GrantIn], now: dt.datetime) -> None:
    """The grants must be what the campaign asked for, or less of it."""
    sections = [item.section for item in items]
    if len(set(sections)) != len(sections) or not set(sections) <= set(campaign.sections):
        raise AnswerMismatch("grants must name distinct sections the campaign asked for")
    longest = now + dt.timedelta(days=campaign.period_days) + PERIOD_SLACK
    for item in items:
        if item.grantee_kind != "organisation" or item.grantee_id != str(campaign.receiver_id):
            raise AnswerMismatch("grants go to the receiving organisation only")
        try:
            receipt = crypto.ConsentReceipt.from_json(item.receipt)
            expires = crypto.parse_time(receipt.expires_at)
        except crypto.CryptoError as exc:
            raise AnswerMismatch("receipt is malformed") from exc
        if tuple(receipt.permissions) != ("read",):
            raise AnswerMismatch("a campaign asks to read, nothing more")
        if receipt.purpose != campaign.purpose:
            raise AnswerMismatch("the receipt must state the campaign's purpose")
        if expires > longest:
            raise AnswerMismatch("a grant may not outlast the campaign's period")


def credential(token: str) -> ColumnElement[bool]:
    """The entry this link token, or this typed short code, opens."""
    by_link = CampaignEntry.token_hash == hash_of(token)
    code = code_key(token)
    return by_link if code is None else or_(by_link, CampaignEntry.code_hash == code_hash(code))


class AnswerService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session
        self.campaigns = CampaignService(session)
        self.grants = GrantService(session)
        self.log = LogService(session)

    # -- by link --------------------------------------------------------------------------

    async def _by_token(self, token: str) -> tuple[CampaignEntry, Campaign]:
        if not token or len(token) > MAX_TOKEN_CHARS:
            raise CampaignLinkUnavailable
        found = (
            await self.db.execute(
                select(CampaignEntry, Campaign)
                .join(Campaign, Campaign.id == CampaignEntry.campaign_id)
                .where(credential(token))
            )
        ).first()
        if found is None:
            raise CampaignLinkUnavailable
        entry, campaign = found
        if entry.youth_id is not None or campaign.closes_at <= utcnow():
            raise CampaignLinkUnavailable
        return entry, campaign

    async def open(self, token: str) -> tuple[CampaignEntry, CampaignView]:
        """What the link shows; the first time, the school's status turns to "opened"."""
        entry, campaign = await self._by_token(token)
        if entry.opened_at is None:
            entry.opened_at = utcnow()
            if entry.state == "not_opened":
                entry.state = "opened"
            await self.db.flush()
        return entry, await self.campaigns.view(campaign)

    async def _claim(self, entry: CampaignEntry, youth: Account) -> None:
        claimed = await self.db.scalar(
            update(CampaignEntry)
            .where(CampaignEntry.id == entry.id, CampaignEntry.youth_id.is_(None))
            .values(youth_id=youth.id)
            .returning(CampaignEntry.id)
        )
        if claimed is None:
            raise CampaignLinkUnavailable
        await self.db.refresh(entry)

    async def accept_link(self, token: str, youth: Account, items: Sequence[GrantIn]) -> Answer:
        entry, campaign = await self._by_token(token)
        dossier = await self._dossier_of(youth)
        check_items(campaign, items, utcnow())
        await self._claim(entry, youth)
        return await self._accept(entry, campaign, youth, dossier, items)

    async def decline_link(self, token: str, youth: Account | None) -> Answer:
        """With a rugzak the link is used up and the answer can be changed from the rugzak
        later; without one the "no" is recorded and the link keeps working until closing,
        so the student can still say yes."""
        entry, campaign = await self._by_token(token)
        dossier = None
        if youth is not None:
            dossier = await self._dossier_of(youth)
            await self._claim(entry, youth)
        entry.opened_at = entry.opened_at or utcnow()
        await self._set(entry, DECLINED, dossier, LogAction.REQUEST_ANSWER)
        return Answer(entry, await self.campaigns.view(campaign), [], [])

    async def answered_by(self, token: str, youth_id: uuid.UUID) -> Answer | None:
        """The answer this youth gave with this link (a student who scans the letter again),
        or None: for anyone else a used link stays as unavailable as an unknown one."""
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        found = (
            await self.db.execute(
                select(CampaignEntry, Campaign)
                .join(Campaign, Campaign.id == CampaignEntry.campaign_id)
                .where(
                    credential(token),
                    CampaignEntry.youth_id == youth_id,
                )
            )
        ).first()
        if found is None:
            return None
        entry, campaign = found
        live = [str(g.id) for g in await self._live_grants(entry)]
        return Answer(entry, await self.campaigns.view(campaign), live, [])

    # -- from the youth's rugzak ----------------------------------------------------------

    async def mine(self, youth_id: uuid.UUID) -> list[Answer]:
        rows = await self.db.execute(
            select(CampaignEntry, Campaign)
            .join(Campaign, Campaign.id == CampaignEntry.campaign_id)
            .where(CampaignEntry.youth_id == youth_id)
            .order_by(CampaignEntry.answered_at)
        )
        answers = []
        for entry, campaign in rows.tuples():
            live = await self._live_grants(entry)
            answers.append(
                Answer(entry, await self.campaigns.view(campaign), [str(g.id) for g in live], [])
            )
        return answers

    async def accept(self, youth: Account, entry_id: uuid.UUID, items: Sequence[GrantIn]) -> Answer:
        entry, campaign = await self._own(youth, entry_id)
        if campaign.closes_at <= utcnow():
            raise CampaignClosed("the campaign has closed")
        if entry.state == ACCEPTED and await self._live_grants(entry):
            raise Conflict("already accepted")
        check_items(campaign, items, utcnow())
        return await self._accept(entry, campaign, youth, await self._dossier_of(youth), items)

    async def decline(self, youth: Account, entry_id: uuid.UUID) -> Answer:
        return await self._end(youth, entry_id, DECLINED, LogAction.REQUEST_ANSWER)

    async def withdraw(self, youth: Account, entry_id: uuid.UUID) -> Answer:
        """Intrekken: the grants are refused at once; `rotate` names the sections the
        youth's client rotates next."""
        return await self._end(youth, entry_id, WITHDRAWN, LogAction.REQUEST_WITHDRAW)

    # -- helpers --------------------------------------------------------------------------

    async def _end(
        self, youth: Account, entry_id: uuid.UUID, state: str, action: LogAction
    ) -> Answer:
        entry, campaign = await self._own(youth, entry_id)
        if state == WITHDRAWN and entry.state != ACCEPTED:
            raise Conflict("only an acceptance can be withdrawn")
        dossier = await self._dossier_of(youth)
        live = [str(g.id) for g in await self._live_grants(entry)]
        rotate = []
        if live:
            rotate = await self.grants.revoke(youth, dossier.id, live, LogAction.REVOKE)
        await self._set(entry, state, dossier, action)
        return Answer(entry, await self.campaigns.view(campaign), [], rotate)

    async def _accept(
        self,
        entry: CampaignEntry,
        campaign: Campaign,
        youth: Account,
        dossier: Dossier,
        items: Sequence[GrantIn],
    ) -> Answer:
        made = await self.grants.create(youth, dossier, items, request_id=entry.id)
        entry.opened_at = entry.opened_at or utcnow()
        await self._set(entry, ACCEPTED, dossier, LogAction.REQUEST_ANSWER)
        view = await self.campaigns.view(campaign)
        return Answer(entry, view, [str(g.id) for g in made], [])

    async def _set(
        self, entry: CampaignEntry, state: str, dossier: Dossier | None, action: LogAction
    ) -> None:
        entry.state = state
        entry.answered_at = utcnow()
        if dossier is not None:
            await self.log.record(dossier.id, dossier.owner_id, action)
        await self.db.flush()

    async def _own(self, youth: Account, entry_id: uuid.UUID) -> tuple[CampaignEntry, Campaign]:
        found = (
            await self.db.execute(
                select(CampaignEntry, Campaign)
                .join(Campaign, Campaign.id == CampaignEntry.campaign_id)
                .where(CampaignEntry.id == entry_id, CampaignEntry.youth_id == youth.id)
            )
        ).first()
        if found is None:
            raise NotFound("campaign answer")
        return found[0], found[1]

    async def _dossier_of(self, youth: Account) -> Dossier:
        dossier = await self.db.scalar(select(Dossier).where(Dossier.owner_id == youth.id))
        if dossier is None:
            raise Forbidden("only a youth with a rugzak answers a campaign")
        return dossier

    async def _live_grants(self, entry: CampaignEntry) -> list[Grant]:
        rows = await self.db.scalars(
            select(Grant).where(Grant.request_id == entry.id, Grant.revoked_at.is_(None))
        )
        return list(rows)
