"""MemberInvites against a real database (SQLite and PostgreSQL): a colleague joins an
organisation with a link, but only an admin's sealed org key makes them a member."""

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select, update

from consent.authorisation import AccessService
from consent.connections.service import InviteUnavailable
from consent.parties.invites import MemberInvites
from consent.parties.models import MemberInvite
from consent.parties.service import PartiesService
from dossier.errors import Conflict, Forbidden, InvalidInput
from tests.consent.test_parties_service import add, new_org, person


async def test_an_admin_makes_a_link_stored_only_as_its_hash(db):
    admin = await person(db)
    org_id, _ = await new_org(db, admin)
    made = await MemberInvites(db).create(admin.id, org_id, "member")
    row = await db.scalar(select(MemberInvite).where(MemberInvite.id == made.invite.id))
    assert row.token_hash == hashlib.sha256(made.token.encode()).digest()
    assert made.token.encode() not in repr(row.__dict__).encode()
    assert len(made.token) >= 43  # 256 bits, base64url
    assert row.state == "open"
    assert row.expires_at > dt.datetime.now(dt.UTC) + dt.timedelta(days=6)


async def test_only_an_active_admin_makes_lists_and_withdraws_invites(db):
    admin, member, outsider = await person(db), await person(db), await person(db)
    org_id, org_key = await new_org(db, admin)
    await add(db, admin, org_id, member, org_key)
    invites = MemberInvites(db)
    made = await invites.create(admin.id, org_id, "member")
    for caller in (member, outsider):
        with pytest.raises(Forbidden):
            await invites.create(caller.id, org_id, "member")
        with pytest.raises(Forbidden):
            await invites.open_invites(caller.id, org_id)
        with pytest.raises(Forbidden):
            await invites.withdraw(caller.id, org_id, made.invite.id)
    with pytest.raises(InvalidInput):
        await invites.create(admin.id, org_id, "eigenaar")
    await PartiesService(db).remove_member(admin.id, org_id, member.id)
    with pytest.raises(Forbidden):
        await invites.create(member.id, org_id, "member")


async def test_accepting_makes_a_joiner_not_a_member(db):
    admin, colleague = await person(db), await person(db)
    org_id, _ = await new_org(db, admin)
    invites = MemberInvites(db)
    made = await invites.create(admin.id, org_id, "admin")
    facts = await invites.accept(colleague.id, made.token)
    assert facts.mine
    assert facts.org.id == org_id
    assert facts.invite.role == "admin"
    assert org_id not in (await AccessService(db).actor(colleague.id)).organisations
    with pytest.raises(Forbidden):
        await PartiesService(db).key(colleague.id, org_id)
    pending = await invites.open_invites(admin.id, org_id)
    assert pending.waiting == []
    [joiner] = pending.joiners
    assert joiner.account.id == colleague.id
    assert joiner.fingerprint.count(" ") == 5
    # Accepting again with the same account is harmless; the holder still sees it.
    assert (await invites.accept(colleague.id, made.token)).mine
    assert (await invites.facts(made.token, colleague.id)).mine


async def test_the_link_works_once_for_professionals_only(db):
    admin, first, second, youth = (
        await person(db),
        await person(db),
        await person(db),
        await person(db, kind="youth"),
    )
    org_id, _ = await new_org(db, admin)
    invites = MemberInvites(db)
    made = await invites.create(admin.id, org_id, "member")
    with pytest.raises(Forbidden):
        await invites.accept(youth.id, made.token)
    await invites.accept(first.id, made.token)
    with pytest.raises(InviteUnavailable):
        await invites.accept(second.id, made.token)
    with pytest.raises(InviteUnavailable):
        await invites.facts(made.token, second.id)
    with pytest.raises(InviteUnavailable):
        await invites.facts(made.token, None)


@pytest.mark.parametrize("token", ["", "x" * 65, "onbekend-token"])
async def test_unknown_tokens_are_unavailable(db, token):
    with pytest.raises(InviteUnavailable):
        await MemberInvites(db).facts(token, None)


async def test_expired_and_withdrawn_links_are_unavailable(db):
    admin, colleague = await person(db), await person(db)
    org_id, _ = await new_org(db, admin)
    invites = MemberInvites(db)
    expired = await invites.create(admin.id, org_id, "member")
    await db.execute(
        update(MemberInvite)
        .where(MemberInvite.id == expired.invite.id)
        .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    )
    withdrawn = await invites.create(admin.id, org_id, "member")
    await invites.withdraw(admin.id, org_id, withdrawn.invite.id)
    for made in (expired, withdrawn):
        with pytest.raises(InviteUnavailable):
            await invites.accept(colleague.id, made.token)
    assert (await invites.open_invites(admin.id, org_id)).waiting == []


async def test_withdrawing_an_accepted_invite_refuses_the_joiner(db):
    admin, colleague = await person(db), await person(db)
    org_id, _ = await new_org(db, admin)
    invites = MemberInvites(db)
    made = await invites.create(admin.id, org_id, "member")
    await invites.accept(colleague.id, made.token)
    await invites.withdraw(admin.id, org_id, made.invite.id)
    assert (await invites.open_invites(admin.id, org_id)).joiners == []
    with pytest.raises(InviteUnavailable):
        await invites.facts(made.token, colleague.id)


async def test_a_member_cannot_accept_and_adding_closes_the_invite(db):
    admin, colleague = await person(db), await person(db)
    org_id, org_key = await new_org(db, admin)
    invites = MemberInvites(db)
    with pytest.raises(Conflict):
        await invites.accept(admin.id, (await invites.create(admin.id, org_id, "member")).token)
    made = await invites.create(admin.id, org_id, "member")
    await invites.accept(colleague.id, made.token)
    await add(db, admin, org_id, colleague, org_key)
    assert (await invites.open_invites(admin.id, org_id)).joiners == []
    row = await db.scalar(select(MemberInvite).where(MemberInvite.id == made.invite.id))
    assert row.state == "added"
    assert org_id in (await AccessService(db).actor(colleague.id)).organisations
