"""School campaigns over real HTTP on SQLite and PostgreSQL: a cohort of 650, printed, answered
by students (new and existing rugzakken), read by the job coach organisation and by nobody
at the school; bad student lists; links that do not work all look the same."""

import asyncio
import datetime as dt
import re
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from nacl.public import PrivateKey
from sqlalchemy import func, select, update

from consent.campaigns.models import Campaign, CampaignEntry
from consent.campaigns.printing import CampaignText, Sheet, cohort_pdf
from consent.grants.models import Grant
from dossier import crypto
from dossier.client import ApiError, RugzakClient
from dossier.db import make_engine
from tests.e2e.conftest import ADULT, PASSPHRASE, new_username

COHORT = 650
PURPOSE = "Warme overdracht: een jobcoach neemt contact met je op na je diploma."


Client = RugzakClient


def on_db(url: str, work):
    async def go():
        engine = make_engine(url)
        try:
            async with engine.begin() as connection:
                return await work(connection)
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


def professional(server: str) -> Client:
    client = Client(server)
    client.sign_up(new_username("staf"), PASSPHRASE, birth_date=None, kind="professional")
    return client


def youth_client(server: str) -> Client:
    client = Client(server)
    client.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
    return client


def pdf_pages(pdf: bytes) -> int:
    """Count page objects in the PDF bytes themselves, compressed object streams included."""
    texts, view, start = [pdf], memoryview(pdf), 0
    while (at := pdf.find(b"stream", start)) != -1:
        start = at + len(b"stream")
        if pdf[at - 3 : at] == b"end":
            continue
        body = start + (2 if pdf[start : start + 2] == b"\r\n" else 1)
        try:
            texts.append(zlib.decompressobj().decompress(view[body:]))
        except zlib.error:
            continue
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", b"".join(texts)))


@pytest.fixture
def orgs(server):
    """A school with one staff member (admin) and a job coach organisation with one coach."""
    staff, coach = professional(server), professional(server)
    school = staff.create_organisation("ROC Zwolle", "school")
    jobcoach = coach.create_organisation("Jobcoach Zwolle", "jobcoach")
    yield staff, school, coach, jobcoach
    staff.close()
    coach.close()


def new_campaign(staff, school, jobcoach, closes_in_days=30):
    return staff.create_campaign(
        school,
        jobcoach,
        title="Diploma 2026: mag de jobcoach je bellen?",
        purpose=PURPOSE,
        closes_on=dt.datetime.now(dt.UTC).date() + dt.timedelta(days=closes_in_days),
        school_text="Gefeliciteerd met je diploma! We willen je graag helpen met werk.",
    )


def roster(n: int) -> bytes:
    lines = ["referentie,naam"] + [f"S{i:05d},Student Zoë {i}" for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def entry_states(settings, campaign_id: str) -> dict[str, int]:
    query = (
        select(CampaignEntry.state, func.count())
        .where(CampaignEntry.campaign_id == uuid.UUID(campaign_id))
        .group_by(CampaignEntry.state)
    )

    async def work(connection):
        return dict((await connection.execute(query)).tuples().all())

    return on_db(settings.database_url, work)


# -- the whole cohort ---------------------------------------------------------------------


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


def print_cohort(staff, campaign: dict, imported: dict) -> None:
    """The whole cohort printed on the school's machine, with the names opened there."""
    sheets = staff.print_sheets(campaign["id"], imported["links"])
    assert sheets[1].name == "Student Zoë 1"
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
    assert pages == COHORT
    assert pdf_pages(pdf) == COHORT


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
        assert PrivateKey(crypto.open_sealed(coach.organisation_key(jobcoach).box, envelope))


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


def test_answers_change_from_the_rugzak(server, orgs):
    staff, school, _, jobcoach = orgs
    cid = new_campaign(staff, school, jobcoach)["id"]
    [link] = staff.import_students(cid, b"referentie\nA1\n")["links"]
    with youth_client(server) as youth:
        youth.write("contact", {"naam": "Sam"})
        youth.decline_campaign(link["token"])
        [mine] = youth.campaign_answers()
        assert mine["state"] == "declined"
        assert youth.change_campaign_answer(mine["entry_id"], "accept")["state"] == "accepted"
        assert staff.campaign_status(cid)["counts"]["accepted"] == 1
        with pytest.raises(ApiError) as twice:
            youth.change_campaign_answer(mine["entry_id"], "accept")
        assert twice.value.status == 409
        # Revoking through the grants API directly also shows as withdrawn to the school.
        grant_ids = [g["id"] for g in youth.grants() if g["state"] == "active"]
        youth.revoke(grant_ids)
        assert staff.campaign_status(cid)["counts"]["withdrawn"] == 1
        assert youth.campaign_answers()[0]["state"] == "withdrawn"
        assert youth.change_campaign_answer(mine["entry_id"], "accept")["state"] == "accepted"
        declined = youth.change_campaign_answer(mine["entry_id"], "decline")
        assert (declined["state"], declined["rotate"]) == ("declined", ["contact"])
        assert staff.campaign_status(cid)["counts"]["declined"] == 1


def test_an_acceptance_must_match_the_campaign(server, orgs):
    staff, school, coach, jobcoach = orgs
    cid = new_campaign(staff, school, jobcoach)["id"]
    [link] = staff.import_students(cid, b"referentie\nA1\n")["links"]
    with youth_client(server) as youth:
        path = f"/api/v1/campaign-invites/{link['token']}/accept"
        wrong = [
            youth._campaign_grants(school, ["contact"], PURPOSE, 365),  # to the school
            youth._campaign_grants(jobcoach, ["verhaal"], PURPOSE, 365),  # not asked
            youth._campaign_grants(jobcoach, ["contact"], "Iets anders", 365),
            youth._campaign_grants(jobcoach, ["contact"], PURPOSE, 3650),  # too long
        ]
        for items in wrong:
            with pytest.raises(ApiError) as refused:
                youth.api.call("POST", path, json={"grants": items})
            assert (refused.value.status, refused.value.code) == (400, "campaign-answer-mismatch")
        assert youth.grants() == []
        # The link still works after refused attempts.
        assert youth.accept_campaign(link["token"])["state"] == "accepted"
    with pytest.raises(ApiError) as staff_cannot:
        coach.import_students(cid, b"referentie\nB1\n")
    assert staff_cannot.value.status == 403


# -- links that do not work ----------------------------------------------------------------


def test_unknown_used_and_expired_links_answer_the_same(server, settings, orgs):
    staff, school, _, jobcoach = orgs
    cid = new_campaign(staff, school, jobcoach)["id"]
    used, declined, kept = staff.import_students(cid, b"referentie\nA1\nA2\nA3\n")["links"]
    with youth_client(server) as youth:
        youth.accept_campaign(used["token"])
        youth.decline_campaign(declined["token"])
        with pytest.raises(ApiError) as again:
            youth.accept_campaign(used["token"])
        assert again.value.status == 404
    with httpx.Client(base_url=server) as anonymous:
        answers = [
            anonymous.get(f"/api/v1/campaign-invites/{token}")
            for token in (used["token"], declined["token"], "x" * 24, "kort", "x" * 300)
        ]
        assert anonymous.get(f"/api/v1/campaign-invites/{kept['token']}").status_code == 200

        async def close(connection):
            await connection.execute(
                update(Campaign)
                .where(Campaign.id == uuid.UUID(cid))
                .values(closes_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
            )

        on_db(settings.database_url, close)
        answers.append(anonymous.get(f"/api/v1/campaign-invites/{kept['token']}"))
        answers.append(anonymous.post(f"/api/v1/campaign-invites/{kept['token']}/decline"))
    bodies = {(a.status_code, a.headers["content-type"], a.text) for a in answers}
    assert len(bodies) == 1
    [(status, kind, text)] = bodies
    assert status == 404
    assert kind.startswith("application/problem+json")
    assert "Deze link werkt niet (meer)" in text
    assert "A3" not in text


# -- bad student lists ---------------------------------------------------------------------

BAD_LISTS = {
    "duplicate": (b"referentie\nA1\nA2\nA1\n", 4, "staat ook op regel 2"),
    "empty-line": (b"referentie\nA1\n\nA2\n", 3, "deze regel is leeg"),
    "encoding": ("referentie\nA1\nJos\xe9\n".encode("latin-1"), 3, "geen UTF-8"),
    "delimiter": (b"referentie,naam\nA1,\nA2;\n", 3, "';' als scheidingsteken"),
    "name-not-sealed": (b"referentie,naam\nA1,Jos Jansen\n", 2, "niet versleuteld"),
    "header": (b"A1\nA2\n", 1, "namen van de kolommen"),
}


@pytest.mark.parametrize("case", sorted(BAD_LISTS))
def test_bad_lists_import_nothing(server, settings, orgs, case):
    staff, school, _, jobcoach = orgs
    cid = new_campaign(staff, school, jobcoach)["id"]
    raw, line, message = BAD_LISTS[case]
    with pytest.raises(ApiError) as refused:
        staff.api.call(
            "POST",
            f"/api/v1/campaigns/{cid}/students",
            content=raw,
            headers={"content-type": "text/csv"},
        )
    assert (refused.value.status, refused.value.code) == (422, "roster-rejected")
    problem = refused.value.problem
    assert problem["title"].startswith("De lijst heeft fouten. Er is niets ingelezen.")
    found = [e for e in problem["errors"] if e["code"] in {case, "unknown-column"}]
    assert any(e["line"] == line and message in e["message"] for e in found), problem["errors"]
    assert found[0]["message"].startswith(f"Regel {line}")
    assert entry_states(settings, cid) == {}


def test_only_valid_rows_on_request_and_a_bom_is_handled(server, settings, orgs):
    staff, school, _, jobcoach = orgs
    cid = new_campaign(staff, school, jobcoach)["id"]
    raw = b"\xef\xbb\xbfreferentie;naam\nA1;Sam de Vries\nA1;Sam de Vries\n\nA2;\n"
    done = staff.import_students(cid, raw, only_valid=True)
    assert done["imported"] == 2
    assert [e["line"] for e in done["skipped"]] == [3, 4]
    assert [n["code"] for n in done["notices"]] == ["bom"]
    names = {s["reference"]: s["name"] for s in staff.campaign_students(cid)}
    assert names == {"A1": "Sam de Vries", "A2": None}
    with pytest.raises(ApiError) as again:
        staff.import_students(cid, b"referentie\nA2\nA3\n")
    assert [e["code"] for e in again.value.problem["errors"]] == ["exists"]
    assert entry_states(settings, cid) == {"not_opened": 2}
    # A lost printout: a new link, and the old one stops working.
    old = done["links"][0]
    [new] = staff.reissue_links(cid, [old["reference"]])
    assert new["token"] != old["token"]
    with httpx.Client(base_url=server) as anonymous:
        assert anonymous.get(f"/api/v1/campaign-invites/{old['token']}").status_code == 404
        assert anonymous.get(f"/api/v1/campaign-invites/{new['token']}").status_code == 200
