"""The handover rules of RequestService on SQLite and PostgreSQL, rolled back per test: only a
known professional (profile card, active membership, not the proposer) with the key code the
proposer compared; the note only on a handover; nothing visible to the next professional
before the yes; a yes connects them, with the youth's card, and steps the proposer down when
asked; a yes without the card is refused and changes nothing."""

import uuid

import pytest
from sqlalchemy import select

from consent.connections.models import Connection
from consent.connections.service import fingerprint_of
from consent.grants.models import Grant
from consent.log.models import LogEvent
from consent.profiles.models import ProfessionalProfile
from consent.requests import schemas as s
from consent.requests.errors import KeyMismatch, UnknownProfessional
from consent.requests.service import RequestService
from dossier import crypto
from dossier.errors import InvalidInput
from dossier.notify.models import Notice
from dossier.sections.models import Dossier
from tests.consent.caseload.world import connect, organisation, pro, share, youth
from tests.consent.requests.test_service import answer, refused

SEALED = crypto.b64e(bytes(160))  # the server cannot tell a note from random bytes


async def world(db):
    """A youth, coach A (connected, reads plan and werk) and coach B (profile, member)."""
    owner, coach_a, coach_b = await youth(db), await pro(db), await pro(db)
    await connect(db, owner, coach_a)
    await organisation(db, coach_b)
    db.add(ProfessionalProfile(account_id=coach_b.id, card=bytes(160)))
    await share(db, owner, "plan", coach_a)
    await share(db, owner, "werk", coach_a)
    await db.flush()
    return owner, coach_a, coach_b


def proposal(to, **fields) -> s.NewRequest:
    values = {
        "kind": "handover",
        "sections": ["plan", "werk"],
        "purpose": "Werk",
        "grantee_id": str(to.id),
        "grantee_key": fingerprint_of(to.account),
        "note_owner": SEALED,
        "note_grantee": SEALED,
        **fields,
    }
    return s.NewRequest(**values)


async def test_a_handover_is_stored_with_its_notes_and_step_down(db):
    owner, coach_a, coach_b = await world(db)
    made = await RequestService(db).create(
        coach_a.id, owner.dossier_id, proposal(coach_b, step_down=True)
    )
    assert (made.kind, made.grantee_id, made.step_down) == ("handover", coach_b.id, True)
    assert made.note_owner == crypto.b64d(SEALED)
    dossier = await db.get_one(Dossier, owner.dossier_id)
    assert await RequestService(db).visible(coach_b.id, dossier) == []
    logged = await db.scalars(
        select(LogEvent.actor).where(
            LogEvent.dossier_id == owner.dossier_id, LogEvent.action == "request:handover"
        )
    )
    assert list(logged) == [str(coach_a.id)]


async def test_an_unknown_professional_is_refused(db):
    owner, coach_a, coach_b = await world(db)
    no_profile, outsider = await pro(db), await pro(db)
    await organisation(db, no_profile)
    db.add(ProfessionalProfile(account_id=outsider.id, card=bytes(160)))  # but no membership
    await db.flush()
    service = RequestService(db)
    for who in (no_profile, outsider, coach_a, owner):
        data = proposal(who)
        await refused(db, UnknownProfessional, service.create(coach_a.id, owner.dossier_id, data))
    data = proposal(coach_b, grantee_id=str(uuid.uuid4()))
    await refused(db, UnknownProfessional, service.create(coach_a.id, owner.dossier_id, data))


async def test_a_key_code_that_is_not_theirs_is_refused(db):
    owner, coach_a, coach_b = await world(db)
    data = proposal(coach_b, grantee_key=fingerprint_of(coach_a.account))
    await refused(db, KeyMismatch, RequestService(db).create(coach_a.id, owner.dossier_id, data))


@pytest.mark.parametrize(
    "fields", [{"note_owner": None}, {"note_grantee": ""}, {"note_owner": crypto.b64e(b"x")}]
)
async def test_a_handover_without_both_notes_is_refused(db, fields):
    owner, coach_a, coach_b = await world(db)
    data = proposal(coach_b, **fields)
    await refused(db, InvalidInput, RequestService(db).create(coach_a.id, owner.dossier_id, data))


async def test_only_a_handover_carries_a_note_or_a_step_down(db):
    owner, coach_a, _ = await world(db)
    for extra in ({"note_owner": SEALED}, {"step_down": True}, {"grantee_key": "1"}):
        data = s.NewRequest(sections=["plan"], purpose="Werk", **extra)
        await refused(
            db, InvalidInput, RequestService(db).create(coach_a.id, owner.dossier_id, data)
        )


async def test_yes_connects_the_next_professional_and_steps_the_proposer_down(db):
    owner, coach_a, coach_b = await world(db)
    service = RequestService(db)
    made = await service.create(coach_a.id, owner.dossier_id, proposal(coach_b, step_down=True))
    data = answer(owner, made, coach_b, made.sections, step_down=True)
    data.card = SEALED
    done, rotation = await service.answer(owner.account, made.id, data)
    assert (done.state, rotation) == ("answered", ["plan", "werk"])
    link = await db.scalar(select(Connection).where(Connection.professional_id == coach_b.id))
    assert link is not None
    assert (link.youth_id, link.dossier_id, link.youth_card) == (
        owner.id,
        owner.dossier_id,
        crypto.b64d(SEALED),
    )
    live = await db.scalars(select(Grant).where(Grant.revoked_at.is_(None)))
    assert sorted((g.grantee_id == coach_b.id, g.section) for g in live) == [
        (True, "plan"),
        (True, "werk"),
    ]
    dossier = await db.get_one(Dossier, owner.dossier_id)
    assert [r.id for r in await service.visible(coach_b.id, dossier)] == [made.id]
    notices = await db.scalars(select(Notice.kind).where(Notice.account_id == coach_b.id))
    assert list(notices) == ["handover"]


async def test_without_step_down_the_proposer_keeps_reading(db):
    owner, coach_a, coach_b = await world(db)
    service = RequestService(db)
    made = await service.create(coach_a.id, owner.dossier_id, proposal(coach_b))
    data = answer(owner, made, coach_b, ["plan"])
    data.card = SEALED
    await service.answer(owner.account, made.id, data)
    kept = await db.scalars(
        select(Grant.section).where(Grant.grantee_id == coach_a.id, Grant.revoked_at.is_(None))
    )
    assert sorted(kept) == ["plan", "werk"]


async def test_a_signed_answer_must_say_whether_the_proposer_steps_down(db):
    owner, coach_a, coach_b = await world(db)
    service = RequestService(db)
    made = await service.create(coach_a.id, owner.dossier_id, proposal(coach_b, step_down=True))
    data = answer(owner, made, coach_b, made.sections)  # no step_down in the statement
    data.card = SEALED
    await refused(db, InvalidInput, service.answer(owner.account, made.id, data))


async def test_a_yes_without_the_card_or_a_no_with_one_is_refused(db):
    owner, coach_a, coach_b = await world(db)
    service = RequestService(db)
    made = await service.create(coach_a.id, owner.dossier_id, proposal(coach_b))
    await refused(
        db,
        InvalidInput,
        service.answer(owner.account, made.id, answer(owner, made, coach_b, made.sections)),
    )
    no = answer(owner, made, coach_b, [])
    no.card = SEALED
    await refused(db, InvalidInput, service.answer(owner.account, made.id, no))
    assert (
        await db.scalar(select(Connection).where(Connection.professional_id == coach_b.id)) is None
    )


async def test_a_handover_to_an_organisation_reaches_its_members_after_the_yes(db):
    """Found by name with the organisation key's code; the grants go to the organisation
    (no connection, no card); its active members see the request and hear of it only after
    the yes, an outsider never."""
    owner, coach_a, _ = await world(db)
    member, outsider = await pro(db), await pro(db)
    org = await organisation(db, member)
    service = RequestService(db)
    found = await service.handover_candidates(coach_a.id, "jongerenloket")
    assert org.id in {c.org.id for c in found if c.account is None}
    to_org = {"grantee_kind": "organisation", "grantee_id": str(org.id), "step_down": True}
    wrong = proposal(member, **to_org)  # the member's key code, not the organisation's
    await refused(db, KeyMismatch, service.create(coach_a.id, owner.dossier_id, wrong))
    code = crypto.format_fingerprint(org.identity.public.fingerprint())
    made = await service.create(
        coach_a.id, owner.dossier_id, proposal(member, **to_org, grantee_key=code)
    )
    dossier = await db.get_one(Dossier, owner.dossier_id)
    assert await service.visible(member.id, dossier) == []
    data = answer(owner, made, org, made.sections, step_down=True)
    data.card = SEALED  # an organisation gets no card
    await refused(db, InvalidInput, service.answer(owner.account, made.id, data))
    data.card = None
    done, rotation = await service.answer(owner.account, made.id, data)
    assert (done.state, rotation) == ("answered", ["plan", "werk"])
    assert [r.id for r in await service.visible(member.id, dossier)] == [made.id]
    assert await service.visible(outsider.id, dossier) == []
    kinds = await db.scalars(
        select(Grant.grantee_kind).where(Grant.grantee_id == org.id, Grant.revoked_at.is_(None))
    )
    assert list(kinds) == ["organisation", "organisation"]
    assert (
        await db.scalar(select(Connection.id).where(Connection.professional_id == member.id))
        is None
    )
    notices = await db.scalars(select(Notice.kind).where(Notice.account_id == member.id))
    assert "handover" in set(notices)
