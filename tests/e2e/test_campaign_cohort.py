"""A school campaign for a cohort of 650 over real HTTP on SQLite and PostgreSQL: imported,
printed, answered by students (new and existing rugzakken), read by the job coach
organisation and by nobody at the school."""

import datetime as dt
import uuid

import httpx
import pytest
from sqlalchemy import select

from consent.campaigns.models import CampaignEntry
from consent.campaigns.printing import CampaignText, Sheet, cohort_pdf
from consent.grants.models import Grant
from dossier import crypto
from dossier.client import ApiError
from tests.e2e.campaign_support import (
    Client,
    new_campaign,
    pdf_pages,
    youth_client,
)
from tests.e2e.conftest import ADULT, PASSPHRASE, new_username
from tests.support.sql import on_db

COHORT = 650


def roster(n: int) -> bytes:
    lines = ["referentie,naam"] + [f"S{i:05d},Student Zoë {i}" for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def check_stored(settings, cid: str, imported: dict) -> None:
    """The server holds names sealed to the school's key, and token hashes only."""

    async def stored(connection):
        rows = await connection.execute(
            select(CampaignEntry.sealed_name, CampaignEntry.token_hash).where(
                CampaignEntry.campaign_id == uuid.UUID(cid)
            )
        )
        return rows.tuples().all()

    rows = on_db(settings.database_url, stored)
    assert len(rows) == COHORT
    tokens = {item["token"].encode() for item in imported["links"]}
    for sealed, digest in rows:
        assert b"Student" not in sealed
        assert digest not in tokens


PRINTED = 40  # one class: the 650-sheet run's time and memory are bench/campaign_bench.py's


def print_cohort(staff, campaign: dict, imported: dict) -> None:
    """Every name of the cohort opened on the school's machine; one class of it printed
    there, a page per student (the renderer's cost for the whole cohort is measured by the
    bench, not re-paid by every test run)."""
    sheets = staff.print_sheets(campaign["id"], imported["links"])
    assert len(sheets) == COHORT
    assert {s.name for s in sheets} == {f"Student Zoë {i}" for i in range(COHORT)}
    assert sheets[1].name == "Student Zoë 1"
    sheets = sheets[:PRINTED]
    text = CampaignText(
        school=campaign["school"]["name"],
        receiver=campaign["receiver"]["name"],
        title=campaign["title"],
        purpose=campaign["purpose"],
        sections=campaign["sections"],
        period_days=campaign["period_days"],
        closes_at=dt.datetime.fromisoformat(campaign["closes_at"]),
        school_text=campaign["school_text"],
    )
    pdf, pages = cohort_pdf(text, [Sheet(s.reference, s.link, s.name) for s in sheets])
    assert pdf.startswith(b"%PDF-")
    assert pages == PRINTED
    assert pdf_pages(pdf) == PRINTED


def groups_of(links: dict) -> dict[str, list[str]]:
    refs = sorted(links)
    return {
        "accept_new": refs[0:10],
        "accept_old": refs[10:20],
        "decline_anon": refs[20:23],
        "decline_logged": refs[23:25],
        "withdraw": refs[25:27],
        "only_open": refs[27:37],
    }


def answer(server, campaign: dict, links: dict, groups: dict, youths: dict) -> None:
    token = {ref: item["token"] for ref, item in links.items()}
    # Existing rugzakken: made before the campaign, with contact details.
    for ref in groups["accept_old"] + groups["decline_logged"] + groups["withdraw"]:
        youths[ref] = youth_client(server)
        youths[ref].write("contact", {"naam": f"Jongere {ref}", "telefoon": "0612345678"})
    # New rugzakken: the student opens the link first, then makes a rugzak on the spot.
    for ref in groups["accept_new"]:
        youths[ref] = client = Client(server)
        seen = client.campaign_invite(token[ref])
        assert seen["school"]["fingerprint"] == campaign["school"]["fingerprint"]
        assert seen["receiver"]["id"] == campaign["receiver"]["id"]
        assert seen["sections"] == [{"key": "contact", "label": "Contactgegevens"}]
        client.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
        client.write("contact", {"naam": f"Jongere {ref}", "telefoon": "0687654321"})
    for ref in groups["accept_new"] + groups["accept_old"] + groups["withdraw"]:
        done = youths[ref].accept_campaign(token[ref])
        assert (done["state"], len(done["grant_ids"])) == ("accepted", 1)
    for ref in groups["decline_logged"]:
        assert youths[ref].decline_campaign(token[ref])["state"] == "declined"
    with httpx.Client(base_url=server) as anonymous:
        for ref in groups["decline_anon"]:
            assert anonymous.post(f"/api/v1/campaign-invites/{token[ref]}/decline").is_success
        for ref in groups["only_open"]:
            assert anonymous.get(f"/api/v1/campaign-invites/{token[ref]}").is_success
    for ref in groups["withdraw"]:
        [mine] = youths[ref].campaign_answers()
        assert mine["state"] == "accepted"
        done = youths[ref].change_campaign_answer(mine["entry_id"], "withdraw")
        assert (done["state"], done["rotate"]) == ("withdrawn", ["contact"])


def check_status(staff, cid: str, groups: dict) -> None:
    status = staff.campaign_status(cid)
    assert status["counts"] == {
        "not_opened": COHORT - 37,
        "opened": 10,
        "accepted": 20,
        "declined": 5,
        "withdrawn": 2,
    }
    assert set(status["students"][0]) == {"reference", "state", "sealed_name"}
    assert {s["sealed_name"] for s in status["students"]} == {None}
    exported = staff.campaign_status_csv(cid).splitlines()
    assert exported[0] == "referentie,status"
    assert len(exported) == COHORT + 1
    assert f"{groups['withdraw'][0]},ingetrokken" in exported
    assert f"{groups['accept_new'][0]},akkoord" in exported
    assert f"{groups['decline_anon'][0]},geweigerd" in exported
    assert f"{groups['only_open'][0]},geopend" in exported


def check_job_coach_reads_exactly_the_accepted(coach, jobcoach, youths, groups) -> None:
    accepted = groups["accept_new"] + groups["accept_old"]
    grants = coach.my_grants()
    assert {g["grantee_id"] for g in grants} == {jobcoach}
    assert len(grants) == len(accepted)
    for ref in accepted:
        me = youths[ref].unlocked()
        coach.pin(me.account_id, me.identity.public)  # fingerprints compared in person
    read = {coach.entries("contact", g["dossier_id"])[0].body["naam"] for g in grants}
    assert read == {f"Jongere {ref}" for ref in accepted}
    for ref in groups["withdraw"] + groups["decline_logged"]:
        with pytest.raises(ApiError) as refused:
            coach.entries("contact", youths[ref].unlocked().dossier_id)
        assert refused.value.status == 403


def check_school_opens_nothing(settings, staff, school, coach, jobcoach, youths) -> None:
    """No grant names the school, its staff are refused by the server, and the school's key
    opens no envelope (while the job coach organisation's key does)."""
    assert staff.my_grants() == []
    for client in youths.values():
        path = f"/api/v1/dossiers/{client.unlocked().dossier_id}/sections/contact/entries"
        with pytest.raises(ApiError) as refused:
            staff.api.call("GET", path)
        assert refused.value.status == 403

    async def envelopes(connection):
        return list(
            await connection.scalars(select(Grant.envelope).where(Grant.envelope.is_not(None)))
        )

    school_key = staff.organisation_key(school)
    sealed = on_db(settings.database_url, envelopes)
    assert sealed
    for envelope in sealed:
        with pytest.raises(crypto.CryptoError):
            crypto.open_sealed(school_key.box, envelope)
        assert crypto.open_sealed(coach.organisation_key(jobcoach).box, envelope)


@pytest.mark.timeout(600)  # 650 sign-ups and answers over HTTP: minutes on a busy machine
@pytest.mark.own_database  # opens every grant envelope in the database
def test_a_cohort_of_650(server, settings, backend, orgs):
    staff, school, coach, jobcoach = orgs
    campaign = new_campaign(staff, school, jobcoach)
    assert (campaign["receiver"]["id"], campaign["sections"]) == (jobcoach, ["contact"])
    imported = staff.import_students(campaign["id"], roster(COHORT))
    assert imported["imported"] == COHORT
    links = {item["reference"]: item for item in imported["links"]}
    assert len({item["token"] for item in imported["links"]}) == COHORT
    assert all(len(crypto.b64d(item["token"])) >= 16 for item in imported["links"])
    check_stored(settings, campaign["id"], imported)
    if backend.name == "sqlite":  # once per run: printing does not depend on the database
        print_cohort(staff, campaign, imported)
    groups = groups_of(links)
    youths: dict[str, Client] = {}
    try:
        answer(server, campaign, links, groups, youths)
        check_status(staff, campaign["id"], groups)
        check_job_coach_reads_exactly_the_accepted(coach, jobcoach, youths, groups)
        check_school_opens_nothing(settings, staff, school, coach, jobcoach, youths)
    finally:
        for client in youths.values():
            client.close()


# -- answers can be changed ----------------------------------------------------------------
