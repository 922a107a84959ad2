"""GrantService against SQLite and PostgreSQL, rolled back per test: grants are made only from
receipts the owner signed for exactly this grant, to the grantee's current key, within the
27th birthday unless renewed; revocation ends them at once and says what to rotate."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from consent.grants.errors import PastAgeCap
from consent.grants.models import Grant
from consent.grants.service import GrantService, birthday, state_of
from consent.log.actions import LogAction
from consent.log.models import LogEvent
from consent.policy import Actor
from dossier import crypto
from dossier.errors import Conflict, InvalidInput, NotFound
from dossier.sections.models import Dossier
from tests.consent.caseload.world import Party, Youth, expire, organisation, pro, share, youth
from tests.support.factories import grant_in, row_counts


def item(owner: Youth, key: str, to: Party, **bend):
    """The grant the owner's client would send, with any receipt field bent by `bend`."""
    values = {
        "dossier": str(owner.dossier_id),
        "section": key,
        "grantee_id": str(to.id),
        "grantee": to.identity.public,
        "section_sk": bytes(owner.keys[key].sk),
    }
    values.update(bend)
    signer = values.pop("signer", owner.identity)
    return grant_in(signer, **values)


async def create(db, owner: Youth, *items):
    dossier = await db.get_one(Dossier, owner.dossier_id)
    return await GrantService(db).create(owner.account, dossier, list(items))


async def refused(db, error, owner: Youth, *items) -> None:
    """The grant is refused with `error` and not a row is written (no grant, no log event)."""
    before = await row_counts(db)
    with pytest.raises(error):
        await create(db, owner, *items)
    assert await row_counts(db) == before


async def actions(db, owner: Youth) -> list[tuple[str, str | None]]:
    rows = await db.execute(
        select(LogEvent.action, LogEvent.section)
        .where(LogEvent.dossier_id == owner.dossier_id)
        .order_by(LogEvent.seq)
    )
    return [tuple(r) for r in rows.all()]


async def test_owner_signed_read_receipt_makes_an_active_grant_with_envelope_and_log(db):
    owner, coach = await youth(db), await pro(db)
    given = item(owner, "plan", coach)
    [grant] = await create(db, owner, given)
    stored = await db.get_one(Grant, grant.id)
    assert (stored.dossier_id, stored.section, stored.grantee_id) == (
        owner.dossier_id,
        "plan",
        coach.id,
    )
    assert (stored.can_read, stored.can_append, stored.envelope_key_version) == (True, False, 1)
    assert stored.receipt == given.receipt
    assert stored.section_id == owner.sections["plan"].id
    opened = crypto.open_sealed(coach.identity.box, stored.envelope)
    assert opened == bytes(owner.keys["plan"].sk)
    assert state_of(stored, dt.datetime.now(dt.UTC)) == "active"
    assert await actions(db, owner) == [("grant:create", "plan")]
    service = GrantService(db)
    assert [g.id for g in await service.of_dossier(owner.dossier_id)] == [grant.id]
    assert [g.id for g in await service.mine(Actor(coach.id))] == [grant.id]


async def test_append_only_receipt_makes_a_grant_without_any_secret(db):
    owner, coach = await youth(db), await pro(db)
    [grant] = await create(db, owner, item(owner, "notities", coach, permissions=("append",)))
    assert (grant.can_read, grant.can_append) == (False, True)
    assert grant.envelope is None
    assert grant.envelope_key_version is None


async def test_one_request_makes_several_grants_each_logged(db):
    owner, coach = await youth(db), await pro(db)
    made = await create(db, owner, item(owner, "plan", coach), item(owner, "werk", coach))
    assert sorted(g.section for g in made) == ["plan", "werk"]
    assert await actions(db, owner) == [("grant:create", "plan"), ("grant:create", "werk")]


async def test_receipt_signed_by_someone_else_than_the_owner_is_denied(db):
    owner, coach = await youth(db), await pro(db)
    await refused(db, InvalidInput, owner, item(owner, "plan", coach, signer=coach.identity))


async def test_receipt_changed_after_signing_is_denied(db):
    owner, coach = await youth(db), await pro(db)
    given = item(owner, "plan", coach, permissions=("read",))
    given.receipt = {**given.receipt, "permissions": ["append", "read"]}
    await refused(db, InvalidInput, owner, given)


async def test_malformed_receipt_is_denied(db):
    owner, coach = await youth(db), await pro(db)
    given = item(owner, "plan", coach)
    given.receipt = {"v": 1}
    await refused(db, InvalidInput, owner, given)


@pytest.mark.parametrize(
    "field",
    ["grant", "dossier", "section", "grantee", "key_version"],
)
async def test_receipt_must_name_exactly_this_grant_or_is_denied(db, field):
    owner, coach = await youth(db), await pro(db)
    given = item(owner, "plan", coach)
    other = item(
        owner,
        "plan",
        coach,
        **{
            "grant": {"grant_id": str(uuid.uuid4())},
            "dossier": {"dossier": str(uuid.uuid4())},
            "section": {"section": "werk"},
            "grantee": {"grantee_id": str(uuid.uuid4())},
            "key_version": {"key_version": 2},
        }[field],
    )
    given.receipt = other.receipt  # signed by the owner, but for another grant
    await refused(db, InvalidInput, owner, given)


async def test_receipt_naming_another_key_than_the_grantees_current_key_is_denied(db):
    owner, coach = await youth(db), await pro(db)
    swapped = crypto.Identity.generate().public  # a key the server might slip in
    await refused(db, InvalidInput, owner, item(owner, "plan", coach, grantee=swapped))


async def test_grant_to_oneself_is_denied(db):
    owner = await youth(db)
    await refused(db, NotFound, owner, item(owner, "plan", owner))


async def test_grant_to_another_youth_is_denied(db):
    owner, friend = await youth(db), await youth(db)
    await refused(db, NotFound, owner, item(owner, "plan", friend))


@pytest.mark.parametrize("kind", ["person", "organisation"])
async def test_grant_to_an_unknown_grantee_is_denied(db, kind):
    owner = await youth(db)
    ghost = crypto.Identity.generate().public
    given = grant_in(
        owner.identity,
        dossier=str(owner.dossier_id),
        section="plan",
        grantee_id=str(uuid.uuid4()),
        grantee=ghost,
        section_sk=bytes(owner.keys["plan"].sk),
        grantee_kind=kind,
    )
    await refused(db, NotFound, owner, given)


async def test_grant_on_a_section_the_dossier_does_not_hold_is_denied(db):
    owner, coach = await youth(db, keys=("plan",)), await pro(db)
    stray = item(owner, "plan", coach, section="werk")
    await refused(db, NotFound, owner, stray)


async def test_grant_past_the_27th_birthday_is_denied_without_renewal(db):
    owner, coach = await youth(db), await pro(db)
    today = dt.datetime.now(dt.UTC).date()
    owner.account.birth_date = today.replace(year=today.year - 27) + dt.timedelta(days=60)
    await db.flush()
    cap = birthday(owner.account.birth_date, 27)
    assert dt.datetime.now(dt.UTC) < cap < dt.datetime.now(dt.UTC) + dt.timedelta(days=61)
    await refused(db, PastAgeCap, owner, item(owner, "plan", coach, days=90))


async def test_grant_past_the_27th_birthday_is_made_when_the_owner_renewed(db):
    owner, coach = await youth(db), await pro(db)
    today = dt.datetime.now(dt.UTC).date()
    owner.account.birth_date = today.replace(year=today.year - 27) + dt.timedelta(days=60)
    await db.flush()
    [grant] = await create(db, owner, item(owner, "plan", coach, days=90, renewed_past_27=True))
    assert grant.expires_at > birthday(owner.account.birth_date, 27)
    [within] = await create(db, owner, item(owner, "werk", coach, days=30))
    assert within.section == "werk"


async def test_read_grant_without_envelope_is_denied(db):
    owner, coach = await youth(db), await pro(db)
    await refused(db, InvalidInput, owner, item(owner, "plan", coach, section_sk=None))


async def test_append_only_grant_with_an_envelope_is_denied(db):
    owner, coach = await youth(db), await pro(db)
    given = item(owner, "plan", coach, permissions=("append",))
    given.envelope = crypto.b64e(crypto.seal_to(coach.identity.public.box_pk, b"k" * 32))
    await refused(db, InvalidInput, owner, given)


async def test_grant_id_that_is_not_a_uuid_is_denied(db):
    owner, coach = await youth(db), await pro(db)
    await refused(db, InvalidInput, owner, item(owner, "plan", coach, grant_id="grant-1"))


async def test_same_grant_id_twice_is_a_conflict(db):
    owner, coach = await youth(db), await pro(db)
    given = item(owner, "plan", coach)
    await create(db, owner, given)
    await refused(db, Conflict, owner, given)


async def test_no_grants_at_all_is_denied(db):
    owner = await youth(db)
    await refused(db, InvalidInput, owner)


async def test_revoke_ends_grants_at_once_and_names_the_read_sections_to_rotate(db):
    owner, coach = await youth(db), await pro(db)
    reader = await share(db, owner, "plan", coach)
    writer = await share(db, owner, "notities", coach, permissions=("append",))
    service = GrantService(db)
    due = await service.revoke(
        owner.account, owner.dossier_id, [str(reader.id), str(writer.id)], LogAction.REVOKE
    )
    assert due == ["plan"]
    for grant in (reader, writer):
        assert state_of(await db.get_one(Grant, grant.id), dt.datetime.now(dt.UTC)) == "revoked"
    assert await service.mine(Actor(coach.id)) == []
    revoked = [a for a in await actions(db, owner) if a[0] == "grant:revoke"]
    assert sorted(revoked) == [("grant:revoke", "notities"), ("grant:revoke", "plan")]
    assert await service.rotation_due(owner.dossier_id) == ["plan"]


async def test_revoking_twice_records_the_end_once(db):
    owner, coach = await youth(db), await pro(db)
    grant = await share(db, owner, "plan", coach)
    service = GrantService(db)
    await service.revoke(owner.account, owner.dossier_id, [str(grant.id)], LogAction.REVOKE)
    first = (await db.get_one(Grant, grant.id)).revoked_at
    await service.revoke(owner.account, owner.dossier_id, [str(grant.id)], LogAction.REVOKE)
    assert (await db.get_one(Grant, grant.id)).revoked_at == first
    assert [a for a in await actions(db, owner) if a[0] == "grant:revoke"] == [
        ("grant:revoke", "plan")
    ]


async def test_revoke_of_a_grant_of_another_dossier_is_denied_and_that_grant_stays(db):
    owner, other, coach = await youth(db), await youth(db), await pro(db)
    theirs = await share(db, other, "plan", coach)
    before = await row_counts(db)
    with pytest.raises(NotFound):
        await GrantService(db).revoke(
            owner.account, owner.dossier_id, [str(theirs.id)], LogAction.REVOKE
        )
    assert await row_counts(db) == before
    assert (await db.get_one(Grant, theirs.id)).revoked_at is None


async def test_revoke_with_one_unknown_id_revokes_none(db):
    owner, coach = await youth(db), await pro(db)
    mine = await share(db, owner, "plan", coach)
    before = await row_counts(db)
    with pytest.raises(NotFound):
        await GrantService(db).revoke(
            owner.account, owner.dossier_id, [str(mine.id), str(uuid.uuid4())], LogAction.REVOKE
        )
    assert await row_counts(db) == before
    assert (await db.get_one(Grant, mine.id)).revoked_at is None


async def test_revoke_for_ends_every_open_grant_of_that_party_and_no_other(db):
    owner, coach, other = await youth(db), await pro(db), await pro(db)
    a = await share(db, owner, "plan", coach)
    b = await share(db, owner, "werk", coach, permissions=("append",))
    old = await share(db, owner, "notities", coach)
    await expire(db, old)
    kept = await share(db, owner, "plan", other)
    due = await GrantService(db).revoke_for(owner.account, owner.dossier_id, coach.id)
    assert due == ["notities", "plan"]
    for grant in (a, b, old):
        assert (await db.get_one(Grant, grant.id)).revoked_at is not None
    assert (await db.get_one(Grant, kept.id)).revoked_at is None
    assert await GrantService(db).open_ids(owner.dossier_id, coach.id) == []


async def test_step_down_party_ends_everything_and_keeps_only_the_narrow_grants(db):
    owner, coach = await youth(db), await pro(db)
    wide = [await share(db, owner, key, coach) for key in ("plan", "werk", "notities")]
    dossier = await db.get_one(Dossier, owner.dossier_id)
    narrow = item(owner, "plan", coach, days=182, purpose="Nazorg: op de achtergrond")
    due = await GrantService(db).step_down_party(owner.account, dossier, coach.id, [narrow])
    assert due == ["notities", "plan", "werk"]
    for grant in wide:
        assert (await db.get_one(Grant, grant.id)).revoked_at is not None
    [left] = await GrantService(db).mine(Actor(coach.id))
    assert (str(left.id), left.section, left.purpose) == (
        narrow.id,
        "plan",
        "Nazorg: op de achtergrond",
    )
    steps = [a for a in await actions(db, owner) if a[0] == "grant:step-down"]
    assert len(steps) == 4  # three ends and one new grant, all as one step-down


async def test_step_down_giving_grants_to_another_party_is_denied(db):
    owner, coach, other = await youth(db), await pro(db), await pro(db)
    wide = await share(db, owner, "plan", coach)
    dossier = await db.get_one(Dossier, owner.dossier_id)
    before = await row_counts(db)
    with pytest.raises(InvalidInput):
        await GrantService(db).step_down_party(
            owner.account, dossier, coach.id, [item(owner, "plan", other)]
        )
    with pytest.raises(InvalidInput):
        await GrantService(db).step_down_party(owner.account, dossier, coach.id, [])
    assert await row_counts(db) == before
    assert (await db.get_one(Grant, wide.id)).revoked_at is None


async def test_step_down_of_a_party_without_grants_is_denied(db):
    owner, coach = await youth(db), await pro(db)
    dossier = await db.get_one(Dossier, owner.dossier_id)
    before = await row_counts(db)
    with pytest.raises(InvalidInput):
        await GrantService(db).step_down_party(
            owner.account, dossier, coach.id, [item(owner, "plan", coach)]
        )
    assert await row_counts(db) == before


async def test_rotation_due_lists_sections_an_ended_read_grant_could_still_open(db):
    owner, coach = await youth(db), await pro(db)
    service = GrantService(db)
    await share(db, owner, "plan", coach)
    assert await service.rotation_due(owner.dossier_id) == []
    ended = await share(db, owner, "werk", coach)
    await expire(db, ended)
    appender = await share(db, owner, "notities", coach, permissions=("append",))
    await expire(db, appender)
    assert await service.rotation_due(owner.dossier_id) == ["werk"]
    await service.mark_rotated(owner.sections["werk"])
    assert await service.rotation_due(owner.dossier_id) == []


async def test_mine_lists_grants_to_my_active_organisations_but_not_ended_ones(db):
    owner, admin, member = await youth(db), await pro(db), await pro(db)
    org = await organisation(db, admin, member)
    to_org = await share(db, owner, "plan", org)
    expired = await share(db, owner, "werk", member)
    await expire(db, expired)
    service = GrantService(db)
    assert [g.id for g in await service.mine(Actor(member.id, frozenset({org.id})))] == [to_org.id]
    assert await service.mine(Actor(member.id)) == []


def test_the_27th_birthday_of_someone_born_on_29_february_is_28_february():
    assert birthday(dt.date(2004, 2, 29), 27) == dt.datetime(2031, 2, 28, tzinfo=dt.UTC)
    assert birthday(dt.date(2004, 5, 17), 27) == dt.datetime(2031, 5, 17, tzinfo=dt.UTC)
