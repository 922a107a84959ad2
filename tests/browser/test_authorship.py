"""Authorship of versions in the browser reader (issue 19): a later version opens only beside its
first version by the same author (`data-first`). Versions planted in the database past the
server's check, by another author than the first, are flagged as not safely opened; the
author's own later version opens."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier import crypto
from dossier.client import RugzakClient
from tests.browser.app_pages import AppPage, log_in, open_app_page
from tests.e2e.conftest import PASSPHRASE, introduce, signed_up
from tests.support.notes import sealed_note
from tests.support.sql import plant_entry, sql

FLAGGED = "Deze versie is niet gemaakt door wie dit stuk schreef. We laten haar daarom niet zien."


def seal_version(client: RugzakClient, dossier: str, entry: str, text: str) -> crypto.SealedEntry:
    return sealed_note(client, client.section("notities", dossier), text, entry=entry, version=2)


def plant(url: str, sealed: crypto.SealedEntry, author_id: str) -> None:
    """Store version 2 beside version 1, past the server's own check (SQLite ids are bytes)."""
    sql(
        url,
        "INSERT INTO entry (id, dossier_id, section_id, entry_id, version, author_id,"
        " key_version, payload, size, created_at) SELECT :id, dossier_id, section_id, entry_id,"
        " 2, :a, key_version, :p, size, created_at FROM entry WHERE entry_id = :e AND version = 1",
        {
            "id": uuid.uuid4().bytes,
            "a": uuid.UUID(author_id).bytes,
            "p": json.dumps(sealed.to_json()),
            "e": uuid.UUID(sealed.entry).bytes,
        },
    )


@pytest.fixture(scope="module")
def notes(planting_app_url: str, planting_db_url: str) -> Iterator[dict[str, str]]:
    youth, coach = signed_up(planting_app_url), signed_up(planting_app_url, "professional")
    introduce(youth, coach)
    dossier = str(youth.unlocked().dossier_id)
    youth.share(
        ["notities"], coach.unlocked().account_id, permissions=("read", "append"), purpose="Hulp"
    )
    edited = youth.write("notities", {"tekst": "Eerste versie."})
    youth.write("notities", {"tekst": "Mijn aangepaste notitie."}, entry_id=edited)
    overwritten = youth.write("notities", {"tekst": "Mijn eigen notitie."})
    plant(
        planting_db_url,
        seal_version(coach, dossier, overwritten, "Van de coach."),
        coach.unlocked().account_id,
    )
    coachs = coach.write("notities", {"tekst": "Notitie van de coach."}, dossier_id=dossier)
    plant(
        planting_db_url,
        seal_version(youth, dossier, coachs, "Door Sam veranderd."),
        youth.unlocked().account_id,
    )
    revoked, late = revoked_appender(planting_app_url, planting_db_url, youth)
    yield {
        "username": youth.unlocked().username,
        "edited": edited,
        "overwritten": overwritten,
        "coachs": coachs,
        "revoked": revoked,
        "late": late,
    }
    youth.close()
    coach.close()


def revoked_appender(
    planting_app_url: str, planting_db_url: str, youth: RugzakClient
) -> tuple[str, str]:
    """A second coach adds a note under an append grant; the youth revokes it (her client
    signs the end); then the server stores a note that coach signs afterwards. Returns the
    note written in time and the late one."""
    other = signed_up(planting_app_url, "professional")
    introduce(youth, other)
    dossier = str(youth.unlocked().dossier_id)
    [grant] = youth.share(
        ["notities"], other.unlocked().account_id, permissions=("append",), purpose="Verslag"
    )
    in_time = other.write("notities", {"tekst": "Op tijd geschreven."}, dossier_id=dossier)
    view = other.section("notities", dossier)  # the section key it still knows after the revoke
    youth.revoke([grant])
    late = sealed_note(
        other, view, "Na het intrekken.", at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
    )
    plant_entry(planting_db_url, late, other.unlocked().account_id, like=in_time)
    other.close()
    return in_time, late.entry


@pytest.fixture(scope="module")
def app(browser: Browser, planting_app_url: str, notes: dict[str, str]) -> Iterator[AppPage]:
    app = open_app_page(browser, planting_app_url)
    log_in(app, notes["username"], PASSPHRASE)
    yield app
    app.page.context.close()


def test_the_browser_flags_a_version_by_another_author_than_the_first(
    app: AppPage, notes: dict[str, str]
) -> None:
    app.goto("/rugzak/notities")
    app.page.wait_for_function(
        "() => [...document.querySelectorAll('[data-ciphertext]')].every("
        "(e) => e.hasAttribute('data-crypto'))"
    )

    def shown(entry: str) -> tuple[str | None, str]:
        elt = app.page.locator(f"[data-ciphertext][data-entry='{entry}']")
        return elt.get_attribute("data-crypto"), " ".join((elt.text_content() or "").split())

    assert shown(notes["edited"])[0] == "open"
    assert "Mijn aangepaste notitie." in shown(notes["edited"])[1]
    assert app.page.locator(f"[data-entry='{notes['edited']}']").first.get_attribute("data-first")
    for planted in ("overwritten", "coachs"):
        assert shown(notes[planted]) == ("failed", FLAGGED)
    app.shot("notities-versie-andere-schrijver")
    body = app.page.text_content("main") or ""
    assert "Van de coach." not in body
    assert "Door Sam veranderd." not in body


def test_the_browser_refuses_a_note_signed_after_the_grant_ended(
    app: AppPage, notes: dict[str, str]
) -> None:
    """The owner-signed grant end travels in data-receipts; the page opens the note written
    in time and refuses the one the revoked coach signed later (docs/crypto.md, "Grant ends")."""
    app.goto("/rugzak/notities")
    app.page.wait_for_function(
        "() => [...document.querySelectorAll('[data-ciphertext]')].every("
        "(e) => e.hasAttribute('data-crypto'))"
    )
    state = {
        key: app.page.locator(f"[data-ciphertext][data-entry='{notes[key]}']").get_attribute(
            "data-crypto"
        )
        for key in ("revoked", "late")
    }
    assert state == {"revoked": "open", "late": "failed"}
    assert "Na het intrekken." not in (app.page.text_content("main") or "")
