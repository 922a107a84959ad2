"""CaseloadService ("Mijn jongeren") against SQLite and PostgreSQL, rolled back per test."""

import datetime as dt
import uuid

from sqlalchemy import event, update

from consent.caseload.service import CaseloadService
from consent.connections.models import Connection, Invite
from consent.log.actions import LogAction
from consent.log.service import LogService
from consent.parties.models import Membership
from consent.requests.models import ConsentRequest
from consent.requests.schemas import NewRequest
from consent.requests.service import RequestService
from dossier.notify.inbox import SHOWN, InboxService
from dossier.notify.models import Notice
from dossier.sections.models import Entry
from tests.consent.caseload.world import (
    connect,
    expire,
    invite,
    organisation,
    pro,
    share,
    write,
    youth,
)


async def test_lists_my_connected_youths_and_nothing_else(db):
    me, other = await pro(db), await pro(db)
    first, second, ended, elsewhere = [await youth(db) for _ in range(4)]
    await connect(db, first, me, contact=True)
    await connect(db, second, me)
    gone = await connect(db, ended, me)
    await connect(db, elsewhere, other)
    await db.execute(
        update(Connection).where(Connection.id == gone.id).values(ended_at=dt.datetime.now(dt.UTC))
    )
    rows = (await CaseloadService(db).caseload(me.id)).youths
    assert [r.dossier_id for r in rows] == [str(first.dossier_id), str(second.dossier_id)]
    assert [r.contact_person for r in rows] == [True, False]
    assert rows[0].youth_id == str(first.id)
    assert '"box_pk": "' in rows[0].identity
    assert rows[0].card
    assert rows[0].shared == []
    assert rows[0].changed == []


async def test_merges_a_personal_and_an_organisation_grant_per_section(db):
    me, admin = await pro(db), await pro(db)
    org = await organisation(db, admin, me)
    who = await youth(db)
    await connect(db, who, me)
    await share(db, who, "werk", me, days=20)
    await share(db, who, "werk", org, permissions=("append",), days=200)
    await share(db, who, "plan", org, days=100)
    [row] = (await CaseloadService(db).caseload(me.id)).youths
    assert [s.key for s in row.shared] == ["werk", "plan"]  # catalogue order
    werk, plan = row.shared
    assert werk.permissions == ("read", "append")
    assert werk.via == "Jongerenloket Noord"
    assert not werk.ends_soon  # the later expiry counts
    assert plan.permissions == ("read",)
    assert row.ends_soon is False


async def test_ended_revoked_and_removed_grants_are_left_out(db):
    me, admin = await pro(db), await pro(db)
    org = await organisation(db, admin, me)
    who = await youth(db)
    await connect(db, who, me)
    soon = await share(db, who, "werk", me, days=10)
    await expire(db, await share(db, who, "notities", me))
    await share(db, who, "plan", org)
    [row] = (await CaseloadService(db).caseload(me.id)).youths
    assert [s.key for s in row.shared] == ["werk", "plan"]
    assert row.shared[0].ends_soon
    assert row.ends_soon
    assert row.shared[0].expires == soon.expires_at.strftime("%d-%m-%Y")
    await db.execute(
        update(Membership)
        .where(Membership.org_id == org.id, Membership.account_id == me.id)
        .values(state="removed")
    )
    [row] = (await CaseloadService(db).caseload(me.id)).youths
    assert [s.key for s in row.shared] == ["werk"]


async def test_what_is_new_since_my_last_read(db):
    me = await pro(db)
    who = await youth(db)
    await connect(db, who, me)
    await share(db, who, "werk", me, permissions=("read", "append"))
    await share(db, who, "plan", me)
    await write(db, who, "werk", {"nu": "Ik zoek werk"})
    a_minute_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    await db.execute(update(Entry).values(created_at=a_minute_ago))  # the log keeps seconds
    [row] = (await CaseloadService(db).caseload(me.id)).youths
    assert row.changed == ["werk"]
    assert row.last_visit is None  # never read: new since the first visit
    await LogService(db).record(who.dossier_id, me.id, LogAction.READ, "werk")
    [row] = (await CaseloadService(db).caseload(me.id)).youths
    assert row.changed == []
    assert row.last_visit == dt.datetime.now(dt.UTC).strftime("%d-%m-%Y")
    await write(db, who, "werk", {"nu": "Ik heb een baan"}, author=me)  # my own entry
    assert (await CaseloadService(db).caseload(me.id)).youths[0].changed == []


async def test_open_invites_only(db):
    me = await pro(db)
    await invite(db, me)
    await invite(db, me, used=True)
    await invite(db, me, days=-1)
    caseload = await CaseloadService(db).caseload(me.id)
    assert len(caseload.pending) == 1
    assert not caseload.pending[0].used
    pending, accepted = await CaseloadService(db).invites(me.id)
    assert (len(pending), len(accepted)) == (1, 1)


async def test_open_invites_newest_first_beside_the_youths(db):
    me = await pro(db)
    who = await youth(db)
    await connect(db, who, me)
    older, newer = await invite(db, me, days=3), await invite(db, me, days=9)
    now = dt.datetime.now(dt.UTC)
    await db.execute(
        update(Invite).where(Invite.id == older.id).values(created_at=now - dt.timedelta(days=4))
    )
    caseload = await CaseloadService(db).caseload(me.id)
    assert [y.dossier_id for y in caseload.youths] == [str(who.dossier_id)]
    assert [i.id for i in caseload.pending] == [str(newer.id), str(older.id)]
    assert caseload.pending[0].expires == (now + dt.timedelta(days=9)).strftime("%d-%m-%Y")
    assert caseload.pending[1].created == (now - dt.timedelta(days=4)).strftime("%d-%m-%Y")


async def test_the_number_of_queries_does_not_grow_with_the_caseload(db):
    me, admin = await pro(db), await pro(db)
    org = await organisation(db, admin, me)

    async def add(n):
        for i in range(n):
            who = await youth(db)
            if i % 2:  # half connected, half through my organisation only
                await connect(db, who, me)
                await share(db, who, "werk", me)
            else:
                await share(db, who, "werk", org)
            await write(db, who, "werk", {"nu": "x"})
        await invite(db, me)

    async def count():
        statements = []
        bind = (await db.connection()).sync_connection

        def seen(*_):
            statements.append(1)

        event.listen(bind, "before_cursor_execute", seen)
        try:
            caseload = await CaseloadService(db).caseload(me.id)
        finally:
            event.remove(bind, "before_cursor_execute", seen)
        return len(statements), len(caseload.youths), len(caseload.pending)

    await add(2)
    few = await count()
    await add(8)
    many = await count()
    # One statement: the youths with their grants, and my open invites as rows of their own.
    assert few == (1, 2, 1)
    assert many == (1, 10, 2)


async def test_last_activity_first_ending_grant_and_nazorg_state(db):
    me = await pro(db)
    who, quiet = await youth(db), await youth(db)
    await connect(db, who, me)
    await connect(db, quiet, me)
    soon = await share(db, who, "werk", me, days=10)
    await share(db, who, "plan", me, days=20)
    await share(db, who, "notities", me, days=200)
    await write(db, who, "werk", {"nu": "Ik zoek werk"})
    await write(db, who, "plan", {"doel": "Stage"}, author=me)  # my own: not activity
    rows = (await CaseloadService(db).caseload(me.id)).youths
    row = next(r for r in rows if r.dossier_id == str(who.dossier_id))
    other = next(r for r in rows if r.dossier_id == str(quiet.dossier_id))
    today = dt.datetime.now(dt.UTC).strftime("%d-%m-%Y")
    assert row.last_active == today
    assert row.ends_on == soon.expires_at.strftime("%d-%m-%Y")  # the first of two
    assert (other.last_active, other.ends_on, other.aftercare) == (None, None, None)
    assert row.aftercare is None
    aftercare = NewRequest(
        sections=["contact", "plan"], purpose="Nazorg", period_days=182, kind="aftercare"
    )
    await RequestService(db).create(me.id, who.dossier_id, aftercare)
    rows = (await CaseloadService(db).caseload(me.id)).youths
    assert next(r for r in rows if r.dossier_id == str(who.dossier_id)).aftercare == "open"


async def test_the_nazorg_state_is_my_latest_proposal_only(db):
    """An older proposal that was declined does not hide a newer open one, and another
    professional's proposal is not mine."""
    me, other = await pro(db), await pro(db)
    who = await youth(db)
    await connect(db, who, me)
    await connect(db, who, other)
    aftercare = NewRequest(
        sections=["contact", "plan"], purpose="Nazorg", period_days=182, kind="aftercare"
    )
    first = await RequestService(db).create(me.id, who.dossier_id, aftercare)
    week_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=7)
    await db.execute(
        update(ConsentRequest)
        .where(ConsentRequest.id == first.id)
        .values(state="declined", created_at=week_ago)
    )
    [row] = (await CaseloadService(db).caseload(me.id)).youths
    assert row.aftercare == "declined"
    await RequestService(db).create(me.id, who.dossier_id, aftercare)
    await RequestService(db).create(other.id, who.dossier_id, aftercare)
    await db.execute(
        update(ConsentRequest)
        .where(ConsentRequest.requester_id == other.id)
        .values(state="withdrawn")
    )
    [row] = (await CaseloadService(db).caseload(me.id)).youths
    assert row.aftercare == "open"
    [theirs] = (await CaseloadService(db).caseload(other.id)).youths
    assert theirs.aftercare == "withdrawn"


async def test_news_is_any_unread_notice_of_mine_about_the_dossier(db):
    """A row is "Nieuw" whatever the age of my unread notice about it: one older than my
    newest `SHOWN` notices still counts; read ones and other people's do not."""
    me, other = await pro(db), await pro(db)
    old, busy, read, elsewhere = [await youth(db) for _ in range(4)]
    for who in (old, busy, read):
        await connect(db, who, me)
    await connect(db, elsewhere, other)
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

    def notice(who, minutes, *, to=me, read_at=None):
        return Notice(
            account_id=to.id,
            kind="entry",
            event_id=uuid.uuid4(),
            dossier_id=who.dossier_id,
            section="werk",
            created_at=start + dt.timedelta(minutes=minutes),
            read_at=read_at,
        )

    db.add(notice(old, 0))
    db.add_all(notice(busy, 1 + n) for n in range(SHOWN + 5))
    db.add(notice(read, 200, read_at=start))
    db.add(notice(elsewhere, 300, to=other))
    await db.flush()

    async def news(of):
        rows = (await CaseloadService(db).caseload(of.id)).youths
        return {r.dossier_id for r in rows if r.news}

    assert await news(me) == {str(old.dossier_id), str(busy.dossier_id)}
    assert await news(other) == {str(elsewhere.dossier_id)}
    await InboxService(db).mark_read(me.id, dossier_id=old.dossier_id)
    assert await news(me) == {str(busy.dossier_id)}


async def test_a_youth_sharing_with_my_organisation_is_a_row_via_that_organisation(db):
    me, colleague, admin, outsider = [await pro(db) for _ in range(4)]
    org = await organisation(db, admin, me, colleague)
    other = await organisation(db, outsider)
    who, elsewhere = await youth(db), await youth(db)
    await share(db, who, "werk", org, days=20)
    await write(db, who, "werk", {"nu": "Ik zoek werk"})
    await share(db, elsewhere, "werk", other)
    for member in (me, colleague, admin):
        [row] = (await CaseloadService(db).caseload(member.id)).youths
        assert row.dossier_id == str(who.dossier_id)
        assert row.youth_id == str(who.id)
        assert (row.org, row.card, row.connection_id) == ("Jongerenloket Noord", "", "")
        assert row.card_sent  # no connection, so no card of mine to send
        assert [(s.key, s.via) for s in row.shared] == [("werk", "Jongerenloket Noord")]
        assert (row.changed, row.ends_soon) == (["werk"], True)
    [row] = (await CaseloadService(db).caseload(outsider.id)).youths
    assert row.dossier_id == str(elsewhere.dossier_id)


async def test_a_connected_youth_who_also_shares_with_my_organisation_is_one_row(db):
    me, admin = await pro(db), await pro(db)
    org = await organisation(db, admin, me)
    who = await youth(db)
    await connect(db, who, me)
    await share(db, who, "werk", org)
    [row] = (await CaseloadService(db).caseload(me.id)).youths
    assert row.connection_id
    assert row.card
    assert row.org is None  # the connection did not come through an organisation
    assert [(s.key, s.via) for s in row.shared] == [("werk", "Jongerenloket Noord")]


async def test_organisation_rows_deny_former_members_and_reveal_only_granted_sections(db):
    me, admin = await pro(db), await pro(db)
    org = await organisation(db, admin, me)
    who = await youth(db)
    await share(db, who, "werk", org)
    await write(db, who, "plan", {"doel": "Stage"})  # not shared: never on the row
    await expire(db, await share(db, who, "notities", org))
    [row] = (await CaseloadService(db).caseload(me.id)).youths
    assert [s.key for s in row.shared] == ["werk"]
    assert row.changed == []
    await db.execute(
        update(Membership)
        .where(Membership.org_id == org.id, Membership.account_id == me.id)
        .values(state="removed")
    )
    assert (await CaseloadService(db).caseload(me.id)).youths == []
    assert len((await CaseloadService(db).caseload(admin.id)).youths) == 1


async def test_an_ended_organisation_grant_takes_the_row_away(db):
    me, admin = await pro(db), await pro(db)
    org = await organisation(db, admin, me)
    who = await youth(db)
    await expire(db, await share(db, who, "werk", org))
    assert (await CaseloadService(db).caseload(me.id)).youths == []
