"""The student's campaign page `/campagne/{token}` in real Chromium against the real app: a
school campaign made with the Python client (school with staff, a job coach organisation);
one student opens the link, makes a rugzak on the spot, comes back and says yes (the grant is
made in the browser, sealed to the job coach organisation), then fills in contact details
the organisation's member reads with the Python client; another student says no without a
login; a logged-in student says no; the school's status shows each answer; a used link shows
exactly the page an unknown one does. axe and the CSP checks run on every page, screenshots
at 390 px."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser

from dossier import crypto
from dossier.client import RugzakClient
from tests.browser.app_pages import (
    BIRTH,
    PASSPHRASE,
    AppPage,
    new_username,
    open_app_page,
    wait_opened,
)

PURPOSE = "Warme overdracht: een jobcoach neemt contact met je op na je diploma."
PHONE = "0611223344"
STAFF_PASS = "staf-wachtwoordzin-lang-genoeg"
UNAVAILABLE = "Deze link werkt niet meer. Vraag je school om een nieuwe."
NOT_FOUND = (
    "console: Failed to load resource: the server responded with a status of 404 (Not Found)"
)


@pytest.fixture(scope="module")
def campaign(app_url: str) -> Iterator[dict[str, Any]]:
    """A school (one staff member) asks its students whether a job coach organisation (one
    coach) may see their contact details; four personal links."""
    staff, coach = RugzakClient(app_url), RugzakClient(app_url)
    for client in (staff, coach):
        client.sign_up(new_username(), STAFF_PASS, birth_date=None, kind="professional")
    school = staff.create_organisation("ROC Zwolle", "school")
    jobcoach = coach.create_organisation("Jobcoach Zwolle", "jobcoach")
    made = staff.create_campaign(
        school,
        jobcoach,
        title="Diploma 2026: mag de jobcoach je bellen?",
        purpose=PURPOSE,
        closes_on=dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30),
        school_text="Gefeliciteerd met je diploma! We willen je graag helpen met werk.",
    )
    imported = staff.import_students(made["id"], b"referentie,naam\nA1,Sam\nA2,Lin\nA3,Noa\n")
    links = {
        item["reference"]: item["link"].split("/campagne/", 1)[1] for item in imported["links"]
    }
    yield {"staff": staff, "coach": coach, "jobcoach": jobcoach, "campaign": made, "links": links}
    staff.close()
    coach.close()


@pytest.fixture
def app(browser: Browser, app_url: str) -> Iterator[AppPage]:
    page = open_app_page(browser, app_url)
    yield page
    page.page.context.close()


def expect_404(app: AppPage, times: int) -> None:
    """Chromium logs a page answered with 404 as a console error: expected here, and only
    those."""
    seen = app.problems.take()
    assert seen == [NOT_FOUND] * times, seen


def states(campaign: dict[str, Any]) -> dict[str, str]:
    status = campaign["staff"].campaign_status(campaign["campaign"]["id"])
    return {row["reference"]: row["state"] for row in status["students"]}


def sign_up_on_the_spot(app: AppPage, token: str) -> None:
    """From the campaign page: "Ja", "Maak een rugzak", sign up, confirm the code, and back."""
    page = app.page
    page.click("#ja")
    assert page.get_attribute("#ja", "aria-expanded") == "true"
    assert page.evaluate("document.activeElement.id") == "ja-keuze-titel"
    app.clean()
    page.click("#maak-rugzak")
    page.wait_for_url(f"**/aanmelden?verder=/campagne/{token}")
    page.wait_for_selector("#gebruikersnaam:visible")
    assert page.get_attribute("#stap-account a.utrecht-link", "href") == (
        f"/inloggen?verder=%2Fcampagne%2F{token}"
    )
    page.fill("#gebruikersnaam", new_username())
    page.fill("#geboortedatum", BIRTH)
    page.fill("#wachtwoordzin", PASSPHRASE)
    page.fill("#wachtwoordzin2", PASSPHRASE)
    page.click("#maak")
    page.wait_for_selector("#stap-herstelcode:not([hidden])", timeout=30_000)
    code = page.text_content("#herstelcode") or ""
    page.click("#bewaard")
    group = int((page.text_content("#controle-vraag") or "").split()[2])
    page.fill("#controlecode", code.split("-")[group - 1])
    page.click("#verder")
    page.wait_for_url(f"**/campagne/{token}", timeout=15_000)


def my_public_identity(app: AppPage) -> dict[str, Any]:
    """The youth's account id and public identity, from this tab's keystore (as a coach
    would compare the fingerprint in person)."""
    return dict(
        app.page.evaluate(
            """async () => {
                const c = await import('/static/js/crypto.js');
                await c.ready;
                const ks = await import('/static/js/keystore.js');
                const me = ks.loadIdentity();
                return { id: me.accountId,
                         identity: c.publicIdentityToJson(c.identityPublic(me.identity)) };
            }"""
        )
    )


def job_coach_reads_the_contact_details(app: AppPage, campaign: dict[str, Any]) -> None:
    """The student fills in the contact details; a member of the job coach organisation
    reads them (the envelope opens only with the organisation key), the school holds none."""
    page = app.page
    page.click("#klaar-ja a[href='/rugzak/contact']")
    page.wait_for_url("**/rugzak/contact")
    page.wait_for_selector("#sectie-inhoud form[data-seal]:visible")
    page.fill("#c-naam", "Sam")
    page.fill("#c-telefoon", PHONE)
    page.click("#sectie-inhoud form[data-seal] button[type=submit]")
    page.wait_for_selector("#meldingen .rz-alert--ok")
    wait_opened(app)
    me = my_public_identity(app)
    coach: RugzakClient = campaign["coach"]
    [grant] = coach.my_grants()
    assert (grant["grantee_id"], grant["section"]) == (campaign["jobcoach"], "contact")
    coach.pin(me["id"], crypto.PublicIdentity.from_json(me["identity"]))  # compared in person
    [entry] = coach.entries("contact", grant["dossier_id"])
    assert (entry.body["naam"], entry.body["telefoon"]) == ("Sam", PHONE)
    assert coach.organisation_key(campaign["jobcoach"])  # opened with the member's own copy
    assert campaign["staff"].my_grants() == []
    assert not app.sent.contains(PHONE.encode())


def used_link_looks_unknown(app: AppPage, token: str) -> None:
    """The student who used the link sees the answer and where to change it; to anyone else
    a used link shows exactly the page an unknown link shows."""
    page = app.page
    mine = page.goto(f"{app.url}/campagne/{token}")
    assert mine is not None
    assert mine.status == 200
    assert "Jouw antwoord: ja." in page.inner_text("#je-antwoord")
    assert page.is_visible("main a[href='/delen']")
    app.clean("campagne-al-beantwoord")
    page.context.clear_cookies()
    used = page.goto(f"{app.url}/campagne/{token}")
    used_text = page.inner_text("main")
    unknown = page.goto(f"{app.url}/campagne/{'x' * 24}")
    assert used is not None
    assert unknown is not None
    assert used.status == unknown.status == 404
    assert page.inner_text("main") == used_text
    assert UNAVAILABLE in used_text
    expect_404(app, 2)
    app.clean()


def test_new_student_says_yes_and_the_job_coach_reads(
    app: AppPage, campaign: dict[str, Any]
) -> None:
    page, token = app.page, campaign["links"]["A1"]
    made = campaign["campaign"]
    app.goto(f"/campagne/{token}")
    assert page.locator("h1").inner_text() == "Een vraag van ROC Zwolle"
    assert page.text_content("#code-school") == made["school"]["fingerprint"]
    assert page.text_content("#code-ontvanger") == made["receiver"]["fingerprint"]
    assert len(made["receiver"]["fingerprint"].split()) == 6
    details = page.inner_text("#wat-gevraagd")
    for text in ("Jobcoach Zwolle. Niet je school.", "Contactgegevens", PURPOSE, "1 jaar"):
        assert text in details, text
    assert page.is_visible("#ja")
    assert not page.is_visible("#ja-keuze")
    assert page.inner_text("#nee") == "Nee, liever niet"
    app.clean("campagne-vraag")
    assert states(campaign)["A1"] == "opened"

    sign_up_on_the_spot(app, token)
    page.wait_for_selector("#ja-formulier:visible")
    assert page.inner_text("#ja") == "Ja, dat mag"
    app.clean("campagne-ingelogd")
    page.click("#ja")
    page.wait_for_selector("#klaar-ja:visible", timeout=20_000)
    assert page.evaluate("document.activeElement.id") == "klaar-titel"
    done = page.inner_text("#klaar-ja")
    assert "Jobcoach Zwolle mag nu dit uit je rugzak zien: contactgegevens." in done
    assert "Je kunt dit later veranderen op de pagina Delen" in done
    assert not page.is_visible("#antwoorden")
    app.clean("campagne-ja")
    assert states(campaign)["A1"] == "accepted"

    job_coach_reads_the_contact_details(app, campaign)
    used_link_looks_unknown(app, token)


def test_say_no_without_a_login(app: AppPage, campaign: dict[str, Any]) -> None:
    page, token = app.page, campaign["links"]["A2"]
    app.goto(f"/campagne/{token}")
    page.click("#nee")
    page.wait_for_url(f"**/campagne/{token}/nee")
    assert page.locator("h1").inner_text() == "Je hebt nee gezegd"
    text = page.inner_text("main")
    assert "Jobcoach Zwolle krijgt je gegevens niet." in text
    assert "kies Ja, dat mag" in text
    app.clean("campagne-nee")
    assert states(campaign)["A2"] == "declined"
    # Without a rugzak the "no" does not use the link up: the student can still say yes.
    app.goto(f"/campagne/{token}")
    assert page.is_visible("#ja")
    app.check()


def test_say_no_with_a_rugzak_and_the_schools_status(
    app: AppPage, campaign: dict[str, Any]
) -> None:
    """A student who already has a rugzak logs in from the campaign page and comes back."""
    page, token = app.page, campaign["links"]["A3"]
    username = new_username()
    with RugzakClient(app.url) as youth:
        youth.sign_up(username, PASSPHRASE, birth_date=dt.date.fromisoformat(BIRTH))
    app.goto(f"/campagne/{token}")
    page.click("#ja")
    page.click("#log-in")
    page.wait_for_url(f"**/inloggen?verder=/campagne/{token}")
    page.wait_for_selector("#gebruikersnaam:visible")
    page.fill("#gebruikersnaam", username)
    page.fill("#wachtwoordzin", PASSPHRASE)
    page.click("#inloggen")
    page.wait_for_url(f"**/campagne/{token}", timeout=30_000)
    page.wait_for_selector("#ja-formulier:visible")
    page.click("#nee")
    page.wait_for_url(f"**/campagne/{token}/nee")
    text = page.inner_text("main")
    assert "Je kunt dit later veranderen op de pagina Delen" in text
    app.clean()
    assert states(campaign) == {"A1": "accepted", "A2": "declined", "A3": "declined"}
    # A "no" with a rugzak uses the link up: scanned again, the student sees the answer;
    # anyone else gets the same page as for an unknown link.
    again = page.goto(f"{app.url}/campagne/{token}")
    assert again is not None
    assert again.status == 200
    assert "Jouw antwoord: nee." in page.inner_text("#je-antwoord")
    assert "alsnog ja zeggen" in page.inner_text("main")
    app.clean()
    page.context.clear_cookies()
    response = page.goto(f"{app.url}/campagne/{token}")
    assert response is not None
    assert response.status == 404
    assert UNAVAILABLE in page.inner_text("main")
    expect_404(app, 1)
    app.shot("campagne-werkt-niet")
    app.clean()
