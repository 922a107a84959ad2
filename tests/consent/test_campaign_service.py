"""Campaign and partner-client services against a real database (SQLite and PostgreSQL),
inside a rolled-back transaction."""

import datetime as dt
import hashlib
import uuid

import pytest
from sqlalchemy import func, select, update

from consent.campaigns import schemas as s
from consent.campaigns.answers import AnswerService, check_items
from consent.campaigns.errors import (
    AnswerMismatch,
    CampaignLinkUnavailable,
    InsufficientScope,
    InvalidPartnerToken,
    RosterRejected,
)
from consent.campaigns.models import CampaignEntry, PartnerToken
from consent.campaigns.partners import PartnerService
from consent.campaigns.service import (
    CODE_ALPHABET,
    TOKEN_BYTES,
    CampaignService,
    code_hash,
    code_key,
    new_links,
    shown_code,
    token_hash,
)
from consent.grants.schemas import GrantIn
from consent.parties.models import Membership, Organisation
from dossier import crypto
from dossier.accounts.models import Account
from dossier.errors import Forbidden, InvalidInput, NotFound
from tests.support.factories import add_account

TODAY = dt.datetime.now(dt.UTC).date()


async def account(db, kind="professional") -> Account:
    return await add_account(db, kind=kind)


async def organisation(db, kind: str, admin: Account | None = None) -> Organisation:
    identity = crypto.Identity.generate()
    org = Organisation(
        id=uuid.uuid4(),
        name=f"{kind} {uuid.uuid4().hex[:6]}",
        kind=kind,
        key_version=1,
        box_pk=identity.public.box_pk,
        sign_pk=identity.public.sign_pk,
    )
    db.add(org)
    await db.flush()
    if admin is not None:
        db.add(
            Membership(
                org_id=org.id,
                account_id=admin.id,
                role="admin",
                state="active",
                key_version=1,
                sealed_org_key=b"x" * 112,
            )
        )
        await db.flush()
    return org


def campaign_data(receiver: Organisation, **overrides) -> s.NewCampaign:
    values = {
        "receiver_id": str(receiver.id),
        "title": "Diploma 2026",
        "purpose": "Warme overdracht",
        "closes_on": TODAY + dt.timedelta(days=14),
    }
    values.update(overrides)
    return s.NewCampaign(**values)


@pytest.fixture
async def setting(db):
    staff = await account(db)
    school = await organisation(db, "school", staff)
    receiver = await organisation(db, "jobcoach")
    view = await CampaignService(db).create_by_member(staff.id, school.id, campaign_data(receiver))
    return staff, school, receiver, view.campaign


async def count(db, campaign) -> int:
    return await db.scalar(
        select(func.count())
        .select_from(CampaignEntry)
        .where(CampaignEntry.campaign_id == campaign.id)
    )


async def test_650_rows_in_one_statement_and_tokens_stored_as_hashes(db, setting):
    _, _, _, campaign = setting
    raw = b"referentie\n" + b"".join(f"S{i:05d}\n".encode() for i in range(650))
    done = await CampaignService(db).import_roster(campaign.id, raw, only_valid=False)
    assert len(done.links) == 650
    assert await count(db, campaign) == 650
    reference, token, code = done.links[0]
    stored, stored_code = (
        await db.execute(
            select(CampaignEntry.token_hash, CampaignEntry.code_hash).where(
                CampaignEntry.reference == reference
            )
        )
    ).one()
    assert stored == hashlib.sha256(token.encode()).digest()
    assert stored_code == hashlib.sha256(b"code:" + code.encode()).digest()
    assert len(token) == 24
    assert len(code) == 12
    assert not set(code) & set("0O1IL2Z5S8B6GUVQ")  # nothing that looks like another
    assert len({c for _, _, c in done.links}) == 650
    assert len({t for _, t, _ in done.links}) == 650
    ids = list(
        await db.scalars(select(CampaignEntry.id).where(CampaignEntry.campaign_id == campaign.id))
    )
    assert len(set(ids)) == 650
    assert {i.version for i in ids} == {4}


def test_links_made_in_one_batch_are_like_single_ones():
    """`new_links` draws from one block of random bytes: every token is 18 fresh bytes, every
    code character comes from the whole alphabet, and the hashes are those of `new_token` and
    `new_code`."""
    made = new_links(2000)
    assert len({token for token, _, _, _ in made}) == 2000
    for token, digest, code, digest_code in made[:50]:
        assert len(crypto.b64d(token)) == TOKEN_BYTES
        assert (digest, digest_code) == (token_hash(token), code_hash(code))
        assert code_key(shown_code(code)) == code
    letters = "".join(code for _, _, code, _ in made)
    assert set(letters) == set(CODE_ALPHABET)
    share = min(letters.count(ch) for ch in CODE_ALPHABET) / len(letters)
    assert share > 0.8 / len(CODE_ALPHABET)  # 24,000 draws: no letter starved
    assert new_links(0) == []


async def test_a_wrong_row_imports_nothing_unless_asked(db, setting):
    _, _, _, campaign = setting
    service = CampaignService(db)
    with pytest.raises(RosterRejected) as refused:
        await service.import_roster(campaign.id, b"referentie\nA1\nA1\nA2\n", only_valid=False)
    assert refused.value.problems == [
        {
            "line": 3,
            "code": "duplicate",
            "message": "Regel 3: de referentie 'A1' staat ook op regel 2.",
        }
    ]
    assert await count(db, campaign) == 0
    done = await service.import_roster(campaign.id, b"referentie\nA1\nA1\nA2\n", only_valid=True)
    assert [ref for ref, _, _ in done.links] == ["A1", "A2"]
    assert await count(db, campaign) == 2


async def test_who_may_create_and_what(db, setting):
    staff, school, receiver, campaign = setting
    service = CampaignService(db)
    outsider = await account(db)
    with pytest.raises(Forbidden):
        await service.create_by_member(outsider.id, school.id, campaign_data(receiver))
    with pytest.raises(Forbidden):
        await service.for_member(outsider.id, campaign.id)
    with pytest.raises(Forbidden):
        await service.for_member(staff.id, uuid.uuid4())
    bad = [
        campaign_data(school),
        campaign_data(receiver, receiver_id=str(uuid.uuid4())),
        campaign_data(receiver, sections=["contact", "contact"]),
        campaign_data(receiver, sections=["bankrekening"]),
        campaign_data(receiver, closes_on=TODAY - dt.timedelta(days=1)),
    ]
    for data in bad:
        with pytest.raises((InvalidInput, NotFound)):
            await service.create(school.id, data, "test")
    assert [v.campaign.id for v in await service.of_member(staff.id, school.id)] == [campaign.id]


async def test_opening_marks_opened_once_and_unknown_is_uniform(db, setting):
    _, _, _, campaign = setting
    [(_, token, code)] = (
        await CampaignService(db).import_roster(campaign.id, b"referentie\nA1\n", only_valid=False)
    ).links
    answers = AnswerService(db)
    entry, view = await answers.open(token)
    assert (entry.state, view.campaign.id) == ("opened", campaign.id)
    first = entry.opened_at
    entry, _ = await answers.open(token)
    assert entry.opened_at == first
    typed = f"{code[:4].lower()} {code[4:8]}-{code[8:]}"  # as a student types it
    same, _ = await answers.open(typed)
    assert same.id == entry.id
    other = code[:-1] + ("A" if code[-1] != "A" else "C")
    for wrong in ("", "x" * 65, "x" * 24, other):
        with pytest.raises(CampaignLinkUnavailable):
            await answers.open(wrong)
    declined = await answers.decline_link(token, None)
    assert declined.state == "declined"
    entry, _ = await answers.open(token)  # an anonymous "no" keeps the link working
    assert entry.state == "declined"


def receipt_item(campaign, receiver_id, **fields) -> GrantIn:
    signer = crypto.Identity.generate()
    values = {
        "grant": str(uuid.uuid4()),
        "dossier": str(uuid.uuid4()),
        "section": "contact",
        "grantee": str(receiver_id),
        "grantee_key_fingerprint": b"f" * 20,
        "permissions": ["read"],
        "purpose": campaign.purpose,
        "issued_at": dt.datetime.now(dt.UTC),
        "expires_at": dt.datetime.now(dt.UTC) + dt.timedelta(days=campaign.period_days),
        "key_version": 1,
    }
    values.update(fields)
    receipt = crypto.sign_receipt(signer, **values)
    return GrantIn(
        id=values["grant"],
        section=values["section"],
        grantee_kind="organisation",
        grantee_id=str(receiver_id),
        receipt=receipt.to_json(),
        envelope="x",
    )


async def test_an_acceptance_must_match(setting):
    _, school, receiver, campaign = setting
    now = dt.datetime.now(dt.UTC)
    check_items(campaign, [receipt_item(campaign, receiver.id)], now)
    wrong = [
        [receipt_item(campaign, school.id)],
        [receipt_item(campaign, receiver.id, section="verhaal")],
        [receipt_item(campaign, receiver.id, permissions=["read", "append"])],
        [receipt_item(campaign, receiver.id, purpose="iets anders")],
        [receipt_item(campaign, receiver.id, expires_at=now + dt.timedelta(days=800))],
        [receipt_item(campaign, receiver.id), receipt_item(campaign, receiver.id)],
    ]
    for items in wrong:
        with pytest.raises(AnswerMismatch):
            check_items(campaign, items, now)


async def test_partner_clients_and_tokens(db, setting):
    staff, school, _, _ = setting
    partners = PartnerService(db)
    data = s.NewPartnerClient(name="Eduarte", scopes=["campaign:read"])
    client, secret = await partners.create(staff.id, school.id, data)
    assert client.secret_hash == hashlib.sha256(secret.encode()).digest()
    member = await account(db)
    db.add(
        Membership(
            org_id=school.id,
            account_id=member.id,
            role="member",
            state="active",
            key_version=1,
            sealed_org_key=b"x" * 112,
        )
    )
    await db.flush()
    with pytest.raises(Forbidden):
        await partners.create(member.id, school.id, data)
    assert await partners.live_client("geen-uuid") is None
    await partners.store_token(client, "token-1", ["campaign:read"])
    found = await partners.authenticate("token-1", "campaign:read")
    assert (found.org_id, found.scopes) == (school.id, frozenset({"campaign:read"}))
    with pytest.raises(InsufficientScope):
        await partners.authenticate("token-1", "campaign:write")
    with pytest.raises(InvalidPartnerToken):
        await partners.authenticate("token-2", "campaign:read")
    await db.execute(
        update(PartnerToken).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    )
    with pytest.raises(InvalidPartnerToken):
        await partners.authenticate("token-1", "campaign:read")
    await partners.store_token(client, "token-3", ["campaign:read"])
    await partners.revoke(staff.id, school.id, client.id)
    with pytest.raises(InvalidPartnerToken):
        await partners.authenticate("token-3", "campaign:read")
    assert await partners.live_client(str(client.id)) is None
    with pytest.raises(NotFound):
        await partners.revoke(staff.id, school.id, uuid.uuid4())
    assert [c.id for c in await partners.of_org(staff.id, school.id)] == [client.id]
