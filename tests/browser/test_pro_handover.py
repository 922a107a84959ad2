"""The warm handover in real Chromium: coach A (1280 px) finds coach B by organisation, sees
B's key code, proposes three sections with a note and steps down; the youth (390 px) sees who
proposes whom, the note and both key codes, and says yes with her own signature; coach B finds
her in Mijn jongeren, reads everything granted and the note; A reads nothing any more. The
note never leaves a browser in plain. To an organisation: A withdraws a first proposal from
"Jouw vragen" (it leaves the youth's Delen), and B's member finds her in Mijn jongeren via the
organisation. axe-core finds nothing on any of the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier import crypto
from dossier.client import RugzakClient
from tests.browser.app_pages import PASSPHRASE, log_in, open_app_page, wait_opened
from tests.browser.test_pro_invite import logged_in
from tests.e2e.conftest import connect, introduce, signed_up
from tests.e2e.test_grants import denied, read_raw

SECTIONS = ("contact", "plan", "verhaal")
A_NOTE = "Eerste gesprek: Sam wil graag in de zorg werken."
NOTE = "Sam wil werken in de zorg. Karin helpt daarbij; het plan staat klaar."
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def people(app_url: str) -> Iterator[tuple[RugzakClient, RugzakClient, RugzakClient]]:
    youth = signed_up(app_url, passphrase=PASSPHRASE)
    coach_a = signed_up(app_url, "professional", PASSPHRASE)
    coach_b = signed_up(app_url, "professional", PASSPHRASE)
    coach_b.set_profile("Karin de Boer", "Werkplein Zwolle", "jobcoach", "06 12345678")
    coach_b.create_organisation("Werkplein Zwolle", "jobcoach")
    connect(youth, coach_a)
    introduce(youth, coach_a)
    for key in SECTIONS:
        youth.write(key, {"tekst": f"Over {key}."})
    youth.share(SECTIONS, coach_a.unlocked().account_id, purpose="Traject")
    youth.write("notities", {"soort": "notitie", "tekst": "Welkom"})
    youth.share(
        ["notities"],
        coach_a.unlocked().account_id,
        permissions=("read", "append"),
        purpose="Traject",
    )
    coach_a.write(
        "notities", {"soort": "notitie", "tekst": A_NOTE}, dossier_id=youth.unlocked().dossier_id
    )
    yield youth, coach_a, coach_b
    for client in (youth, coach_a, coach_b):
        client.close()


def test_a_warm_handover_from_coach_to_coach(  # noqa: PLR0915  (one journey, in order)
    browser: Browser, app_url: str, people
) -> None:
    youth, coach_a, coach_b = people
    dossier = youth.unlocked().dossier_id

    # Coach A proposes, at 1280 px.
    pro = logged_in(browser, app_url, coach_a.unlocked().username, "/pro")
    page = pro.page
    page.set_viewport_size(WIDE)
    pro.goto(f"/pro/jongeren/{dossier}")
    page.wait_for_selector("#overdracht:not([hidden])")
    assert page.text_content("#overdracht-mijn-code") == coach_a.my_fingerprint()
    page.click("#overdracht-voorstel")  # nothing empty is sent
    assert page.text_content("#overdracht-wie-fout") == "Zoek en kies je collega."
    assert page.text_content("#overdracht-naam-fout") == "Vul de naam van je collega in."
    page.fill("#overdracht-zoek", "werkplein")
    choice = page.locator("label[for^=overdracht-collega-]")
    choice.first.wait_for()
    assert f"sleutelcode {coach_b.my_fingerprint()}" in (choice.first.text_content() or "")
    page.check("#overdracht-collega-0")
    page.fill("#overdracht-naam", "Karin de Boer")
    page.fill("#overdracht-notitie", NOTE)
    page.check("#overdracht-achtergrond")
    pro.clean("pro-overdragen")
    page.set_viewport_size({"width": 390, "height": 844})  # usable on a phone too
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    pro.shot("pro-overdragen-390")
    page.set_viewport_size(WIDE)
    page.click("#overdracht-voorstel")
    page.wait_for_url("**/pro/jongeren/*?gevraagd=1", timeout=30_000)
    assert "Overdracht" in (page.text_content("#vragen") or "")
    assert not pro.sent.contains(NOTE.encode())  # sealed in the browser
    [request] = youth.requests()
    assert (request["kind"], request["step_down"]) == ("handover", True)
    denied(read_raw(coach_b, youth, "contact"), "no-grant")  # nothing before her yes

    # The youth answers, at 390 px.
    kid = open_app_page(browser, app_url)
    log_in(kid, youth.unlocked().username)
    kid.goto("/delen")
    card = kid.page.locator(f"[data-request*='{request['id']}']")
    card.locator("[data-note-text]").filter(has_text=NOTE).wait_for()
    text = card.text_content() or ""
    assert "stelt een nieuwe begeleider voor" in text
    assert "Karin de Boer (Werkplein Zwolle)" in text
    card.locator("summary").click()
    assert card.locator("[data-code-next]").text_content() == coach_b.my_fingerprint()
    assert card.locator("[data-code-from]").text_content() == coach_a.my_fingerprint()
    kid.clean("delen-overdracht")
    card.locator("[data-answer-with=yes]").click()
    assert card.locator("[data-answer-error]").text_content() == (
        "Vul in hoe je nieuwe begeleider je mag noemen."
    )
    card.locator("[data-handover-name]").fill("Sam")
    card.locator("[data-answer-with=yes]").click()
    kid.page.wait_for_url("**/delen?melding=overgedragen", timeout=60_000)
    kid.clean()

    # Coach A stepped down: reads nothing; every section got a new key.
    for key in (*SECTIONS, "notities"):
        denied(read_raw(coach_a, youth, key), "revoked")
        assert youth.section(key).key_version == 2

    # Coach B finds her in Mijn jongeren, reads everything and the note.
    nxt = logged_in(browser, app_url, coach_b.unlocked().username, "/pro")
    nxt.page.set_viewport_size(WIDE)
    nxt.page.wait_for_selector("#jongeren[data-ready]")
    nxt.page.wait_for_function("() => !document.querySelector('[data-card-missing]')")
    assert "Sam" in (nxt.page.text_content("#jongeren") or "")
    nxt.goto(f"/pro/jongeren/{dossier}")
    nxt.page.locator("[data-note-text]").filter(has_text=NOTE).wait_for()
    assert nxt.page.text_content("[data-note-from]") == "Fatima Demir"
    wait_opened(nxt)
    assert all(nxt.page.is_visible(f"#sectie-{key}") for key in SECTIONS)
    assert "Over verhaal." in (nxt.page.text_content("#sectie-verhaal") or "")
    # A's note is named by A's card from the signed handover note, not by a number.
    author = nxt.page.locator("#sectie-notities [data-author]")
    assert author.all_text_contents() == ["Fatima Demir"]
    assert A_NOTE in (nxt.page.text_content("#sectie-notities") or "")
    nxt.clean("pro-overgedragen")

    # The youth now sees B's name, not a number.
    kid.goto("/delen")
    kid.page.wait_for_function(
        "() => [...document.querySelectorAll('[data-name]')]"
        ".some(e => e.textContent === 'Karin de Boer')"
    )
    kid.clean("delen-na-overdracht")
    kid.goto("/wie-keek")  # every step is in her access log
    kid.page.wait_for_selector("#log-lijst li")
    log = kid.page.text_content("#log-lijst") or ""
    for line in (
        "stelde een nieuwe begeleider voor",
        "verbond met een begeleider",
        "op de achtergrond",
    ):
        assert line in log, log
    for app in (pro, kid, nxt):
        app.page.context.close()


def test_a_note_naming_another_key_hides_the_yes(browser: Browser, app_url: str, people) -> None:
    """The proposer's signed note names the key code the proposer compared; if the key the
    server now shows for the next coach is another (a swapped key), the youth's browser
    refuses: no yes buttons, only no."""
    youth, coach_a, coach_b = people
    dossier = youth.unlocked().dossier_id
    me = coach_a.unlocked()
    fields = {
        "kind": "handover-note",
        "dossier": dossier,
        "from": me.account_id,
        "to": coach_b.unlocked().account_id,
        "to_key": coach_a.my_fingerprint(),  # not the key the server gives for B
        "name": "Karin de Boer",
        "org": "Werkplein Zwolle",
        "text": NOTE,
        "from_card": {},
        "at": crypto.format_time(dt.datetime.now(dt.UTC)),
    }
    note = crypto.canonical(crypto.sign_statement(me.identity, fields))
    youth_box = youth.unlocked().identity.public.box_pk
    coach_a.api.call(
        "POST",
        f"/api/v1/dossiers/{dossier}/requests",
        json={
            "kind": "handover",
            "sections": ["contact"],
            "purpose": "Werk",
            "grantee_id": coach_b.unlocked().account_id,
            "grantee_key": coach_b.my_fingerprint(),
            "note_owner": crypto.b64e(crypto.seal_to(youth_box, note)),
            "note_grantee": crypto.b64e(crypto.seal_to(youth_box, note)),
        },
    )
    [request] = youth.requests()
    kid = open_app_page(browser, app_url)
    log_in(kid, youth.unlocked().username)
    kid.goto("/delen")
    card = kid.page.locator(f"[data-request*='{request['id']}']")
    card.locator("[data-note-text]").filter(has_text="niet veilig").wait_for()
    assert card.locator("[data-answer-with=yes], [data-answer-with=partly]").count() == 0
    card.locator("[data-answer-with=no]").click()
    kid.page.wait_for_url("**/delen?melding=beantwoord", timeout=30_000)
    assert youth.requests()[0]["state"] == "declined"
    assert coach_b.connections() == []
    kid.clean()
    kid.page.context.close()


def test_a_handover_to_an_organisation(  # noqa: PLR0915  (one journey, in order)
    browser: Browser, app_url: str, people
) -> None:
    """Coach A picks the organisation as a whole (its own key code); the youth is asked no
    name (an organisation gets no card) and says yes; B's member finds her page through the
    organisation's grant and opens the note with the organisation key."""
    youth, coach_a, coach_b = people
    dossier = youth.unlocked().dossier_id
    [org_id] = [o["id"] for o in coach_b.organisations()]
    identity = crypto.PublicIdentity.from_json(coach_b.organisation(org_id)["identity"])
    org_code = crypto.format_fingerprint(identity.fingerprint())

    pro = logged_in(browser, app_url, coach_a.unlocked().username, "/pro")
    page = pro.page
    page.set_viewport_size(WIDE)
    pro.goto(f"/pro/jongeren/{dossier}")

    def propose_to_the_whole_organisation() -> None:
        page.wait_for_selector("#overdracht:not([hidden])")
        page.fill("#overdracht-zoek", "werkplein")
        # Every test here made a "Werkplein Zwolle": this one is told apart by its key code.
        whole = page.locator("label[for^=overdracht-collega-]", has_text=f"sleutelcode {org_code}")
        whole.wait_for()
        assert "de hele organisatie" in (whole.text_content() or "")
        whole.click()
        page.fill("#overdracht-naam", "het team")
        page.fill("#overdracht-notitie", NOTE)
        page.click("#overdracht-voorstel")
        page.wait_for_url("**/pro/jongeren/*?gevraagd=1", timeout=30_000)

    # A proposes, sees to whom it went in "Jouw vragen", and withdraws it before she answers.
    propose_to_the_whole_organisation()
    [first] = youth.requests()
    mine = page.locator(f"#vragen [data-request-id='{first['id']}']")
    assert "Overdracht aan Werkplein Zwolle" in (mine.text_content() or "")
    pro.clean("pro-jouw-vragen")
    mine.locator("[data-retract]").click()
    page.wait_for_selector("#vragen-status:has-text('Ingetrokken')")
    assert mine.locator("[data-request-state]").text_content() == "ingetrokken door jou"
    assert youth.requests()[0]["state"] == "retracted"
    pro.goto(f"/pro/jongeren/{dossier}")
    propose_to_the_whole_organisation()
    request = next(r for r in youth.requests() if r["state"] == "open")
    assert (request["grantee_kind"], request["grantee_id"]) == ("organisation", org_id)
    denied(read_raw(coach_b, youth, "contact"), "no-grant")  # nothing before her yes

    kid = open_app_page(browser, app_url)
    log_in(kid, youth.unlocked().username)
    kid.goto("/delen")
    card = kid.page.locator(f"[data-request*='{request['id']}']")
    card.locator("[data-note-text]").filter(has_text=NOTE).wait_for()
    assert first["id"] not in kid.page.content()  # the withdrawn proposal is gone
    assert "de medewerkers van" in (card.text_content() or "")
    assert card.locator("[data-handover-name]").count() == 0
    card.locator("summary").click()
    assert card.locator("[data-code-next]").text_content() == org_code
    kid.clean("delen-overdracht-organisatie")
    card.locator("[data-answer-with=yes]").click()
    kid.page.wait_for_url("**/delen?melding=overgedragen", timeout=60_000)
    kid.goto("/wie-keek")  # the withdrawal is in her access log, in words
    kid.page.wait_for_selector("#log-lijst li")
    assert "trok een vraag of voorstel in" in (kid.page.text_content("#log-lijst") or "")

    nxt = logged_in(browser, app_url, coach_b.unlocked().username, "/pro")
    nxt.page.set_viewport_size(WIDE)
    # A member finds her in Mijn jongeren, via the organisation (she sealed no card to B).
    nxt.page.wait_for_selector("#jongeren[data-ready]")
    row = nxt.page.locator(f"#jongeren tr[data-dossier='{dossier}']")
    assert "via Werkplein Zwolle" in (row.text_content() or "")
    assert row.locator("[data-name]").text_content() == "Naam niet gedeeld"
    nxt.clean("pro-mijn-jongeren-via-organisatie")
    nxt.page.set_viewport_size({"width": 390, "height": 844})
    assert nxt.page.evaluate("document.documentElement.scrollWidth") <= 390
    nxt.shot("pro-mijn-jongeren-via-organisatie-390")
    nxt.page.set_viewport_size(WIDE)
    row.locator("a").click()
    nxt.page.locator("[data-note-text]").filter(has_text=NOTE).wait_for()
    assert nxt.page.text_content("h1 [data-name]") == "Naam niet gedeeld"
    wait_opened(nxt)
    assert "Over verhaal." in (nxt.page.text_content("#sectie-verhaal") or "")
    nxt.clean("pro-overgedragen-organisatie")
    for app in (pro, kid, nxt):
        app.page.context.close()
