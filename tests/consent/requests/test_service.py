"""RequestService against SQLite and PostgreSQL, rolled back per test: only a connected
professional asks; the youth answers yes, partly or no with a statement she signed, which must
say exactly what the grants do; a withdrawal revokes what the answer made."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from consent.grants.models import Grant
from consent.log.models import LogEvent
from consent.requests import schemas as s
from consent.requests.service import RequestService
from dossier import crypto
from dossier.errors import Conflict, Forbidden, InvalidInput, NotFound
from dossier.sections.models import Dossier
from tests.consent.caseload.world import Party, Youth, connect, organisation, pro, share, youth
from tests.support.factories import grant_in, row_counts


def statement(owner: Youth, request, kind: str, signer: crypto.Identity | None = None, **fields):
    """The owner's signed statement, as dossier/client/requests.py makes it."""
    return crypto.sign_statement(
        signer or owner.identity,
        {
            "kind": kind,
            "request": str(request.id),
            "dossier": str(request.dossier_id),
            "at": crypto.format_time(dt.datetime.now(dt.UTC)),
            **fields,
        },
    )


def grants_for(owner: Youth, request, to: Party, sections, *, days=None, permissions=None):
    return [
        grant_in(
            owner.identity,
            dossier=str(owner.dossier_id),
            section=key,
            grantee_id=str(request.grantee_id),
            grantee=to.identity.public,
            section_sk=bytes(owner.keys[key].sk),
            grantee_kind=request.grantee_kind,
            permissions=tuple(permissions or request.permissions),
            days=request.period_days if days is None else days,
            purpose=request.purpose,
        )
        for key in sections
    ]


def answer(owner: Youth, request, to: Party, chosen, word=None, **extra) -> s.Answer:
    chosen = sorted(chosen)
    word = word or ("no" if not chosen else "yes" if chosen == request.sections else "partly")
    signed = statement(owner, request, "consent-answer", answer=word, sections=chosen, **extra)
    return s.Answer(answer=word, statement=signed, grants=grants_for(owner, request, to, chosen))


async def asked(db, sections=("plan", "werk"), **fields):
    owner, coach = await youth(db), await pro(db)
    await connect(db, owner, coach)
    data = s.NewRequest(sections=list(sections), purpose="Werk zoeken", period_days=90, **fields)
    request = await RequestService(db).create(coach.id, owner.dossier_id, data)
    return owner, coach, request


async def refused(db, error, call) -> None:
    before = await row_counts(db)
    with pytest.raises(error):
        await call
    assert await row_counts(db) == before


async def test_a_connected_professional_asks_and_the_request_is_open(db):
    owner, coach = await youth(db), await pro(db)
    await connect(db, owner, coach)
    data = s.NewRequest(sections=["werk", "plan", "werk"], purpose="  Werk zoeken ", period_days=90)
    request = await RequestService(db).create(coach.id, owner.dossier_id, data)
    assert (request.state, request.sections, request.purpose) == (
        "open",
        ["plan", "werk"],
        "Werk zoeken",
    )
    assert (request.grantee_kind, request.grantee_id, request.permissions) == (
        "person",
        coach.id,
        ["read"],
    )


async def test_a_professional_who_is_not_connected_may_not_ask(db):
    owner, stranger = await youth(db), await pro(db)
    data = s.NewRequest(sections=["plan"], purpose="Kennismaken")
    await refused(db, Forbidden, RequestService(db).create(stranger.id, owner.dossier_id, data))


async def test_a_professional_whose_connection_ended_may_not_ask(db):
    owner, coach = await youth(db), await pro(db)
    connection = await connect(db, owner, coach)
    connection.ended_at = dt.datetime.now(dt.UTC)
    await db.flush()
    data = s.NewRequest(sections=["plan"], purpose="Kennismaken")
    await refused(db, Forbidden, RequestService(db).create(coach.id, owner.dossier_id, data))


async def test_a_connection_to_one_dossier_does_not_allow_asking_another(db):
    owner, other, coach = await youth(db), await youth(db), await pro(db)
    await connect(db, owner, coach)
    data = s.NewRequest(sections=["plan"], purpose="Kennismaken")
    await refused(db, Forbidden, RequestService(db).create(coach.id, other.dossier_id, data))


@pytest.mark.parametrize(
    "fields",
    [
        {"sections": []},
        {"sections": ["plan", "dagboek"]},
        {"purpose": "   "},
        {"period_days": 0},
        {"period_days": 731},
    ],
)
async def test_a_request_outside_the_rules_is_denied(db, fields):
    owner, coach = await youth(db), await pro(db)
    await connect(db, owner, coach)
    data = s.NewRequest(**{"sections": ["plan"], "purpose": "Werk", **fields})
    await refused(db, InvalidInput, RequestService(db).create(coach.id, owner.dossier_id, data))


async def test_a_person_asks_only_for_themselves(db):
    owner, coach, colleague = await youth(db), await pro(db), await pro(db)
    await connect(db, owner, coach)
    data = s.NewRequest(sections=["plan"], purpose="Werk", grantee_id=str(colleague.id))
    await refused(db, Forbidden, RequestService(db).create(coach.id, owner.dossier_id, data))


async def test_asking_for_an_organisation_needs_an_active_membership_of_it(db):
    owner, coach, admin = await youth(db), await pro(db), await pro(db)
    await connect(db, owner, coach)
    theirs = await organisation(db, admin)
    data = s.NewRequest(
        sections=["plan"], purpose="Werk", grantee_kind="organisation", grantee_id=str(theirs.id)
    )
    await refused(db, Forbidden, RequestService(db).create(coach.id, owner.dossier_id, data))
    mine = await organisation(db, admin, coach)
    data.grantee_id = str(mine.id)
    request = await RequestService(db).create(coach.id, owner.dossier_id, data)
    assert (request.grantee_kind, request.grantee_id) == ("organisation", mine.id)


async def test_yes_makes_a_grant_per_asked_section_and_keeps_the_signed_statement(db):
    owner, coach, request = await asked(db)
    data = answer(owner, request, coach, ["plan", "werk"])
    answered, due = await RequestService(db).answer(owner.account, request.id, data)
    assert (answered.state, answered.granted_sections, due) == ("answered", ["plan", "werk"], [])
    assert answered.receipts == [data.statement]
    assert answered.answered_at is not None
    made = list(await db.scalars(select(Grant).where(Grant.request_id == request.id)))
    assert sorted(g.section for g in made) == ["plan", "werk"]
    assert {g.grantee_id for g in made} == {coach.id}
    logged = list(
        await db.scalars(select(LogEvent.action).where(LogEvent.action == "request:answer"))
    )
    assert len(logged) == 2


async def test_partly_grants_only_the_chosen_sections(db):
    owner, coach, request = await asked(db)
    answered, _ = await RequestService(db).answer(
        owner.account, request.id, answer(owner, request, coach, ["werk"])
    )
    assert (answered.state, answered.granted_sections) == ("answered", ["werk"])
    made = await db.scalars(select(Grant.section).where(Grant.request_id == request.id))
    assert list(made) == ["werk"]


async def test_no_grants_nothing_and_is_logged_once(db):
    owner, coach, request = await asked(db)
    answered, _ = await RequestService(db).answer(
        owner.account, request.id, answer(owner, request, coach, [])
    )
    assert (answered.state, answered.granted_sections) == ("declined", [])
    assert list(await db.scalars(select(Grant.id))) == []
    logged = list(
        await db.scalars(select(LogEvent.action).where(LogEvent.action == "request:answer"))
    )
    assert logged == ["request:answer"]


async def test_a_statement_not_signed_by_the_owner_is_denied(db):
    owner, coach, request = await asked(db)
    data = answer(owner, request, coach, ["plan", "werk"])
    data.statement = statement(
        owner,
        request,
        "consent-answer",
        signer=coach.identity,
        answer="yes",
        sections=["plan", "werk"],
    )
    await refused(db, InvalidInput, RequestService(db).answer(owner.account, request.id, data))


async def test_a_statement_changed_after_signing_is_denied(db):
    owner, coach, request = await asked(db)
    data = answer(owner, request, coach, ["werk"])
    data.statement = {**data.statement, "sections": ["plan", "werk"]}
    await refused(db, InvalidInput, RequestService(db).answer(owner.account, request.id, data))


@pytest.mark.parametrize(
    "bend",
    [
        {"kind": "consent-withdraw"},
        {"request": "00000000-0000-4000-8000-000000000000"},
    ],
)
async def test_a_statement_about_something_else_is_denied(db, bend):
    owner, coach, request = await asked(db)
    data = answer(owner, request, coach, ["plan", "werk"])
    fields = {k: v for k, v in data.statement.items() if k not in {"v", "signature"}}
    data.statement = crypto.sign_statement(owner.identity, {**fields, **bend})
    await refused(db, InvalidInput, RequestService(db).answer(owner.account, request.id, data))


@pytest.mark.parametrize(
    ("word", "chosen", "said"),
    [
        ("yes", ["plan"], None),  # yes must grant every asked section
        ("partly", ["plan", "werk"], None),  # partly must leave one out
        ("partly", [], None),  # partly must grant something
        ("no", ["plan"], None),  # no grants nothing
        ("yes", ["plan", "werk"], "partly"),  # the statement says another answer
    ],
)
async def test_an_answer_that_does_not_match_its_grants_and_statement_is_denied(
    db, word, chosen, said
):
    owner, coach, request = await asked(db)
    data = answer(owner, request, coach, chosen, word)
    if said is not None:
        data.statement = statement(
            owner, request, "consent-answer", answer=said, sections=sorted(chosen)
        )
    await refused(db, InvalidInput, RequestService(db).answer(owner.account, request.id, data))


async def test_a_statement_naming_other_sections_than_the_grants_is_denied(db):
    owner, coach, request = await asked(db)
    data = answer(owner, request, coach, ["werk"])
    data.statement = statement(owner, request, "consent-answer", answer="partly", sections=["plan"])
    await refused(db, InvalidInput, RequestService(db).answer(owner.account, request.id, data))


@pytest.mark.parametrize("beyond", ["permissions", "period", "grantee"])
async def test_a_grant_beyond_what_was_asked_is_denied(db, beyond):
    owner, coach, request = await asked(db)
    data = answer(owner, request, coach, ["plan", "werk"])
    if beyond == "permissions":
        data.grants = grants_for(
            owner, request, coach, ["plan", "werk"], permissions=["append", "read"]
        )
    elif beyond == "period":
        data.grants = grants_for(
            owner, request, coach, ["plan", "werk"], days=request.period_days + 30
        )
    else:
        other = await pro(db)
        data.grants = [
            grant_in(
                owner.identity,
                dossier=str(owner.dossier_id),
                section=key,
                grantee_id=str(other.id),
                grantee=other.identity.public,
                section_sk=bytes(owner.keys[key].sk),
                days=30,
            )
            for key in ("plan", "werk")
        ]
    await refused(db, InvalidInput, RequestService(db).answer(owner.account, request.id, data))


async def test_a_request_is_answered_once(db):
    owner, coach, request = await asked(db)
    service = RequestService(db)
    await service.answer(owner.account, request.id, answer(owner, request, coach, ["werk"]))
    again = answer(owner, request, coach, ["plan", "werk"])
    await refused(db, Conflict, service.answer(owner.account, request.id, again))


async def test_only_the_owner_of_the_dossier_answers(db):
    owner, coach, request = await asked(db)
    other = await youth(db)
    data = answer(other, request, coach, [])
    await refused(db, NotFound, RequestService(db).answer(other.account, request.id, data))
    await refused(db, NotFound, RequestService(db).answer(owner.account, uuid.uuid4(), data))


async def test_yes_to_aftercare_is_a_step_down_that_ends_the_other_grants(db):
    owner, coach, request = await asked(db, sections=("plan",), kind="aftercare")
    wide = await share(db, owner, "notities", coach)
    appender = await share(db, owner, "werk", coach, permissions=("append",))
    data = answer(owner, request, coach, ["plan"], step_down=True)
    answered, due = await RequestService(db).answer(owner.account, request.id, data)
    assert answered.state == "answered"
    assert due == ["notities"]
    for grant in (wide, appender):
        await db.refresh(grant)
        assert grant.revoked_at is not None
    [kept] = await db.scalars(select(Grant).where(Grant.revoked_at.is_(None)))
    assert (kept.section, kept.request_id) == ("plan", request.id)


async def test_yes_to_aftercare_without_saying_step_down_is_denied(db):
    owner, coach, request = await asked(db, sections=("plan",), kind="aftercare")
    wide = await share(db, owner, "notities", coach)
    data = answer(owner, request, coach, ["plan"])
    await refused(db, InvalidInput, RequestService(db).answer(owner.account, request.id, data))
    await db.refresh(wide)
    assert wide.revoked_at is None


async def test_withdraw_revokes_what_the_answer_made_and_names_what_to_rotate(db):
    owner, coach, request = await asked(db)
    other = await share(db, owner, "notities", coach)  # not made by this request
    service = RequestService(db)
    await service.answer(owner.account, request.id, answer(owner, request, coach, ["plan", "werk"]))
    signed = statement(owner, request, "consent-withdraw", sections=["plan", "werk"])
    due = await service.withdraw(owner.account, request.id, s.Withdraw(statement=signed))
    assert due == ["plan", "werk"]
    assert request.state == "withdrawn"
    assert request.receipts[-1] == signed
    made = list(await db.scalars(select(Grant).where(Grant.request_id == request.id)))
    assert all(g.revoked_at is not None for g in made)
    await db.refresh(other)
    assert other.revoked_at is None
    logged = list(
        await db.scalars(select(LogEvent.action).where(LogEvent.action == "request:withdraw"))
    )
    assert len(logged) == 2


async def test_withdraw_with_a_statement_that_does_not_match_is_denied(db):
    owner, coach, request = await asked(db)
    service = RequestService(db)
    await service.answer(owner.account, request.id, answer(owner, request, coach, ["plan", "werk"]))
    for signed in (
        statement(owner, request, "consent-answer", sections=["plan", "werk"]),
        statement(owner, request, "consent-withdraw", signer=coach.identity),
    ):
        await refused(
            db, InvalidInput, service.withdraw(owner.account, request.id, s.Withdraw(signed))
        )
    assert request.state == "answered"
    assert list(await db.scalars(select(Grant.revoked_at))) == [None, None]


async def test_only_a_request_said_yes_to_can_be_withdrawn(db):
    owner, coach, request = await asked(db)
    service = RequestService(db)
    signed = statement(owner, request, "consent-withdraw", sections=[])
    await refused(db, Conflict, service.withdraw(owner.account, request.id, s.Withdraw(signed)))
    await service.answer(owner.account, request.id, answer(owner, request, coach, []))
    await refused(db, Conflict, service.withdraw(owner.account, request.id, s.Withdraw(signed)))


async def test_the_owner_sees_every_request_a_requester_only_their_own(db):
    owner, coach, request = await asked(db)
    colleague = await pro(db)
    await connect(db, owner, colleague)
    theirs = await RequestService(db).create(
        colleague.id, owner.dossier_id, s.NewRequest(sections=["plan"], purpose="Wonen")
    )
    dossier = await db.get_one(Dossier, owner.dossier_id)
    service = RequestService(db)
    assert {r.id for r in await service.visible(owner.id, dossier)} == {request.id, theirs.id}
    assert [r.id for r in await service.visible(coach.id, dossier)] == [request.id]
    assert [r.id for r in await service.visible(colleague.id, dossier)] == [theirs.id]


async def test_a_malformed_receipt_in_an_answer_is_invalid_input(db):
    owner, coach, request = await asked(db)
    data = answer(owner, request, coach, ["plan", "werk"])
    data.grants[0].receipt = {"v": 1}
    await refused(db, InvalidInput, RequestService(db).answer(owner.account, request.id, data))
