"""Section manifests in the browser (issue 19, item 3): the youth's tab signs a manifest when it
opens her notes; after the server withholds a note the page says "Er ontbreekt iets in wat de
server laat zien", and a note it slips in dated well before the newest manifest is refused."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier import crypto
from tests.browser.app_pages import AppPage, log_in, open_app_page
from tests.e2e.conftest import PASSPHRASE, introduce, signed_up
from tests.support.notes import sealed_note
from tests.support.sql import plant_entry, sql

WITHHELD = "Er ontbreekt iets in wat de server laat zien."


@pytest.fixture(scope="module")
def people(planting_app_url: str) -> Iterator[dict[str, object]]:
    youth, coach = signed_up(planting_app_url), signed_up(planting_app_url, "professional")
    introduce(youth, coach)
    youth.share(
        ["notities"], coach.unlocked().account_id, permissions=("read", "append"), purpose="Hulp"
    )
    dossier = str(youth.unlocked().dossier_id)
    notes = [youth.write("notities", {"tekst": t}) for t in ("Eerste.", "Tweede.")]
    coach.write("notities", {"tekst": "Van de coach."}, dossier_id=dossier)
    yield {"youth": youth, "coach": coach, "dossier": dossier, "notes": notes}
    youth.close()
    coach.close()


@pytest.fixture(scope="module")
def app(browser: Browser, planting_app_url: str, people: dict) -> Iterator[AppPage]:
    app = open_app_page(browser, planting_app_url)
    log_in(app, people["youth"].unlocked().username, PASSPHRASE)
    yield app
    app.page.context.close()


def opened(app: AppPage) -> dict[str, str | None]:
    app.goto("/rugzak/notities")
    app.page.wait_for_function(
        "() => [...document.querySelectorAll('[data-ciphertext]')].every("
        "(e) => e.hasAttribute('data-crypto'))"
    )
    return {
        e.get_attribute("data-entry") or "": e.get_attribute("data-crypto")
        for e in app.page.locator("[data-ciphertext]").all()
    }


def manifest(people: dict) -> dict:
    path = f"/api/v1/dossiers/{people['dossier']}/sections/notities/entries"
    return people["youth"].api.call("GET", path)["manifest"]


def test_the_youths_tab_signs_withheld_is_reported_and_a_backdated_note_refused(
    app: AppPage,
    people: dict,
    planting_db_url: str,
) -> None:
    assert set(opened(app).values()) == {"open"}
    app.page.wait_for_function(
        "() => document.querySelector('#sectie-inhoud').getAttribute('data-manifest')"
    )
    signed = manifest(people)
    youth = people["youth"]
    listed = crypto.verify_manifest(
        signed,
        youth.unlocked().identity.public.sign_pk,
        dossier=people["dossier"],
        section="notities",
    )
    assert listed.seq == 1
    assert len(listed.entries) == 3
    assert WITHHELD not in (app.page.text_content("main") or "")

    # The server drops the youth's first note.
    sql(
        planting_db_url,
        "DELETE FROM entry WHERE entry_id = :e",
        {"e": uuid.UUID(people["notes"][0]).bytes},
    )
    opened(app)
    app.page.wait_for_selector("[data-withheld]")
    assert WITHHELD in (app.page.text_content("main") or "")
    app.shot("notities-er-ontbreekt-iets")

    # The coach signs a note; the server keeps it back past the youth's next manifest (11
    # minutes later) and then shows it as if it had always been there.
    coach = people["coach"]
    view = coach.section("notities", people["dossier"])
    late = sealed_note(coach, view, "Achteraf ingevoegd.")
    shown = youth.api.call(
        "GET", f"/api/v1/dossiers/{people['dossier']}/sections/notities/entries"
    )["entries"]
    later = crypto.sign_manifest(
        youth.unlocked().identity,
        dossier=people["dossier"],
        section="notities",
        seq=2,
        at=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11),
        entries=[crypto.SealedEntry.from_json(i["entry"]) for i in shown],
    )
    youth.api.call(
        "PUT", f"/api/v1/dossiers/{people['dossier']}/sections/notities/manifest", json=later
    )
    plant_entry(planting_db_url, late, coach.unlocked().account_id, like=people["notes"][1])
    state = opened(app)
    assert state[late.entry] == "failed"
    assert "Achteraf ingevoegd." not in (app.page.text_content("main") or "")


def test_a_withheld_grant_end_is_still_known_from_the_manifest(
    browser: Browser,
    planting_app_url: str,
    planting_db_url: str,
) -> None:
    """The server drops a revoked coach's grant end and shows a note that coach signed
    afterwards: the page refuses it, because the youth's manifest lists the end."""
    youth, coach = signed_up(planting_app_url), signed_up(planting_app_url, "professional")
    introduce(youth, coach)
    dossier = str(youth.unlocked().dossier_id)
    [grant] = youth.share(
        ["notities"], coach.unlocked().account_id, permissions=("append",), purpose="Verslag"
    )
    in_time = coach.write("notities", {"tekst": "Op tijd."}, dossier_id=dossier)
    view = coach.section("notities", dossier)
    youth.revoke([grant])
    youth.entries("notities")  # her client lists the end in the manifest
    app = open_app_page(browser, planting_app_url)
    # Logged in first: an unlock would sign the missing end again (GrantsClient.sign_ends).
    log_in(app, youth.unlocked().username, PASSPHRASE)
    sql(
        planting_db_url,
        "UPDATE consent_grant SET end_statement = NULL WHERE id = :g",
        {"g": uuid.UUID(grant).bytes},
    )
    late = sealed_note(
        coach, view, "Na het intrekken.", at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
    )
    plant_entry(planting_db_url, late, coach.unlocked().account_id, like=in_time)
    state = opened(app)
    assert (state[in_time], state[late.entry]) == ("open", "failed")
    app.page.context.close()
    youth.close()
    coach.close()


def test_the_plan_page_countersigns_and_reports_too(
    browser: Browser,
    planting_app_url: str,
    planting_db_url: str,
) -> None:
    """Another page that shows a whole section (data-manifest-complete): the plan."""
    youth = signed_up(planting_app_url)
    due = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).date().isoformat()
    items = [
        youth.write(
            "plan", {"doel": "Werk", "actie": a, "wie": "ik", "wanneer": due, "klaar": False}
        )
        for a in ("UWV bellen", "Cv maken")
    ]
    app = open_app_page(browser, planting_app_url)
    log_in(app, youth.unlocked().username, PASSPHRASE)
    app.goto("/rugzak/plan")
    app.page.wait_for_function(
        "() => document.querySelector('#sectie-inhoud').getAttribute('data-manifest')"
    )
    path = f"/api/v1/dossiers/{youth.unlocked().dossier_id}/sections/plan/entries"
    statement = youth.api.call("GET", path)["manifest"]
    assert set(statement["entries"]) == set(items)
    sql(planting_db_url, "DELETE FROM entry WHERE entry_id = :e", {"e": uuid.UUID(items[0]).bytes})
    app.goto("/rugzak/plan")
    app.page.wait_for_selector("[data-withheld]")
    app.page.context.close()
    youth.close()
