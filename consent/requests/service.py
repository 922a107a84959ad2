"""Consent requests: a connected party asks for sections, for a purpose, for a period; the
youth answers yes, partly or no, and can withdraw later from the same place. Every state change
stores an owner-signed statement (the receipt the youth downloads) and a log event."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.connections.models import Connection
from consent.grants.models import Grant
from consent.grants.service import GrantService
from consent.log.actions import LogAction
from consent.log.service import LogService
from consent.notify import events
from consent.parties.models import Membership
from consent.requests import handover
from consent.requests import schemas as s
from consent.requests.errors import RequestAnswered, RequestRetracted
from consent.requests.models import ConsentRequest
from dossier import crypto
from dossier.accounts.models import Account
from dossier.accounts.service import parse_uuid
from dossier.db import utcnow
from dossier.errors import Conflict, Forbidden, InvalidInput, NotFound
from dossier.sections.catalogue import SECTIONS
from dossier.sections.models import Dossier

MAX_PERIOD_DAYS = 730
RETRACTED = "retracted"
SLACK = dt.timedelta(days=1)


class RequestService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def create(
        self, requester: uuid.UUID, dossier_id: uuid.UUID, data: s.NewRequest
    ) -> ConsentRequest:
        connected = await self.db.scalar(
            select(Connection.id).where(
                Connection.dossier_id == dossier_id,
                Connection.professional_id == requester,
                Connection.ended_at.is_(None),
                Connection.purpose == "care",  # a trusted person (recovery only) cannot ask
            )
        )
        if connected is None:
            raise Forbidden("only a connected professional may ask")
        if not data.sections or not set(data.sections) <= set(SECTIONS):
            raise InvalidInput("ask for one or more sections of the catalogue")
        if not 1 <= data.period_days <= MAX_PERIOD_DAYS or not data.purpose.strip():
            raise InvalidInput("a request needs a purpose and a period of 1 to 730 days")
        grantee, notes = await self._grantee(requester, data)
        request = ConsentRequest(
            dossier_id=dossier_id,
            requester_id=requester,
            grantee_kind=data.grantee_kind,
            grantee_id=grantee,
            sections=sorted(set(data.sections)),
            permissions=sorted(set(data.permissions)),
            purpose=data.purpose.strip(),
            period_days=data.period_days,
            kind=data.kind,
            granted_sections=[],
            receipts=[],
            note_owner=None if notes is None else notes.note_owner,
            note_grantee=None if notes is None else notes.note_grantee,
            step_down=data.step_down,
        )
        self.db.add(request)
        await self.db.flush()
        if notes is not None:  # the youth's log shows who proposed a handover, and when
            await LogService(self.db).record(dossier_id, requester, LogAction.HANDOVER)
        owner = await self.db.scalar(select(Dossier.owner_id).where(Dossier.id == dossier_id))
        if owner is not None:
            await events.to_person(self.db, owner, "request", request.id, dossier_id)
        return request

    async def _grantee(
        self, requester: uuid.UUID, data: s.NewRequest
    ) -> tuple[uuid.UUID, handover.Notes | None]:
        """Whom the grants would go to: the asker, an organisation the asker is a member of,
        or, for a handover only, the next professional (with the sealed notes)."""
        if data.kind == "handover":
            notes = await handover.checked_notes(self.db, requester, data)
            return notes.grantee, notes
        if data.note_owner or data.note_grantee or data.grantee_key or data.step_down:
            raise InvalidInput("only a handover carries a note, a key code or a step-down")
        grantee = requester if data.grantee_id is None else parse_uuid(data.grantee_id)
        if data.grantee_kind == "organisation":
            member = await self.db.scalar(
                select(Membership.id).where(
                    Membership.org_id == grantee,
                    Membership.account_id == requester,
                    Membership.state == "active",
                )
            )
            if member is None:
                raise Forbidden("ask for an organisation you are a member of")
        elif grantee != requester:
            raise Forbidden("a person asks for themselves")
        return grantee, None

    async def handover_candidates(self, caller: uuid.UUID, query: str) -> list[handover.Candidate]:
        """Overdragen: the professionals the caller may propose (`handover.candidates`)."""
        return await handover.candidates(self.db, caller, query)

    async def visible(self, caller: uuid.UUID, dossier: Dossier) -> list[ConsentRequest]:
        query = select(ConsentRequest).where(ConsentRequest.dossier_id == dossier.id)
        if dossier.owner_id != caller:
            query = query.where(
                or_(
                    ConsentRequest.requester_id == caller,
                    and_(  # a handover the youth said yes to: its note reaches the new pro
                        ConsentRequest.kind == "handover",  # (or every member of the new org)
                        ConsentRequest.state == "answered",
                        or_(
                            and_(
                                ConsentRequest.grantee_kind == "person",
                                ConsentRequest.grantee_id == caller,
                            ),
                            and_(
                                ConsentRequest.grantee_kind == "organisation",
                                ConsentRequest.grantee_id.in_(
                                    select(Membership.org_id).where(
                                        Membership.account_id == caller,
                                        Membership.state == "active",
                                    )
                                ),
                            ),
                        ),
                    ),
                )
            )
        return list(await self.db.scalars(query.order_by(ConsentRequest.created_at)))

    async def owned(self, owner: Account, request_id: uuid.UUID) -> tuple[ConsentRequest, Dossier]:
        """The owner's request, its row locked until the transaction ends (PostgreSQL; SQLite
        has one writer at a time): an answer, a withdrawal and the asker's retraction of one
        request are decided one after the other, never both on an "open" state."""
        request = await self.db.get(ConsentRequest, request_id, with_for_update=True)
        dossier = None if request is None else await self.db.get(Dossier, request.dossier_id)
        if request is None or dossier is None or dossier.owner_id != owner.id:
            raise NotFound("request")
        return request, dossier

    def _statement(
        self, owner: Account, request: ConsentRequest, statement: dict[str, Any], kind: str
    ) -> dict[str, Any]:
        try:
            fields = crypto.verify_statement(statement, owner.sign_pk)
        except crypto.CryptoError as exc:
            raise InvalidInput("statement is not signed by the owner") from exc
        if fields.get("kind") != kind or fields.get("request") != str(request.id):
            raise InvalidInput("statement is about something else")
        return statement

    async def answer(
        self, owner: Account, request_id: uuid.UUID, data: s.Answer
    ) -> tuple[ConsentRequest, list[str]]:
        """The answer, and the sections the owner's client must now rotate. A yes (or partly)
        to an aftercare request is a step-down: the owner's statement says so, and every
        other grant to that party ends in the same transaction."""
        request, dossier = await self.owned(owner, request_id)
        if request.state == RETRACTED:
            raise RequestRetracted("the asker withdrew this request")
        if request.state != "open":
            raise Conflict("this request has been answered")
        statement = self._statement(owner, request, data.statement, "consent-answer")
        granted = sorted({g.section for g in data.grants})
        wanted = set(request.sections)
        fits = {
            "yes": set(granted) == wanted,
            "partly": bool(granted) and set(granted) < wanted,
            "no": not granted,
        }[data.answer]
        step_down = request.kind == "aftercare" and data.answer != "no"
        hands_over = request.kind == "handover" and data.answer != "no"
        if request.kind == "handover":
            step_down = request.step_down and hands_over
            handover.check_card(request.grantee_kind, hands_over=hands_over, card=data.card)
        if (
            not fits
            or statement.get("answer") != data.answer
            or statement.get("sections") != granted
            or statement.get("step_down", False) is not step_down
        ):
            raise InvalidInput("the answer does not match the grants")
        for item in data.grants:
            self._check_item(request, item)
        grants = GrantService(self.db)
        rotation_due: list[str] = []
        if step_down:
            who = request.requester_id if request.kind == "handover" else request.grantee_id
            ended = await grants.open_ids(dossier.id, who)
            rotation_due = await grants.revoke(owner, dossier.id, ended, LogAction.STEP_DOWN)
        if hands_over and data.card is not None:  # a person: an organisation has no connection
            await handover.connect(self.db, dossier, request.grantee_id, data.card)
        if data.grants:
            await grants.create(
                owner, dossier, data.grants, request_id=request.id, action=LogAction.REQUEST_ANSWER
            )
        else:
            await LogService(self.db).record(dossier.id, owner.id, LogAction.REQUEST_ANSWER)
        request.state = "declined" if data.answer == "no" else "answered"
        request.granted_sections = granted
        request.answered_at = utcnow()
        request.receipts = [*request.receipts, statement]
        await self.db.flush()
        await events.to_person(self.db, request.requester_id, "answer", request.id, dossier.id)
        if hands_over:
            await handover.notify(self.db, request)
        return request, rotation_due

    @staticmethod
    def _check_item(request: ConsentRequest, item: Any) -> None:
        try:
            receipt = crypto.ConsentReceipt.from_json(item.receipt)
        except crypto.CryptoError as exc:
            raise InvalidInput("a grant's receipt is malformed") from exc
        latest_end = utcnow() + dt.timedelta(days=request.period_days) + SLACK
        if (
            item.grantee_id != str(request.grantee_id)
            or item.grantee_kind != request.grantee_kind
            or not set(receipt.permissions) <= set(request.permissions)
            or crypto.parse_time(receipt.expires_at) > latest_end
        ):
            raise InvalidInput("a grant goes beyond what was asked")

    async def withdraw(self, owner: Account, request_id: uuid.UUID, data: s.Withdraw) -> list[str]:
        """One action: every grant this request made is revoked at once; the owner's client
        then rotates the sections returned."""
        request, dossier = await self.owned(owner, request_id)
        if request.state != "answered":
            raise Conflict("only a request you said yes to can be withdrawn")
        statement = self._statement(owner, request, data.statement, "consent-withdraw")
        ids = await self.db.scalars(
            select(Grant.id).where(Grant.request_id == request.id, Grant.revoked_at.is_(None))
        )
        sections = await GrantService(self.db).revoke(
            owner, dossier.id, [str(i) for i in ids], LogAction.REQUEST_WITHDRAW
        )
        request.state = "withdrawn"
        request.receipts = [*request.receipts, statement]
        await self.db.flush()
        return sections

    async def retract(
        self, requester: Account, request_id: uuid.UUID, data: s.Retract
    ) -> ConsentRequest:
        """The asker withdraws a request (a handover proposal, a nazorg proposal, a request
        for access) before the youth answered: it leaves her Delen screen, an answer to it is
        refused (`RequestRetracted`), her log says so and the asker's signed statement is the
        receipt. Only the asker may (NotFound for anyone else, the youth included: she says
        no instead); an answered request cannot be (`RequestAnswered`)."""
        request = await self.db.get(ConsentRequest, request_id, with_for_update=True)
        if request is None or request.requester_id != requester.id:
            raise NotFound("request")
        if request.state == RETRACTED:
            raise RequestRetracted("already withdrawn")
        if request.state != "open":
            raise RequestAnswered("the youth answered this request")
        statement = self._statement(requester, request, data.statement, "consent-retract")
        if statement.get("dossier") != str(request.dossier_id):
            raise InvalidInput("statement is about something else")
        request.state = RETRACTED
        request.receipts = [*request.receipts, statement]
        await self.db.flush()
        await LogService(self.db).record(
            request.dossier_id, requester.id, LogAction.REQUEST_RETRACT
        )
        owner = await self.db.scalar(
            select(Dossier.owner_id).where(Dossier.id == request.dossier_id)
        )
        if owner is not None:  # her badge no longer points at a request that is gone
            await events.settle(self.db, owner, "request", request.id)
        return request
