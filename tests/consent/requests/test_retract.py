"""RequestService.retract against SQLite and PostgreSQL, rolled back per test: the asker
withdraws an unanswered request with a statement they signed; it is logged, kept as a receipt,
and an answer to it is refused. Only the asker may, and only before the youth answers."""

from sqlalchemy import select

from consent.log.models import LogEvent
from consent.requests import schemas as s
from consent.requests.errors import RequestAnswered, RequestRetracted
from consent.requests.service import RequestService
from dossier.errors import InvalidInput, NotFound
from dossier.notify.models import Notice
from dossier.sections.models import Dossier
from tests.consent.caseload.world import connect, pro
from tests.consent.requests.test_service import answer, asked, refused, statement


def retract(owner, request, signer) -> s.Retract:
    return s.Retract(statement=statement(owner, request, "consent-retract", signer=signer))


async def test_the_asker_retracts_an_open_request_and_the_youth_can_no_longer_answer(db):
    owner, coach, request = await asked(db)
    service = RequestService(db)
    data = retract(owner, request, coach.identity)
    await service.retract(coach.account, request.id, data)
    assert request.state == "retracted"
    assert request.receipts == [data.statement]
    [logged] = await db.scalars(
        select(LogEvent).where(
            LogEvent.dossier_id == owner.dossier_id, LogEvent.action == "request:retract"
        )
    )
    assert logged.actor == str(coach.id)
    [notice] = await db.scalars(select(Notice).where(Notice.event_id == request.id))
    assert (notice.account_id, notice.kind) == (owner.id, "request")
    assert notice.read_at is not None  # her badge no longer points at it
    yes = answer(owner, request, coach, ["plan", "werk"])
    await refused(db, RequestRetracted, service.answer(owner.account, request.id, yes))
    await refused(db, RequestRetracted, service.retract(coach.account, request.id, data))
    dossier = await db.get_one(Dossier, owner.dossier_id)
    [seen] = await service.visible(owner.id, dossier)  # kept, with its receipt, as retracted
    assert seen.state == "retracted"


async def test_only_the_asker_retracts(db):
    owner, _, request = await asked(db)
    colleague = await pro(db)
    await connect(db, owner, colleague)
    service = RequestService(db)
    for who in (colleague, owner):  # another professional; the youth (she says no instead)
        data = retract(owner, request, who.identity)
        await refused(db, NotFound, service.retract(who.account, request.id, data))
    assert request.state == "open"


async def test_an_answered_request_cannot_be_retracted(db):
    owner, coach, request = await asked(db)
    service = RequestService(db)
    await service.answer(owner.account, request.id, answer(owner, request, coach, []))
    data = retract(owner, request, coach.identity)
    await refused(db, RequestAnswered, service.retract(coach.account, request.id, data))
    assert request.state == "declined"


async def test_a_retraction_not_signed_by_the_asker_or_about_another_request_is_refused(db):
    owner, coach, request = await asked(db)
    _, _, other = await asked(db)
    service = RequestService(db)
    for data in (
        retract(owner, request, owner.identity),  # signed by someone else
        s.Retract(statement(owner, other, "consent-retract", signer=coach.identity)),
        s.Retract(statement(owner, request, "consent-answer", signer=coach.identity)),
    ):
        await refused(db, InvalidInput, service.retract(coach.account, request.id, data))
    assert request.state == "open"
