"""School campaigns over real HTTP on SQLite and PostgreSQL: answers changed later from the
rugzak, acceptances that must match the campaign, links that do not work all look the same,
bad student lists. The cohort of 650 is in test_campaign_cohort.py."""

import datetime as dt
import uuid

import httpx
import pytest
from sqlalchemy import update

from consent.campaigns.models import Campaign
from consent.campaigns.printing import CampaignText, Sheet, cohort_html
from dossier.client import ApiError, RugzakClient
from dossier.client.campaigns import RosterError
from tests.browser.test_pro_access import pages_of, refused
from tests.e2e.campaign_support import (
    PURPOSE,
    entry_states,
    new_campaign,
    youth_client,
)
from tests.support.sql import on_db


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


# -- the client never sends a name it has not sealed ----------------------------------------

SCHOOL_EXPORT = "Studentnummer;Roepnaam;Achternaam;E-mail\n1001;Zoë;Vries;zoe@example.nl\n".encode()


def _watch(client) -> list[bytes]:
    """Every request body the client's HTTP connection sends, as it goes out."""
    bodies: list[bytes] = []

    def record(request: httpx.Request) -> None:
        bodies.append(request.read())

    client.api.http.event_hooks["request"].append(record)
    return bodies


def test_the_client_sends_no_unsealed_field(server, settings, orgs):
    staff, school, _, jobcoach = orgs
    cid = new_campaign(staff, school, jobcoach)["id"]
    bodies = _watch(staff)
    for raw in (SCHOOL_EXPORT, b"studentnummer\tnaam\temail\n1001\tZo\xc3\xab\tzoe@example.nl\n"):
        with pytest.raises(RosterError):
            staff.import_students(cid, raw)
    assert bodies == []  # refused before any request at all
    done = staff.import_students(cid, "studentnummer\tnaam\n1001\tZoë Vries\n".encode())
    assert done["imported"] == 1
    sent = b"".join(bodies)
    assert "Zoë".encode() not in sent
    assert b"Vries" not in sent
    assert b"1001" in sent  # the school's own number is the one value sent as it is
    assert [s["name"] for s in staff.campaign_students(cid)] == ["Zoë Vries"]
    assert entry_states(settings, cid) == {"not_opened": 1}


# -- the school's pages' own routes: find the receiver, close early ---------------------------


def test_the_receiver_is_found_by_name_by_members_only(server, orgs):
    staff, school, coach, jobcoach = orgs
    base = f"/api/v1/organisations/{school}/campaign-receivers"
    mine = staff.api.call("GET", f"/api/v1/organisations/{jobcoach}")
    unique = f"Jobcoach {uuid.uuid4().hex[:8]}"  # the shared app holds many "Jobcoach Zwolle"
    with RugzakClient(server) as other:
        other.sign_up(
            f"ontvanger{uuid.uuid4().hex[:6]}",
            "paarse-fiets-onder-de-brug-42",
            birth_date=None,
            kind="professional",
        )
        receiver = other.create_organisation(unique, "jobcoach")
    found = staff.api.call("GET", base, params={"q": unique[-8:].upper()})
    assert [(o["id"], o["name"]) for o in found] == [(receiver, unique)]
    assert len(found[0]["fingerprint"].split()) == 6
    assert len(staff.api.call("GET", base, params={"q": "coach zw"})) <= 10  # ten at most
    assert mine["name"] == "Jobcoach Zwolle"
    assert school not in {o["id"] for o in staff.api.call("GET", base, params={"q": "ROC"})}
    assert staff.api.call("GET", base, params={"q": "J"}) == []  # two letters at least
    assert staff.api.call("GET", base, params={"q": "%"}) == []  # a wildcard is a letter
    with pytest.raises(ApiError) as denied:
        coach.api.call("GET", base, params={"q": "coach"})
    assert denied.value.status == 403


def test_closing_early_stops_every_link_and_only_a_member_may(server, settings, orgs):
    staff, school, coach, jobcoach = orgs
    cid = new_campaign(staff, school, jobcoach)["id"]
    [link] = staff.import_students(cid, b"referentie\nA1\n")["links"]
    with pytest.raises(ApiError) as denied:
        coach.api.call("POST", f"/api/v1/campaigns/{cid}/close")
    assert denied.value.status == 403
    with httpx.Client(base_url=server) as anonymous:
        assert anonymous.get(f"/api/v1/campaign-invites/{link['token']}").status_code == 200
        closed = staff.api.call("POST", f"/api/v1/campaigns/{cid}/close")
        assert dt.datetime.fromisoformat(closed["closes_at"]) <= dt.datetime.now(dt.UTC)
        assert anonymous.get(f"/api/v1/campaign-invites/{link['token']}").status_code == 404


# -- the school's pages refuse whoever is not a member of the school ----------------------------


def test_the_school_pages_refuse_outsiders_and_land_members(server, orgs, youth):
    staff, school, coach, jobcoach = orgs
    cid = new_campaign(staff, school, jobcoach)["id"]
    with pages_of(server, coach) as outsider:
        refused(outsider.get(f"/pro/campagnes/{cid}"))
        refused(outsider.get(f"/pro/campagnes/{cid}/brieven"))  # the print window
        listing = outsider.get("/pro/campagnes")
        assert listing.status_code == 200
        assert "Diploma 2026" not in listing.text
        assert "geen lid van een school" in listing.text
        assert outsider.get("/pro").status_code == 200  # a coach keeps Mijn jongeren
    with pages_of(server, youth) as student:
        refused(student.get("/pro/campagnes"))
        refused(student.get(f"/pro/campagnes/{cid}/brieven"))
    with pages_of(server, staff) as member:
        landing = member.get("/pro")
        assert (landing.status_code, landing.headers["location"]) == (303, "/pro/campagnes")
        listing = member.get("/pro/campagnes")
        assert "Diploma 2026: mag de jobcoach je bellen?" in listing.text
        assert member.get(f"/pro/campagnes/{cid}").status_code == 200
        # The print window: the sheet facts and one module, no libsodium and no letters.
        letters = member.get(f"/pro/campagnes/{cid}/brieven")
        assert letters.status_code == 200
        assert "js/school/print-window.js" in letters.text
        assert "libsodium" not in letters.text
        assert "Diploma 2026: mag de jobcoach je bellen?" in letters.text
        assert "data-sheet=" in letters.text


def test_the_short_code_opens_like_the_link_and_stops_with_it(server, orgs):
    staff, school, _, jobcoach = orgs
    cid = new_campaign(staff, school, jobcoach)["id"]
    [old] = staff.import_students(cid, b"referentie\nA1\n")["links"]
    code = old["code"]
    assert len(code) == 14
    with httpx.Client(base_url=server) as anonymous:
        for typed in (code, code.replace("-", ""), code.lower()):
            invite = anonymous.get(f"/api/v1/campaign-invites/{typed}")
            assert invite.status_code == 200, typed
            assert invite.json()["campaign_id"] == cid
        page = anonymous.get("/campagne/", params={"code": f" {code.lower()} "})
        assert (page.status_code, page.headers["location"]) == (
            303,
            f"/campagne/{code.replace('-', '')}",
        )
        wrong = anonymous.get("/campagne/", params={"code": "0000-OOOO-IIII"})
        assert wrong.status_code == 200
        assert "Deze code klopt niet" in wrong.text
        [new] = staff.reissue_links(cid, ["A1"])
        assert new["code"] != code
        assert anonymous.get(f"/api/v1/campaign-invites/{code}").status_code == 404
        assert anonymous.get(f"/api/v1/campaign-invites/{new['code']}").status_code == 200


def test_the_clients_sheets_carry_the_short_code_the_group_and_the_contact(server, orgs):
    """The Python client's print run (WeasyPrint) says what the browser's does: the code to
    type instead of the link, the group (sorted and split per group) and the contact person;
    names and groups opened on this machine."""
    staff, school, _, jobcoach = orgs
    campaign = new_campaign(staff, school, jobcoach)
    raw = (
        "referentie;naam;groep\nB2;Bo Smit;Zorg-4B\nA1;Ali Yilmaz;Zorg-4A\n"
        "A2;Anna de Vries;Zorg-4A\n"
    )
    done = staff.import_students(campaign["id"], raw.encode())
    sheets = staff.print_sheets(campaign["id"], done["links"])
    codes = {item["reference"]: item["code"] for item in done["links"]}
    assert {(s.reference, s.code, s.group) for s in sheets} == {
        ("A1", codes["A1"], "Zorg-4A"),
        ("A2", codes["A2"], "Zorg-4A"),
        ("B2", codes["B2"], "Zorg-4B"),
    }
    text = CampaignText(
        school="ROC",
        receiver="Jobcoach",
        title=campaign["title"],
        purpose=PURPOSE,
        sections=["contact"],
        period_days=365,
        closes_at=dt.datetime.fromisoformat(campaign["closes_at"]),
        contact="Mevrouw De Boer, 0570 123 456",
    )
    page = cohort_html(text, [Sheet(s.reference, s.link, s.name, s.code, s.group) for s in sheets])
    order = [
        page.index(x)
        for x in ("Groep Zorg-4A", "Ali Yilmaz", "Anna de Vries", "Groep Zorg-4B", "Bo Smit")
    ]
    assert order == sorted(order)
    for code in codes.values():
        assert page.count(f'<p class="code">{code}</p>') == 1
    assert page.count("/campagne en typ deze code:") == 3
    assert "Zorg-4B · Kenmerk: B2" in page
    assert page.count("Vragen? Mevrouw De Boer, 0570 123 456") == 3
