"""Input that makes sense, through the Python client door (the browser door is
tests/browser/test_youth_app.py): an empty or too long body is refused before anything is
sealed or sent, naming the field in Dutch, and nothing is stored; a removed plan action is a
new tombstone version that readers see as removed, with the earlier versions kept."""

from __future__ import annotations

import pytest

from dossier.sections.input import (
    EMPTY_AT,
    MAX_TEXT_CHARS,
    InputRefused,
    check_body,
    is_removed,
)
from tests.support.sql import row_counts


@pytest.mark.parametrize(
    ("section", "body", "field"),
    [
        ("verhaal", {"tekst": ""}, "tekst"),
        ("verhaal", {"tekst": " \n\t "}, "tekst"),
        ("notities", {"soort": "notitie", "tekst": ""}, "tekst"),
        ("plan", {"doel": "", "actie": " ", "klaar": False}, "doel"),
        ("notities", {"soort": "reactie", "op": "x", "tekst": ""}, "tekst"),
        ("werk", {"datum": "", "nu": "  "}, None),
        ("contact", {"naam": "", "telefoon": " ", "voorkeur": "WhatsApp"}, "naam"),
        ("verhaal", {"tekst": "x" * (MAX_TEXT_CHARS + 1)}, "tekst"),
    ],
)
def test_the_client_refuses_empty_and_too_long_bodies_at_the_field(
    youth, settings, section, body, field
):
    before = row_counts(settings.database_url)
    with pytest.raises(InputRefused) as refused:
        youth.write(section, body)
    assert refused.value.field == field
    assert refused.value.message.startswith(("Dit is", "Vul minstens"))
    assert row_counts(settings.database_url) == before


def test_a_too_long_text_names_the_limit():
    with pytest.raises(InputRefused, match=r"maximaal 100\.000 tekens, nu 100\.001"):
        check_body("verhaal", {"tekst": "x" * (MAX_TEXT_CHARS + 1)})


def test_a_text_at_the_limit_and_a_filled_body_are_accepted():
    check_body("verhaal", {"tekst": "x" * MAX_TEXT_CHARS})
    check_body("contact", {"naam": "", "telefoon": "0612345678"})
    check_body("plan", {"doel": "", "actie": "Bellen", "klaar": False})
    check_body("werk", {"soort": "meting", "datum": "2026-09-01", "score": 3})
    check_body("contact", {"tekst": "Over mij."})
    assert set(EMPTY_AT) == {"verhaal", "plan", "notities", "contact"}


def test_a_removed_plan_action_is_a_tombstone_version(youth):
    entry = youth.write("plan", {"doel": "Een kamer", "actie": "Inschrijven", "klaar": False})
    youth.remove("plan", entry)
    [latest] = [e for e in youth.entries("plan") if e.entry == entry]
    assert latest.removed
    assert latest.version == 2
    assert is_removed(latest.body)
    first, second = youth.history("plan", entry)
    assert first.body["doel"] == "Een kamer"
    assert not first.removed
    assert second.removed
