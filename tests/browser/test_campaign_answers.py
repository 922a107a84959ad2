"""Vragen van je school on Delen, in real Chromium against the real app: a school campaign made
with the Python client (school with staff, a job coach organisation); a student with a rugzak
fills in contact details, says no on the campaign page, then on Delen says "Toch ja" (the
grant made in the browser like the campaign page does, sealed to the job coach organisation,
posted to the page route with cookie and CSRF); a member of the job coach organisation reads
the contact details with the Python client. Then "Intrekken": refused at once, the section
rotated. axe and the CSP checks run on every page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser

from dossier import crypto
from dossier.client import RugzakClient
from dossier.client.api import ApiError
from tests.browser.app_pages import AppPage, new_username, open_app_page, sign_up, wait_opened

PURPOSE = "Warme overdracht: een jobcoach neemt contact met je op na je diploma."
PHONE = "0655667788"
STAFF_PASS = "staf-wachtwoordzin-lang-genoeg"
CARD = "#campagnes [data-campaign-answer]"


@pytest.fixture(scope="module")
def campaign(app_url: str) -> Iterator[dict[str, Any]]:
    """A school asks whether a job coach organisation may see contact details; one link."""
    staff, coach = RugzakClient(app_url), RugzakClient(app_url)
    for client in (staff, coach):
        client.sign_up(new_username(), STAFF_PASS, birth_date=None, kind="professional")
    school = staff.create_organisation("Deltion College", "school")
    jobcoach = coach.create_organisation("Jobcoach Deventer", "jobcoach")
    made = staff.create_campaign(
        school,
        jobcoach,
        title="Diploma 2026: mag de jobcoach je bellen?",
        purpose=PURPOSE,
        closes_on=dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30),
        school_text="Gefeliciteerd met je diploma!",
    )
    imported = staff.import_students(made["id"], b"referentie,naam\nB1,Ravi\n")
    [link] = imported["links"]
    token = link["link"].split("/campagne/", 1)[1]
    yield {"staff": staff, "coach": coach, "jobcoach": jobcoach, "campaign": made, "token": token}
    staff.close()
    coach.close()


@pytest.fixture
def app(browser: Browser, app_url: str) -> Iterator[AppPage]:
    page = open_app_page(browser, app_url)
    yield page
    page.page.context.close()


def my_public_identity(app: AppPage) -> dict[str, Any]:
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


def states(campaign: dict[str, Any]) -> dict[str, str]:
    status = campaign["staff"].campaign_status(campaign["campaign"]["id"])
    return {row["reference"]: row["state"] for row in status["students"]}


def test_declined_then_toch_ja_on_delen_and_the_job_coach_reads(
    app: AppPage, campaign: dict[str, Any]
) -> None:
    page, token = app.page, campaign["token"]
    sign_up(app, new_username())
    app.goto("/rugzak/contact")
    page.wait_for_selector("#sectie-inhoud form[data-seal]:visible")
    page.fill("#c-naam", "Ravi")
    page.fill("#c-telefoon", PHONE)
    page.click("#sectie-inhoud form[data-seal] button[type=submit]")
    page.wait_for_selector("#meldingen .rz-alert--ok")
    wait_opened(app)
    me = my_public_identity(app)

    # "Nee" on the campaign page, logged in: the link is used up, the answer is on Delen.
    app.goto(f"/campagne/{token}")
    page.wait_for_selector("#ja-formulier:visible")
    page.click("#nee")
    page.wait_for_url(f"**/campagne/{token}/nee")
    assert states(campaign)["B1"] == "declined"

    app.goto("/delen")
    page.wait_for_selector(f"{CARD} button[data-campaign-yes]:visible")
    card = page.inner_text(CARD)
    for text in (
        "Diploma 2026: mag de jobcoach je bellen?",
        "Deltion College vroeg of Jobcoach Deventer dit uit je rugzak mag zien: contactgegevens",
        PURPOSE,
        "1 jaar",
        "Je antwoord: Nee, liever niet",
        campaign["campaign"]["receiver"]["fingerprint"],
    ):
        assert text in card, text
    assert page.inner_text(f"{CARD} button[data-campaign-yes]").startswith("Toch ja")
    app.clean("delen-campagne-nee")

    # "Toch ja": the grant is made in the browser and sealed to the organisation.
    page.click(f"{CARD} button[data-campaign-yes]")
    page.wait_for_url("**/delen?melding=campagne-ja", timeout=20_000)
    assert "Je antwoord: Ja, dat mag" in page.inner_text(CARD)
    assert page.is_visible(f"{CARD} button[data-campaign-withdraw]")
    app.clean("delen-campagne-ja")
    assert states(campaign)["B1"] == "accepted"

    coach: RugzakClient = campaign["coach"]
    [grant] = coach.my_grants()
    assert (grant["grantee_id"], grant["section"]) == (campaign["jobcoach"], "contact")
    coach.pin(me["id"], crypto.PublicIdentity.from_json(me["identity"]))  # compared in person
    [entry] = coach.entries("contact", grant["dossier_id"])
    assert (entry.body["naam"], entry.body["telefoon"]) == ("Ravi", PHONE)
    assert campaign["staff"].my_grants() == []
    assert not app.sent.contains(PHONE.encode())

    # "Intrekken": refused at once and the section rotated, like the one-tap revoke.
    page.click(f"{CARD} button[data-campaign-withdraw]")
    page.wait_for_url("**/delen?melding=ingetrokken", timeout=20_000)
    assert "Je antwoord: Ingetrokken" in page.inner_text(CARD)
    assert page.is_visible(f"{CARD} button[data-campaign-yes]")
    app.clean()
    with pytest.raises(ApiError) as refused:
        coach.api.call("GET", f"/api/v1/dossiers/{grant['dossier_id']}/sections/contact/entries")
    assert refused.value.status == 403
    assert states(campaign)["B1"] == "withdrawn"
    versions = page.evaluate(
        """async (dossier) => (await (await fetch(`/api/v1/dossiers/${dossier}/sharing`, {
               headers: { 'x-csrftoken': document.querySelector('input[name=_csrf_token]').value },
             })).json()).dossier.sections.map((s) => [s.key, s.key_version])""",
        grant["dossier_id"],
    )
    assert ["contact", 2] in versions
