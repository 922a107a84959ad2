"""ConnectionService against a real database (SQLite and PostgreSQL), rolled back per test."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import select, update

from consent.connections.models import Connection, Invite
from consent.connections.service import (
    ConnectionService,
    InviteUnavailable,
    decode_card,
    fingerprint_of,
    token_hash,
)
from consent.log.models import LogEvent
from consent.parties.models import Membership, Organisation
from consent.profiles.errors import ProfileMissing
from consent.profiles.models import ProfessionalProfile
from dossier import crypto
from dossier.accounts.models import Account
from dossier.errors import Conflict, Forbidden, InvalidInput
from dossier.sections.models import Dossier

CARD = bytes(200)


def fresh():
    """What a professional's client sends with an invite: its own token, the sealed card."""
    return {"token": crypto.b64e(uuid.uuid4().bytes * 2), "card": CARD}


async def account(db, kind="youth", *, dossier=True):
    identity = crypto.Identity.generate().public
    row = Account(
        id=uuid.uuid4(),
        username=f"{kind}-{uuid.uuid4().hex[:8]}",
        kind=kind,
        birth_date=dt.date(2004, 5, 17) if kind == "youth" else None,
        kdf={},
        auth_hash="x",
        recovery_auth_hash="x",
        bundle={},
        recovery_bundle={},
        box_pk=identity.box_pk,
        sign_pk=identity.sign_pk,
    )
    db.add(row)
    await db.flush()
    if kind == "professional":
        db.add(ProfessionalProfile(account_id=row.id, card=CARD))  # profile before invite
        await db.flush()
    if kind == "youth" and dossier:
        db.add(Dossier(id=uuid.uuid4(), owner_id=row.id))
        await db.flush()
    return row


async def invite(service, pro, org_id=None):
    made = await service.create_invite(pro.id, pro.kind, org_id, **fresh())
    return made.token


async def test_only_professionals_invite_and_only_for_their_active_organisations(db):
    service = ConnectionService(db)
    youth, pro = await account(db), await account(db, "professional")
    with pytest.raises(Forbidden):
        await service.create_invite(youth.id, youth.kind, None, **fresh())
    org = Organisation(
        id=uuid.uuid4(), name="Loket", kind="zorg", box_pk=bytes(32), sign_pk=bytes(32)
    )
    db.add(org)
    await db.flush()
    with pytest.raises(Forbidden):
        await service.create_invite(pro.id, pro.kind, org.id, **fresh())
    db.add(
        Membership(
            org_id=org.id,
            account_id=pro.id,
            role="member",
            key_version=1,
            sealed_org_key=b"k",
            state="active",
        )
    )
    await db.flush()
    made = await service.create_invite(pro.id, pro.kind, org.id, **fresh())
    assert made.org_name == "Loket"
    assert made.invite.token_hash == token_hash(made.token)
    assert len(crypto.b64d(made.token)) == 32


async def test_accept_connects_once_and_logs_on_the_youths_dossier(db):
    service = ConnectionService(db)
    youth, pro = await account(db), await account(db, "professional")
    token = await invite(service, pro)
    view = await service.accept(youth.id, youth.kind, token, CARD)
    assert view.role == "youth"
    assert view.other.id == pro.id
    assert view.fingerprint == fingerprint_of(pro)
    connection = view.connection
    assert connection.youth_card == CARD
    assert connection.professional_card is None
    stored = await db.scalar(select(Invite).where(Invite.token_hash == token_hash(token)))
    assert stored.used_at is not None
    assert stored.connection_id == connection.id
    events = list(await db.scalars(select(LogEvent).where(LogEvent.action == "connection:accept")))
    assert [(e.dossier_id, e.actor) for e in events] == [(connection.dossier_id, str(youth.id))]

    other = await account(db)
    with pytest.raises(InviteUnavailable):
        await service.accept(other.id, other.kind, token, CARD)
    with pytest.raises(InviteUnavailable):
        await service.invite_info(token, other.id)
    with pytest.raises(InviteUnavailable):
        await service.invite_info(token, None)
    for party in (youth.id, pro.id):
        assert (await service.invite_info(token, party)).invite.used_at is not None


async def test_the_claim_is_a_conditional_update(db):
    """A second request that read the invite before the first one claimed it still loses."""
    service = ConnectionService(db)
    second, pro = await account(db), await account(db, "professional")
    token = await invite(service, pro)
    await db.execute(
        update(Invite)
        .where(Invite.token_hash == token_hash(token))
        .values(used_at=dt.datetime.now(dt.UTC))
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(InviteUnavailable):
        await service.accept(second.id, second.kind, token, CARD)


async def test_expired_unknown_and_malformed_tokens_are_unavailable(db):
    service = ConnectionService(db)
    youth, pro = await account(db), await account(db, "professional")
    token = await invite(service, pro)
    row = await db.scalar(select(Invite).where(Invite.token_hash == token_hash(token)))
    row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    await db.flush()
    for bad in (token, "", "x" * 65, "onbekend"):
        with pytest.raises(InviteUnavailable):
            await service.invite_info(bad, pro.id)
        with pytest.raises(InviteUnavailable):
            await service.accept(youth.id, youth.kind, bad, CARD)


async def test_who_may_accept(db):
    service = ConnectionService(db)
    pro, other_pro = await account(db, "professional"), await account(db, "professional")
    token = await invite(service, pro)
    with pytest.raises(Forbidden):
        await service.accept(other_pro.id, other_pro.kind, token, CARD)
    homeless = await account(db, dossier=False)
    with pytest.raises(InvalidInput):
        await service.accept(homeless.id, homeless.kind, token, CARD)


async def test_contact_person_is_one_at_most_and_only_the_youth_sets_it(db):
    service = ConnectionService(db)
    youth, pro_a, pro_b = (
        await account(db),
        await account(db, "professional"),
        await account(db, "professional"),
    )
    a = (await service.accept(youth.id, "youth", await invite(service, pro_a), CARD)).connection
    b = (await service.accept(youth.id, "youth", await invite(service, pro_b), CARD)).connection
    with pytest.raises(Forbidden):
        await service.set_contact_person(pro_a.id, a.id)
    await service.set_contact_person(youth.id, a.id)
    await service.set_contact_person(youth.id, b.id)
    flags = dict(
        (await db.execute(select(Connection.id, Connection.contact_person))).tuples().all()
    )
    assert flags == {a.id: False, b.id: True}
    [seen_by_b] = await service.list_for(pro_b.id)
    assert seen_by_b.role == "professional"
    assert seen_by_b.connection.contact_person
    assert seen_by_b.card == CARD


async def test_cards_and_ending(db):
    service = ConnectionService(db)
    youth, pro = await account(db), await account(db, "professional")
    connection = (
        await service.accept(youth.id, "youth", await invite(service, pro), CARD)
    ).connection
    with pytest.raises(Forbidden):
        await service.send_card(youth.id, connection.id, CARD)
    with pytest.raises(Forbidden):
        await service.send_card(pro.id, uuid.uuid4(), CARD)
    await service.send_card(pro.id, connection.id, b"card for the youth")
    [mine] = await service.list_for(youth.id)
    assert mine.card == b"card for the youth"
    with pytest.raises(Forbidden):
        await service.end(pro.id, connection.id)
    with pytest.raises(Conflict):
        await service.accept(youth.id, "youth", await invite(service, pro), CARD)
    await service.end(youth.id, connection.id)
    assert connection.ended_at is not None
    with pytest.raises(Forbidden):
        await service.send_card(pro.id, connection.id, CARD)
    reopened = (
        await service.accept(youth.id, "youth", await invite(service, pro), CARD)
    ).connection
    assert reopened.id == connection.id
    assert reopened.ended_at is None
    assert reopened.professional_card is None


@pytest.mark.parametrize("value", ["", "+/==", "A" * 10, "A" * 6000])
def test_a_card_of_impossible_shape_is_invalid_input(value):
    with pytest.raises(InvalidInput):
        decode_card(value)


def test_a_plausible_card_is_accepted_as_bytes():
    assert decode_card(crypto.b64e(CARD)) == CARD


async def test_no_invite_before_the_profile_card(db):
    service = ConnectionService(db)
    pro = await account(db, "professional")
    await db.execute(
        ProfessionalProfile.__table__.delete().where(ProfessionalProfile.account_id == pro.id)
    )
    with pytest.raises(ProfileMissing):
        await service.create_invite(pro.id, pro.kind, None, **fresh())
    assert await db.scalar(select(Invite.id).where(Invite.professional_id == pro.id)) is None
    db.add(ProfessionalProfile(account_id=pro.id, card=CARD))
    await db.flush()
    made = await service.create_invite(pro.id, pro.kind, None, **fresh())
    assert made.invite.card == CARD


async def test_an_invite_token_is_made_once_and_well_formed(db):
    service = ConnectionService(db)
    pro = await account(db, "professional")
    token = fresh()["token"]
    await service.create_invite(pro.id, pro.kind, None, token=token, card=CARD)
    with pytest.raises(Conflict):
        await service.create_invite(pro.id, pro.kind, None, token=token, card=CARD)
    with pytest.raises(InvalidInput):
        await service.create_invite(pro.id, pro.kind, None, token="short", card=CARD)
