"""YouthService (one youth as a professional sees them) against SQLite and PostgreSQL."""

import json

import pytest

from consent.caseload.youth import YouthService
from consent.requests.schemas import NewRequest
from consent.requests.service import RequestService
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


async def test_without_a_connection_or_grant_the_page_is_refused(db):
    me, other = await pro(db), await pro(db)
    who = await youth(db)
    await connect(db, who, other)
    await share(db, who, "werk", other)
    with pytest.raises(Forbidden):
        await YouthService(db).page(me.id, who.dossier_id)
    with pytest.raises(Forbidden):
        await YouthService(db).page(me.id, other.id)  # not a dossier at all
    assert await reads(db, who, me) == 0


async def test_exactly_the_shared_sections_each_read_logged_once(db):
    me = await pro(db)
    who = await youth(db)
    await connect(db, who, me, contact=True)
    grant = await share(db, who, "werk", me)
    note = await write(db, who, "werk", {"nu": "Ik zoek werk"})
    page = await YouthService(db).page(me.id, who.dossier_id)
    assert page.connected
    assert page.contact_person
    assert page.card
    assert page.owner_id == str(who.id)
    assert [b.key for b in page.blocks] == ["werk"]
    [block] = page.blocks
    assert block.kind == "leefgebied"
    assert [e.entry_id for e in block.entries] == [note]
    assert block.entries[0].author_id == str(who.id)
    assert not block.entries[0].mine
    assert json.loads(block.keys.receipt) == grant.receipt
    assert json.loads(block.keys.signed_key) == who.sections["werk"].signed_key
    assert block.keys.org_key is None
    opened = crypto.open_sealed(me.identity.box, crypto.b64d(block.keys.envelope or ""))
    assert opened == bytes(who.keys["werk"].sk)
    assert "werk" not in page.not_shared
    assert "plan" in page.not_shared
    assert await reads(db, who, me, "werk") == 1
    assert await reads(db, who, me) == 1


async def test_an_organisation_grant_carries_my_copy_of_the_organisation_key(db):
    me, admin = await pro(db), await pro(db)
    org = await organisation(db, admin, me)
    who = await youth(db)
    await connect(db, who, me)
    await share(db, who, "plan", org)
    [block] = (await YouthService(db).page(me.id, who.dossier_id)).blocks
    assert block.shared.via == "Jongerenloket Noord"
    org_key = json.loads(block.keys.org_key or "")
    assert org_key["org"] == str(org.id)
    secret = crypto.open_sealed(me.identity.box, crypto.b64d(org_key["sealed"]))
    assert secret == org.identity.secret()


async def test_append_only_shows_only_what_i_wrote_and_writing_refreshes(db):
    me = await pro(db)
    who = await youth(db)
    await connect(db, who, me)
    await expire(db, await share(db, who, "werk", me))
    await share(db, who, "notities", me, permissions=("append",))
    await write(db, who, "notities", {"tekst": "van de jongere"})
    page = await YouthService(db).page(me.id, who.dossier_id)
    [block] = page.blocks
    assert block.shared.permissions == ("append",)
    assert block.entries == []
    assert block.keys.envelope is None
    sealed = crypto.seal_entry(
        {"soort": "notitie", "tekst": "gesprek"},
        dossier=str(who.dossier_id),
        section="notities",
        entry="5f0c6b7e-8a53-4c1b-9a51-0d9f1f7e2a10",
        version=1,
        author_id=str(me.id),
        author=me.identity,
        section_key=crypto.SignedSectionKey.from_json(who.sections["notities"].signed_key),
    )
    fresh = await YouthService(db).write(me.account, who.dossier_id, "notities", sealed.to_json())
    [block] = fresh.blocks
    assert [e.mine for e in block.entries] == [True]
    assert "werk" in fresh.not_shared  # the expired grant shows as not shared


async def test_my_requests_are_listed(db):
    me = await pro(db)
    who = await youth(db)
    await connect(db, who, me)
    asked = NewRequest(sections=["plan"], purpose="Samen een plan", period_days=90)
    await RequestService(db).create(me.id, who.dossier_id, asked)
    page = await YouthService(db).page(me.id, who.dossier_id)
    [request] = page.requests
    assert (request.sections, request.purpose, request.period_days, request.state) == (
        ["plan"],
        "Samen een plan",
        90,
        "open",
    )
    assert page.blocks == []


async def test_other_professionals_are_named_by_username_and_organisation(db):
    me, colleague, admin, loner = [await pro(db) for _ in range(4)]
    await organisation(db, admin, colleague)
    who = await youth(db)
    await connect(db, who, me)
    for author in (me, colleague, loner):
        await share(db, who, "notities", author, permissions=("read", "append"))
    await write(db, who, "notities", {"tekst": "van de jongere"})
    for author in (me, colleague, loner):
        await write(db, who, "notities", {"tekst": "verslag"}, author=author)
    page = await YouthService(db).page(me.id, who.dossier_id)
    assert page.authors == {  # never me, never the youth
        str(colleague.id): f"{colleague.account.username} (Jongerenloket Noord)",
        str(loner.id): loner.account.username,  # no organisation: the username alone
    }
