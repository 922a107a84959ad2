"""A coach's day in real Chromium, against a real OpenID Connect provider: sign in through the
organisation, open the keys with the passphrase, see 40 youths (names opened in the browser),
open one, read what is shared, write a conversation note, ask for access to the plan. The
youth (Python client) reads the note and says yes; after a refresh the coach reads the plan.
axe-core finds nothing on any professional page."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from tests.browser.app_pages import AppPage, open_app_page, wait_opened
from tests.e2e.conftest import ADULT, PASSPHRASE, new_username
from tests.oidc.support import app_url_fixture, configure, idp_fixture, link

YOUTHS = 40
SHARED = ("plan", "werk", "wonen", "geld")

app_url = app_url_fixture()
idp = idp_fixture()


@pytest.fixture(scope="module")
def world(app_url, idp):
    """A coach in an organisation with single sign-on (linked as "fatima"), and 40 youths who
    each connected and shared one section; youth 0 shared notes (read + append)."""
    coach = RugzakClient(app_url)
    coach.sign_up(new_username("coach"), PASSPHRASE, birth_date=None, kind="professional")
    coach.set_profile("Fatima Demir", "Jongerenloket Noord", "jobcoach", "06 98765432")
    org = coach.create_organisation("Jongerenloket Noord", "jobcoach")
    configure(coach, org, idp)
    with httpx.Client(timeout=30) as http:
        assert "Je account is gekoppeld" in link(http, app_url, coach, org, "fatima")
    youths = []
    coach_id = coach.unlocked().account_id
    for n in range(YOUTHS):
        youth = RugzakClient(app_url)
        youth.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
        invite = coach.create_invite()
        connection = youth.accept_invite(invite.token, f"Jongere {n:02d}", "WhatsApp")
        if n % 7 == 0:
            youth.set_contact_person(connection)
        if n == 0:
            youth.write("notities", {"soort": "notitie", "tekst": "Ik zoek een stage in de zorg."})
            youth.share(
                ["notities"], coach_id, permissions=("read", "append"), purpose="Begeleiding"
            )
        else:
            youth.write(SHARED[n % 4], {"doel": f"doel {n}", "tekst": f"stuk {n}"})
            youth.share([SHARED[n % 4]], coach_id, purpose="Begeleiding")
        youths.append(youth)
    yield {"coach": coach, "org": org, "youths": youths}
    for client in [coach, *youths]:
        client.close()


@pytest.fixture(scope="module")
def app(browser: Browser, app_url: str) -> Iterator[AppPage]:
    page = open_app_page(browser, app_url)
    yield page
    page.page.context.close()


def test_coach_journey(app: AppPage, world, idp):  # noqa: PLR0915  (one journey, told in order)
    page = app.page
    youth = world["youths"][0]
    app.goto("/inloggen/organisatie")
    app.clean("pro-sso-kies")
    page.click("text=Inloggen via Jongerenloket Noord")
    page.fill("input[name=login]", "fatima")
    page.fill("input[name=password]", "wat-de-idp-ook-vraagt")
    page.click("button[type=submit]")
    page.wait_for_url("**/pro/ontgrendelen", timeout=15_000)
    app.clean("pro-ontgrendelen")
    page.fill("#wachtwoordzin", PASSPHRASE)
    page.click("#ontgrendelen")
    page.wait_for_url("**/pro", timeout=30_000)
    page.wait_for_selector("#jongeren[data-ready]")
    names = page.locator("#jongeren [data-name]").all_text_contents()
    assert len(names) == YOUTHS
    assert names == sorted(f"Jongere {n:02d}" for n in range(YOUTHS))
    app.clean("pro-mijn-jongeren")

    page.fill("#zoek", "jongere 07")
    assert page.locator("#jongeren tbody tr:not([hidden])").count() == 1
    page.fill("#zoek", "")
    page.select_option("#filter", "aanspreekpunt")
    assert page.locator("#jongeren tbody tr:not([hidden])").count() == len(range(0, YOUTHS, 7))
    page.select_option("#filter", "alle")

    page.click("text=Jongere 00")
    page.wait_for_selector("#jongere [data-name]:text('Jongere 00')")
    wait_opened(app)
    assert "Ik zoek een stage in de zorg." in (page.text_content("#sectie-notities") or "")
    assert "niet gedeeld" in (page.text_content("main") or "")
    app.clean("pro-jongere")
    # axe leaves empty style attributes behind; htmx would copy them over in its settle step
    # (an inline style the CSP blocks). A fresh page, as a coach would have, has none.
    page.reload()
    wait_opened(app)

    page.fill("#verslag-notities", "Gesprek gehad over een stage bij het ziekenhuis.")
    page.click("#sectie-notities form[data-seal] button[type=submit]")
    page.wait_for_selector("#meldingen .rz-alert--ok")
    wait_opened(app)
    assert "Gesprek gehad over een stage" in (page.text_content("#sectie-notities") or "")
    assert not app.sent.contains(b"Gesprek gehad over een stage")
    app.check()

    page.check("#vraag-plan")
    app.check()
    page.fill("#doel", "Samen een plan maken voor werk")
    page.click("#vraag-toegang")
    page.wait_for_selector("text=Je vraag is verstuurd")
    app.clean("pro-jongere-gevraagd")

    notes = [e.body["tekst"] for e in youth.entries("notities")]
    assert "Gesprek gehad over een stage bij het ziekenhuis." in notes
    [request] = [r for r in youth.requests() if r["state"] == "open"]
    assert request["sections"] == ["plan"]
    assert request["purpose"] == "Samen een plan maken voor werk"
    youth.write(
        "plan",
        {
            "doel": "Stage vinden",
            "actie": "Brief schrijven",
            "wie": "ik",
            "wanneer": "2026-12-01",
            "klaar": False,
        },
    )
    youth.answer_request(request)

    page.reload()
    wait_opened(app)
    assert "Stage vinden" in (page.text_content("#sectie-plan") or "")
    app.check()


def test_other_professional_pages_pass_axe(app: AppPage, world):
    page = app.page
    dossier = world["youths"][0].unlocked().dossier_id
    app.goto(f"/pro/jongeren/{dossier}/vingerafdruk")
    page.wait_for_function("document.getElementById('vinger-mij').textContent.length > 20")
    assert world["coach"].my_fingerprint() == page.text_content("#vinger-mij")
    app.clean("pro-vingerafdruk")
    app.goto("/pro/uitnodigen")
    app.clean("pro-uitnodigen")
    page.click("#maak-uitnodiging")
    page.wait_for_selector("#gemaakt:not([hidden])")
    assert page.text_content("#mijn-sleutelcode") == world["coach"].my_fingerprint()
    text = page.input_value("#whatsapp")
    assert text.startswith("Hoi! Dit is je uitnodiging voor Rugzak")
    assert page.get_attribute("#qr", "src").startswith("data:image/svg+xml;base64,")
    app.clean("pro-uitnodiging")
    app.goto("/pro/sso")
    app.clean("pro-sso")
    app.goto("/pro/organisaties")
    app.clean("pro-organisaties")
    app.goto(f"/pro/organisaties/{world['org']}")
    assert "Jongerenloket Noord" in (page.text_content("h1") or "")
    app.clean("pro-organisatie")
