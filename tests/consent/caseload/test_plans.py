"""PlanService (the plans behind "Acties die binnenkort moeten") on SQLite and PostgreSQL."""

import json

import pytest
from sqlalchemy import update

from consent.caseload.plans import PlanService
from consent.parties.models import Membership
from dossier import crypto
from dossier.errors import Forbidden
from tests.consent.caseload.world import (
    connect,
    expire,
    organisation,
    pro,
    reads,
    share,
    write,
    youth,
)


async def test_readable_shared_plans_of_my_youths_each_read_logged_once(db):
    me, admin = await pro(db), await pro(db)
    org = await organisation(db, admin, me)
    direct, via_org, append_only, expired, werk_only, not_mine = [await youth(db) for _ in range(6)]
    for who in (direct, via_org, append_only, expired, werk_only):
        await connect(db, who, me)
        await write(db, who, "plan", {"actie": "Brief schrijven", "wanneer": "2030-01-02"})
    await share(db, direct, "plan", me)
    await share(db, via_org, "plan", org)
    await share(db, append_only, "plan", me, permissions=("append",))
    await expire(db, await share(db, expired, "plan", me))
    await share(db, werk_only, "werk", me)
    other_org = await organisation(db, admin)
    await share(db, not_mine, "plan", other_org)  # an organisation I am not a member of
    only_org = await youth(db)  # no connection: in my caseload through my organisation
    await write(db, only_org, "plan", {"actie": "Bellen", "wanneer": "2030-01-03"})
    await share(db, only_org, "plan", org)
    plans = await PlanService(db).shared_plans(me.id)
    assert [p.dossier_id for p in plans] == [str(w.dossier_id) for w in (direct, via_org, only_org)]
    mine, theirs, through_org = plans
    assert through_org.card is None  # she sealed no card to me
    assert await reads(db, only_org, me, "plan") == 1
    assert len(mine.entries) == 1
    assert "Brief" not in mine.entries[0].ciphertext
    assert mine.keys.org_key is None
    assert json.loads(theirs.keys.org_key or "")["org"] == str(org.id)
    sk = crypto.open_sealed(me.identity.box, crypto.b64d(mine.keys.envelope or ""))
    assert sk == bytes(direct.keys["plan"].sk)
    logged = [await reads(db, w, me, "plan") for w in (direct, via_org, append_only, expired)]
    assert logged == [1, 1, 0, 0]
    assert await reads(db, werk_only, me) == 0
    assert await reads(db, not_mine, me) == 0


async def test_one_plan_is_refused_unless_shared_with_read(db):
    me = await pro(db)
    shared, not_shared = await youth(db), await youth(db)
    await connect(db, shared, me)
    await connect(db, not_shared, me)
    await share(db, shared, "plan", me)
    await share(db, not_shared, "plan", me, permissions=("append",))
    with pytest.raises(Forbidden):
        await PlanService(db).plan(me.id, not_shared.dossier_id)
    with pytest.raises(Forbidden):
        await PlanService(db).plan(me.id, me.id)  # not a dossier
    plan = await PlanService(db).plan(me.id, shared.dossier_id)
    assert plan.card is not None
    assert plan.owner_id == str(shared.id)
    assert await reads(db, not_shared, me) == 0
    assert await reads(db, shared, me, "plan") == 1


async def test_a_removed_member_loses_the_organisations_plans(db):
    me, admin = await pro(db), await pro(db)
    org = await organisation(db, admin, me)
    who = await youth(db)
    await connect(db, who, me)
    await share(db, who, "plan", org)
    assert len(await PlanService(db).shared_plans(me.id)) == 1
    await db.execute(
        update(Membership)
        .where(Membership.org_id == org.id, Membership.account_id == me.id)
        .values(state="removed")
    )
    assert await PlanService(db).shared_plans(me.id) == []
    with pytest.raises(Forbidden):
        await PlanService(db).plan(me.id, who.dossier_id)
