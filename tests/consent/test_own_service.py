"""OwnDossierService (the youth's own pages, moved out of web/) and
`DossierService.own_dossier` against SQLite and PostgreSQL: the overview counts entries and
lists active grants per section, a section carries the receipts and the organisation an author
wrote for, versions come newest first, and the section form appends through the one append
service."""

from __future__ import annotations

import json
import uuid

import pytest

from consent.own.service import OwnDossierService
from dossier import crypto
from dossier.errors import InvalidInput, NotFound
from dossier.sections.service import DossierService
from tests.consent.caseload.world import organisation, pro, share, write, youth
from tests.consent.test_entries import sealed


async def test_own_dossier_is_the_owners_and_not_found_for_a_professional(db):
    who, coach = await youth(db), await pro(db)
    assert (await DossierService(db).own_dossier(who.id)).id == who.dossier_id
    with pytest.raises(NotFound):
        await DossierService(db).own_dossier(coach.id)


async def test_the_overview_counts_entries_and_lists_active_grants(db):
    who, coach = await youth(db), await pro(db)
    await write(db, who, "plan", {"doel": "Een huis"})
    await write(db, who, "plan", {"doel": "Werk"})
    await share(db, who, "plan", coach)
    data = await OwnDossierService(db).overview(who.account)
    assert data["dossier"].id == who.dossier_id
    rows = {row["key"]: row for _, group in data["groups"] for row in group}
    assert rows["plan"]["entries"] == 2
    assert rows["werk"]["entries"] == 0
    [grant] = rows["plan"]["grants"]
    assert (grant.state, grant.permissions) == ("actief", "lezen")
    assert rows["werk"]["grants"] == []


async def test_a_section_names_the_organisation_a_member_wrote_for(db):
    admin, member = await pro(db), await pro(db)
    who = await youth(db)
    org = await organisation(db, admin, member)
    await share(db, who, "notities", org, permissions=("append", "read"))
    own = await write(db, who, "notities", {"tekst": "Van mij"})
    theirs = await write(db, who, "notities", {"tekst": "Van de coach"}, author=member)
    page = await OwnDossierService(db).section(who.account, "notities")
    by_id = {e.entry_id: e for e in page.entries}
    assert by_id[own].mine
    assert by_id[own].via is None
    assert not by_id[theirs].mine
    assert by_id[theirs].via == "Jongerenloket Noord"
    [receipt] = json.loads(page.receipts)
    assert receipt["receipt"]["grantee"] == str(org.id)
    assert json.loads(page.signed_key) == who.sections["notities"].signed_key


async def test_versions_come_newest_first(db):
    who = await youth(db)
    entry = str(uuid.uuid4())
    service = OwnDossierService(db)
    await service.add_entry(who.account, "plan", sealed(who, "plan", who, entry=entry))
    page = await service.add_entry(
        who.account, "plan", sealed(who, "plan", who, entry=entry, version=2)
    )
    assert [e.version for e in page.entries] == [2]
    history = await service.versions(who.account, "plan", uuid.UUID(entry))
    assert [e.version for e in history.entries] == [2, 1]
    assert all(e.mine for e in history.entries)


async def test_the_section_form_appends_only_to_my_own_dossier(db):
    who, other = await youth(db), await youth(db)
    page = await OwnDossierService(db).add_entry(who.account, "plan", sealed(who, "plan", who))
    [entry] = page.entries
    assert crypto.SealedEntry.from_json(json.loads(entry.ciphertext)).author == str(who.id)
    # An entry sealed for someone else's dossier lands nowhere: the form only ever appends
    # to the caller's own dossier, whose place the entry does not name.
    with pytest.raises(InvalidInput, match="another dossier"):
        await OwnDossierService(db).add_entry(who.account, "plan", sealed(other, "plan", who))
    with pytest.raises(NotFound):
        await OwnDossierService(db).add_entry(who.account, "geheim", sealed(who, "plan", who))
    assert len((await OwnDossierService(db).section(who.account, "plan")).entries) == 1
