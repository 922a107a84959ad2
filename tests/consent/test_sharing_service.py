"""SharingService against a real database (SQLite and PostgreSQL), rolled back per test: the
owner's sharing state, the Delen overview, "Bekijk als", putting one party "op de achtergrond"
and ending a connection, with the refusals for anyone but the owner."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from consent.connections.models import Connection
from consent.grants.models import Grant
from consent.grants.service import GrantService
from consent.log.actions import LogAction
from consent.log.models import LogEvent
from consent.requests import schemas as rs
from consent.requests.service import RequestService
from consent.sharing.service import SharingService
from dossier.errors import Forbidden, InvalidInput, NotFound
from tests.consent.caseload.world import (
    connect,
    expire,
    grant_in,
    organisation,
    pro,
    share,
    youth,
)

KEYS = ("contact", "werk", "plan", "notities")


async def active(db, owner, party=None):
    rows = await GrantService(db).of_dossier(owner.dossier_id)
    now = dt.datetime.now(dt.UTC)
    return sorted(
        g.section
        for g in rows
        if g.revoked_at is None
        and g.expires_at > now
        and (party is None or g.grantee_id == party.id)
    )


async def test_the_state_holds_everything_the_owners_client_needs(db):
    owner, coach = await youth(db, KEYS), await pro(db)
    connection = await connect(db, owner, coach)
    grant = await share(db, owner, "plan", coach)
    asked = await RequestService(db).create(
        coach.id, owner.dossier_id, rs.NewRequest(sections=["werk"], purpose="Werk")
    )
    state = await SharingService(db).state(owner.account, owner.dossier_id)
    assert state.dossier.id == owner.dossier_id
    assert state.owner is owner.account
    assert sorted(row.key for row, _, _ in state.sections) == sorted(KEYS)
    assert [g.id for g in state.grants] == [grant.id]
    assert [r.id for r in state.requests] == [asked.id]
    assert [v.connection.id for v in state.connections] == [connection.id]


async def test_the_state_is_refused_to_anyone_but_the_owner(db):
    owner, other, coach = await youth(db, KEYS), await youth(db), await pro(db)
    await connect(db, owner, coach)
    await share(db, owner, "plan", coach)
    service = SharingService(db)
    for who, dossier in (
        (coach.account, owner.dossier_id),  # holds a grant, still not the owner
        (other.account, owner.dossier_id),
        (owner.account, other.dossier_id),
        (owner.account, uuid.uuid4()),  # no oracle for which dossier ids exist
    ):
        with pytest.raises(Forbidden):
            await service.state(who, dossier)


async def test_the_overview_lists_open_connections_and_active_grants(db):
    owner, coach, gone = await youth(db, KEYS), await pro(db), await pro(db)
    stranger = await pro(db)
    org = await organisation(db, await pro(db))
    mine = await connect(db, owner, coach)
    ended = await connect(db, owner, gone)
    kept = await share(db, owner, "plan", coach)
    await expire(db, await share(db, owner, "werk", coach))
    revoked = await share(db, owner, "notities", coach)
    await GrantService(db).revoke(
        owner.account, owner.dossier_id, [str(revoked.id)], LogAction.REVOKE
    )
    to_org = await share(db, owner, "contact", org)
    to_stranger = await share(db, owner, "werk", stranger)
    await SharingService(db).end_connection(owner.account, ended.id)

    overview = await SharingService(db).overview(owner.account)
    assert overview.dossier.id == owner.dossier_id
    assert [(p.view.connection.id, [g.id for g in p.grants]) for p in overview.parties] == [
        (mine.id, [kept.id])
    ]
    assert sorted((name or "", g.id) for name, g in overview.others) == sorted(
        [("Jongerenloket Noord", to_org.id), ("", to_stranger.id)]
    )
    assert overview.requests == []


async def test_the_overview_and_coverage_need_an_own_dossier(db):
    coach = await pro(db)
    service = SharingService(db)
    with pytest.raises(NotFound):
        await service.overview(coach.account)
    with pytest.raises(NotFound):
        await service.coverage(coach.account, uuid.uuid4())


async def test_coverage_is_what_one_party_may_see_now(db):
    owner, coach, other = await youth(db, KEYS), await pro(db), await pro(db)
    await share(db, owner, "plan", coach)
    await share(db, owner, "contact", coach)
    await share(db, owner, "notities", coach, permissions=("append",))
    await expire(db, await share(db, owner, "werk", coach))
    await share(db, owner, "werk", other)
    cover = await SharingService(db).coverage(owner.account, coach.id)
    assert cover.dossier.id == owner.dossier_id
    assert cover.readable == ["contact", "plan"]  # catalogue order
    assert cover.append_only == ["notities"]
    nobody = await SharingService(db).coverage(owner.account, uuid.uuid4())
    assert (nobody.readable, nobody.append_only) == ([], [])


async def test_step_down_ends_everything_but_the_narrow_grants(db):
    owner, coach, other = await youth(db, KEYS), await pro(db), await pro(db)
    for key in ("contact", "werk", "plan"):
        await share(db, owner, key, coach)
    await share(db, owner, "notities", coach, permissions=("append",))
    await share(db, owner, "werk", other)
    narrow = [grant_in(owner, key, coach, days=182) for key in ("contact", "plan")]
    rotate = await SharingService(db).step_down_party(
        owner.account, owner.dossier_id, coach.id, narrow
    )
    assert rotate == ["contact", "plan", "werk"]  # the sections read before
    assert await active(db, owner, coach) == ["contact", "plan"]
    assert await active(db, owner, other) == ["werk"]
    steps = await db.scalars(select(LogEvent.action).where(LogEvent.dossier_id == owner.dossier_id))
    assert list(steps).count("grant:step-down") == 4 + 2


async def test_step_down_refuses_and_changes_nothing(db):
    owner, coach, other = await youth(db, KEYS), await pro(db), await pro(db)
    stranger = await pro(db)
    other_youth = await youth(db, KEYS)
    await share(db, owner, "plan", coach)
    service = SharingService(db)
    narrow = [grant_in(owner, "plan", coach, days=182)]
    with pytest.raises(Forbidden):  # a dossier the caller does not own
        await service.step_down_party(other_youth.account, owner.dossier_id, coach.id, narrow)
    with pytest.raises(Forbidden):  # the grantee itself
        await service.step_down_party(coach.account, owner.dossier_id, coach.id, narrow)
    with pytest.raises(InvalidInput):  # a party that holds nothing
        await service.step_down_party(
            owner.account,
            owner.dossier_id,
            stranger.id,
            [grant_in(owner, "plan", stranger, days=182)],
        )
    with pytest.raises(InvalidInput):  # nothing given: that is a revoke, not a step-down
        await service.step_down_party(owner.account, owner.dossier_id, coach.id, [])
    with pytest.raises(InvalidInput):  # narrow grants to someone else
        await service.step_down_party(
            owner.account, owner.dossier_id, coach.id, [grant_in(owner, "plan", other)]
        )
    assert await active(db, owner) == ["plan"]


async def test_ending_a_connection_revokes_everything_shared_with_that_person(db):
    owner, coach, other = await youth(db, KEYS), await pro(db), await pro(db)
    connection = await connect(db, owner, coach, contact=True)
    await connect(db, owner, other)
    await share(db, owner, "plan", coach)
    await share(db, owner, "notities", coach, permissions=("append",))
    await share(db, owner, "werk", other)
    rotate = await SharingService(db).end_connection(owner.account, connection.id)
    assert rotate == ["plan"]
    assert await active(db, owner, coach) == []
    assert await active(db, owner, other) == ["werk"]
    row = await db.get_one(Connection, connection.id)
    assert row.ended_at is not None
    assert not row.contact_person
    revoked = await db.scalars(select(Grant.revoked_at).where(Grant.grantee_id == coach.id))
    assert all(at is not None for at in revoked)


async def test_only_the_youth_of_the_connection_ends_it_once(db):
    owner, coach = await youth(db, KEYS), await pro(db)
    other_youth = await youth(db)
    connection = await connect(db, owner, coach)
    await share(db, owner, "plan", coach)
    service = SharingService(db)
    for who in (coach.account, other_youth.account):
        with pytest.raises(Forbidden):
            await service.end_connection(who, connection.id)
    with pytest.raises(Forbidden):
        await service.end_connection(owner.account, uuid.uuid4())
    assert await active(db, owner, coach) == ["plan"]
    await service.end_connection(owner.account, connection.id)
    with pytest.raises(Forbidden):  # ended already
        await service.end_connection(owner.account, connection.id)
