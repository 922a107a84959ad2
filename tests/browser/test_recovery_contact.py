"""A full recovery through a contact in Chromium (docs/recovery.md): the youth chooses her coach
on "Herstelcontact"; a new device asks for help on "Ik kom er niet meer in"; her pages show
the warning; the coach makes the code on "Iemand vraagt je hulp", compares it and approves;
after the waiting period on the server's clock the device sets a new passphrase and shows a
new recovery code."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from tests.browser.app_pages import PASSPHRASE, AppPage, log_in, new_username, open_app_page
from tests.conftest import make_settings
from tests.e2e.conftest import ADULT, connect
from tests.support.clock import MovableClock
from tests.support.server import live_server

NEW_PASSPHRASE = "blauwe-boot-op-het-meer-9"


@pytest.fixture
def clocked_url(sqlite_backend, tmp_path) -> Iterator[tuple[str, MovableClock]]:
    clock = MovableClock()
    settings = make_settings(sqlite_backend.fresh_url(), tmp_path)
    with live_server(settings, clock=clock) as url:
        yield url, clock


def _page(browser: Browser, url: str) -> AppPage:
    return open_app_page(browser, url)


def test_full_recovery_in_the_browser(  # noqa: PLR0915
    browser: Browser, clocked_url
) -> None:
    """With two contacts the youth ticks both; the first approves in its browser. One contact
    is the same pages with one box fewer: that journey runs once, with two, in Chromium
    (about 20 s each); tests/e2e/test_recovery_journey.py runs one and two contacts over
    the API."""
    url, clock = clocked_url
    username, coach_name = new_username(), new_username() + "c"
    with RugzakClient(url) as youth_client, RugzakClient(url) as coach_client:
        youth_client.sign_up(username, PASSPHRASE, birth_date=ADULT)
        coach_client.sign_up(coach_name, PASSPHRASE, birth_date=None, kind="professional")
        coach_client.set_profile("Fatima Demir", "Jongerenloket Noord", "jobcoach", "06 98765432")
        connect(youth_client, coach_client)
        coach_fp = coach_client.my_fingerprint()
        with RugzakClient(url) as aunt:
            aunt.sign_up(coach_name + "t", PASSPHRASE, birth_date=None, kind="professional")
            aunt.set_profile("Tante Ria", "Familie", "tante", "06 12345678")
            connect(youth_client, aunt)

    youth = _page(browser, url)
    device = _page(browser, url)
    coach = _page(browser, url)
    try:
        # The youth chooses her coach and compares the code.
        log_in(youth, username)
        youth.goto("/herstelcontact")
        label = youth.page.locator("#keuzes label")
        label.first.wait_for(timeout=15_000)
        assert coach_fp in (label.first.text_content() or "")
        assert "Fatima" in (label.first.text_content() or "")  # from her sealed card
        youth.page.locator("#keuzes input[type=checkbox]").nth(1).wait_for()
        for box in youth.page.locator("#keuzes input[type=checkbox]").all():
            box.check()
        youth.page.click("#kiesformulier button[type=submit]")
        youth.page.wait_for_selector("#huidige-contacten", timeout=15_000)
        youth.clean("herstelcontact")

        # A new device asks for help.
        device.goto("/inloggen")
        device.page.click("text=Ik kom er niet meer in")
        device.page.wait_for_url("**/herstellen/contact")
        device.page.fill("#gebruikersnaam", username)
        device.page.click("#startformulier button[type=submit]")
        device.page.wait_for_selector("#stap-code:not([hidden])", timeout=15_000)

        # Her pages warn her; "Dit ben ik niet" is there.
        youth.goto("/rugzak")
        assert youth.page.is_visible("#herstel-melding")
        youth.goto("/herstelcontact")
        assert youth.page.is_visible("[data-veto]")

        # The coach makes the code, compares it with the device and approves.
        coach.goto("/inloggen")
        coach.page.fill("#gebruikersnaam", coach_name)
        coach.page.fill("#wachtwoordzin", PASSPHRASE)
        coach.page.click("#inloggen")
        coach.page.wait_for_url("**/pro**", timeout=30_000)
        coach.page.set_viewport_size({"width": 1280, "height": 900})  # a coach's desk
        coach.goto("/pro/herstel")
        coach.page.wait_for_selector("text=Sam vraagt je hulp", timeout=15_000)  # her card
        coach.page.click("#verzoeken button:has-text('Maak de code')", timeout=15_000)
        code_el = coach.page.locator("#verzoeken .rz-code")
        coach.page.wait_for_function(
            "() => /\\d{3} \\d{3}/.test(document.querySelector('#verzoeken .rz-code').textContent)"
        )
        code = code_el.text_content() or ""
        device.page.click("#verder")
        device.page.wait_for_function(
            "(code) => document.getElementById('korte-code').textContent === code", arg=code
        )
        device.shot("herstellen-contact-code")
        coach.page.fill("#verzoeken input", code)
        coach.page.click("#verzoeken button:has-text('Goedkeuren')")
        coach.page.wait_for_selector("text=Goedgekeurd", timeout=15_000)
        coach.clean("herstel-goedgekeurd")

        # Not before the wait is over (the server's clock); then a new passphrase.
        device.page.click("#verder")
        device.page.wait_for_selector("text=Goedgekeurd. Je kunt verder vanaf", timeout=15_000)
        assert device.page.is_hidden("#stap-nieuw")
        clock.advance(hours=72, minutes=1)
        device.page.click("#verder")
        device.page.wait_for_selector("#stap-nieuw:not([hidden])", timeout=15_000)
        device.page.fill("#wachtwoordzin", NEW_PASSPHRASE)
        device.page.fill("#wachtwoordzin2", NEW_PASSPHRASE)
        device.page.click("#nieuwformulier button[type=submit]")
        device.page.wait_for_selector("#stap-klaar:not([hidden])", timeout=60_000)
        new_code = device.page.text_content("#nieuwe-code") or ""
        assert len(new_code.replace("-", "")) == 26
        device.clean("herstellen-contact-klaar")
        for sent in device.sent.bodies:
            assert NEW_PASSPHRASE.encode() not in sent
            assert new_code.encode() not in sent
    finally:
        for app in (youth, device, coach):
            app.page.context.close()

    with RugzakClient(url) as again:
        again.login(username, NEW_PASSPHRASE)
        assert again.check_recovery_code(new_code)
        assert len(again.recovery_status()["contacts"]) == 2


def test_veto_and_the_yearly_code_check_in_the_browser(browser: Browser, clocked_url) -> None:
    """ "Dit ben ik niet" stops a request; the yearly check opens the recovery copy with the
    typed code on the device (a wrong code is told at the field); a new code replaces it."""
    url, _ = clocked_url
    username, coach_name = new_username(), new_username() + "c"
    with RugzakClient(url) as youth_client, RugzakClient(url) as coach_client:
        code = youth_client.sign_up(username, PASSPHRASE, birth_date=ADULT)
        coach_client.sign_up(coach_name, PASSPHRASE, birth_date=None, kind="professional")
        coach_client.set_profile("Fatima Demir", "Jongerenloket Noord", "jobcoach", "06 98765432")
        connect(youth_client, coach_client)
        youth_client.set_up_recovery([coach_client.unlocked().account_id])
    with RugzakClient(url) as device:
        attempt = device.start_contact_recovery(username)
        youth = _page(browser, url)
        try:
            log_in(youth, username)
            youth.goto("/herstelcontact")
            youth.page.click("[data-veto]")
            youth.page.wait_for_selector("[data-veto]", state="detached", timeout=15_000)
            youth.page.wait_for_selector("#codeformulier")
            assert device.recovery_progress(attempt)["state"] == "vetoed"

            youth.page.fill("#herstelcode", "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA")
            youth.page.click("#codeformulier button[type=submit]")
            youth.page.wait_for_selector("#fout-code:not([hidden])")
            youth.page.fill("#herstelcode", code)
            youth.page.click("#codeformulier button[type=submit]")
            youth.page.wait_for_selector("text=Goed zo: je herstelcode werkt nog.")
            youth.page.fill("#wachtwoordzin", PASSPHRASE)
            youth.page.click("#nieuwecodeformulier button[type=submit]")
            youth.page.wait_for_selector("#nieuwe-code:not([hidden])", timeout=30_000)
            new_code = youth.page.text_content("#nieuwe-code") or ""
            youth.clean("herstelcode-nieuw")
            for sent in youth.sent.bodies:
                assert code.encode() not in sent
                assert code.replace("-", "").encode() not in sent
        finally:
            youth.page.context.close()
    with RugzakClient(url) as again:
        again.login(username, PASSPHRASE)
        assert not again.check_recovery_code(code)
        assert again.check_recovery_code(new_code)


def _ask_help(device: AppPage, username: str) -> None:
    device.page.fill("#gebruikersnaam", username)
    device.page.click("#startformulier button[type=submit]")
    device.page.wait_for_selector("#stap-code:not([hidden])", timeout=15_000)


def _nothing_kept(device: AppPage) -> bool:
    """The device's IndexedDB record of its request is gone."""
    return bool(
        device.page.evaluate(
            """() => new Promise((resolve) => {
              const req = indexedDB.open("rugzak-recovery", 1);
              req.onsuccess = () => {
                const store = req.result.transaction("request").objectStore("request");
                const get = store.get("current");
                get.onsuccess = () => resolve(get.result === undefined);
              };
            })"""
        )
    )


def _wait_for_code(device_page, code: str) -> None:
    device_page.click("#verder")
    device_page.wait_for_function(
        "(code) => document.getElementById('korte-code').textContent === code", arg=code
    )


def test_the_device_keeps_its_request_across_reloads_and_days(
    browser: Browser, clocked_url
) -> None:
    """The youth closes the tab during the wait: a reload and a new tab in the same browser
    show "Je verzoek loopt nog" and continue; "Opnieuw beginnen" ends the old request so a
    new one can start; after the wait (server clock) she finishes and the request is gone."""
    url, clock = clocked_url
    username, coach_name = new_username(), new_username() + "c"
    with RugzakClient(url) as youth_client, RugzakClient(url) as coach:
        youth_client.sign_up(username, PASSPHRASE, birth_date=ADULT)
        coach.sign_up(coach_name, PASSPHRASE, birth_date=None, kind="professional")
        coach.set_profile("Fatima Demir", "Jongerenloket Noord", "jobcoach", "06 98765432")
        connect(youth_client, coach)
        youth_client.set_up_recovery([coach.unlocked().account_id])

        device = _page(browser, url)
        try:
            device.goto("/herstellen/contact")
            _ask_help(device, username)
            (first,) = coach.recovery_asked()
            # "Opnieuw beginnen" ends it at the server; a new request can start at once.
            device.page.click("#opnieuw")
            device.page.wait_for_selector("#stap-naam:not([hidden])", timeout=15_000)
            assert coach.recovery_asked() == []
            _ask_help(device, username)
            (asked,) = coach.recovery_asked()
            assert asked["id"] != first["id"]

            # A reload: the same request, the hours left.
            device.page.reload()
            device.page.wait_for_selector("#stap-code:not([hidden])", timeout=15_000)
            device.page.wait_for_selector("text=Je verzoek loopt nog — nog 72 uur.")
            code = coach.recovery_challenge(asked["id"])
            _wait_for_code(device.page, code)
            device.clean("herstellen-contact-loopt-nog")

            # The tab closed, two days later a new tab in the same browser.
            later = device.page.context.new_page()
            device.page.close()
            device.page = later
            clock.advance(hours=48)
            device.goto("/herstellen/contact")
            device.page.wait_for_selector("text=Je verzoek loopt nog — nog 24 uur.", timeout=15_000)
            _wait_for_code(device.page, code)
            coach.approve_recovery(asked["id"], code)

            clock.advance(hours=24, minutes=1)
            device.page.reload()
            device.page.wait_for_selector("#stap-nieuw:not([hidden])", timeout=15_000)
            device.page.fill("#wachtwoordzin", NEW_PASSPHRASE)
            device.page.fill("#wachtwoordzin2", NEW_PASSPHRASE)
            device.page.click("#nieuwformulier button[type=submit]")
            device.page.wait_for_selector("#stap-klaar:not([hidden])", timeout=60_000)

            # Done: nothing kept; the page starts from the beginning again.
            device.goto("/herstellen/contact")
            device.page.wait_for_selector("#stap-naam:not([hidden])")
            assert _nothing_kept(device)
            device.check()
        finally:
            device.page.context.close()
    with RugzakClient(url) as again:
        again.login(username, NEW_PASSPHRASE)


def _trusted_person_signs_up_and_invites(helper: AppPage, name: str) -> str:
    """/aanmelden/vertrouwd (no birth date, no rugzak), the recovery code, the profile card,
    then an invite "Als vertrouwd persoon". Returns the invite's path."""
    page = helper.page
    helper.goto("/aanmelden/vertrouwd")
    assert page.is_hidden("#geboortedatum")
    helper.clean("aanmelden-vertrouwd")
    page.fill("#gebruikersnaam", name)
    page.fill("#wachtwoordzin", PASSPHRASE)
    page.fill("#wachtwoordzin2", PASSPHRASE)
    page.click("#maak")
    page.wait_for_selector("#stap-herstelcode:not([hidden])", timeout=60_000)
    groups = (page.text_content("#herstelcode") or "").split("-")
    page.click("#bewaard")
    asked = int((page.text_content("#controle-vraag") or "").split()[2])
    page.fill("#controlecode", groups[asked - 1])
    page.click("#verder")
    page.wait_for_url("**/pro/profiel?verder=/pro/uitnodigen", timeout=15_000)
    page.wait_for_selector("#profiel:not([hidden])")
    card = {"name": "Tante Ria", "organisation": "Familie", "role": "tante", "phone": "0612345678"}
    for field, value in card.items():
        page.fill(f"#profiel-{field}", value)
    page.click("#bewaar-profiel")
    page.wait_for_url("**/pro/uitnodigen", timeout=15_000)
    page.check("#vertrouwd")
    page.click("#maak-uitnodiging")
    page.wait_for_selector("#gemaakt:not([hidden])", timeout=15_000)
    helper.clean("uitnodiging-vertrouwd-persoon")
    [path] = re.findall(r"/uitnodiging/[A-Za-z0-9_-]+", page.input_value("#whatsapp"))
    return path


def test_a_trusted_person_is_offered_as_recovery_contact(browser: Browser, clocked_url) -> None:
    """A trusted person makes an account and a "vertrouwd persoon" invite in the browser; the
    youth's invite page says what it means, accepting leads to Herstelcontact, which offers
    that person with the key code; the setup is stored with them as the contact."""
    url, _ = clocked_url
    username, trusted_name = new_username(), new_username() + "t"
    with RugzakClient(url) as youth_client:
        youth_client.sign_up(username, PASSPHRASE, birth_date=ADULT)
        helper, youth = _page(browser, url), _page(browser, url)
        try:
            path = _trusted_person_signs_up_and_invites(helper, trusted_name)
            log_in(youth, username)
            youth.goto(path)
            youth.page.wait_for_selector("#vertrouwd")
            assert youth.page.is_visible("text=kan niets in je rugzak lezen")
            youth.page.fill("#naam", "Sam")
            youth.page.click("#verbind")
            youth.page.wait_for_url("**/herstelcontact", timeout=15_000)
            label = youth.page.locator("#keuzes label")
            label.first.wait_for(timeout=15_000)
            text = label.first.text_content() or ""
            youth.page.locator("#keuzes input[type=checkbox]").first.check()
            youth.page.click("#kiesformulier button[type=submit]")
            youth.page.wait_for_selector("#huidige-contacten", timeout=15_000)
            youth.clean("herstelcontact-vertrouwd")
            helper_id = youth_client.recovery_status()["contacts"][0]["account"]
            # Not on Delen; ended here: the share is revoked and the setup must be renewed.
            youth.page.click("[data-verbreken]", timeout=15_000)
            youth.page.wait_for_selector("text=weggehaald", timeout=15_000)
        finally:
            for app in (helper, youth):
                app.page.context.close()
        (contact,) = youth_client.recovery_status()["contacts"]
        assert contact["revoked"]
        assert youth_client.connections() == []
    assert "Vertrouwd persoon" in text
    with RugzakClient(url) as trusted:
        trusted.login(trusted_name, PASSPHRASE)
        assert trusted.my_fingerprint() in text
        (connection,) = trusted.connections(include_ended=True)
        assert connection.purpose == "recovery"
        assert not connection.active
        assert contact["account"] == trusted.unlocked().account_id == helper_id
