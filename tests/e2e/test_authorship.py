"""Authorship of versions (issue 19): only the author of an entry's first version writes its
later versions. The server refuses anyone else with a typed 403; a version planted in the
database past that check is refused by the Python client reading it. A youth's correction of
a coach's note stays a reaction of her own."""

import uuid

import pytest

from dossier import crypto
from dossier.client import ApiError
from tests.e2e.conftest import introduce
from tests.support.notes import sealed_note
from tests.support.sql import plant_entry, sql


def dossier_of(youth):
    return youth.unlocked().dossier_id


@pytest.fixture
def notes(youth, coach):
    """The youth shares her notes with the coach, to read and to add to."""
    introduce(youth, coach)
    youth.share(
        ["notities"],
        coach.unlocked().account_id,
        permissions=["read", "append"],
        purpose="Gespreksverslagen",
    )
    return dossier_of(youth)


def seal_version(client, dossier, entry, version, text):
    """What a client sends for a new version, sealed by `client` to the signed section key."""
    return sealed_note(
        client, client.section("notities", dossier), text, entry=entry, version=version
    )


def post(client, sealed):
    path = f"/api/v1/dossiers/{sealed.dossier}/sections/notities/entries"
    return client.api.call("POST", path, json=sealed.to_json())


def not_the_author(call):
    with pytest.raises(ApiError) as refused:
        call()
    assert (refused.value.status, refused.value.code) == (403, "not-the-author")


def plant(url, sealed, author_id):
    """The server stores a version directly, past its own check, beside version 1."""
    plant_entry(url, sealed, author_id)


def texts(client, dossier=None):
    return {e.entry: e.body["tekst"] for e in client.entries("notities", dossier)}


def test_a_coach_cannot_overwrite_the_youths_note(youth, coach, notes):
    note = youth.write("notities", {"tekst": "Mijn eigen notitie."})
    not_the_author(lambda: post(coach, seal_version(coach, notes, note, 2, "Van de coach.")))
    assert texts(youth) == {note: "Mijn eigen notitie."}


def test_a_youths_correction_is_a_reaction_not_an_overwrite(youth, coach, notes):
    note = coach.write("notities", {"tekst": "Sam kwam te laat."}, dossier_id=notes)
    not_the_author(lambda: post(youth, seal_version(youth, notes, note, 2, "Dat klopt niet.")))
    reaction = youth.write("notities", {"tekst": "Dat klopt niet: de bus reed niet."})
    assert texts(coach, notes) == {
        note: "Sam kwam te laat.",
        reaction: "Dat klopt niet: de bus reed niet.",
    }
    coach.write("notities", {"tekst": "Sam kwam te laat (bus)."}, entry_id=note, dossier_id=notes)
    assert texts(youth)[note] == "Sam kwam te laat (bus)."


def test_a_planted_overwrite_by_another_author_is_refused_by_the_reader(
    youth, coach, notes, settings
):
    note = youth.write("notities", {"tekst": "Mijn eigen notitie."})
    forged = seal_version(coach, notes, note, 2, "Van de coach.")
    plant(settings.database_url, forged, coach.unlocked().account_id)
    with pytest.raises(crypto.AnotherAuthor):
        youth.entries("notities")
    with pytest.raises(crypto.AnotherAuthor):
        coach.entries("notities", notes)
    with pytest.raises(crypto.AnotherAuthor):
        youth.history("notities", note)


def test_a_planted_youth_version_of_a_coachs_note_is_refused_by_the_coach(
    youth, coach, notes, settings
):
    note = coach.write("notities", {"tekst": "Sam kwam te laat."}, dossier_id=notes)
    forged = seal_version(youth, notes, note, 2, "Sam was op tijd.")
    plant(settings.database_url, forged, youth.unlocked().account_id)
    with pytest.raises(crypto.AnotherAuthor):
        coach.entries("notities", notes)


def test_a_later_version_without_its_first_is_refused(youth, settings):
    note = youth.write("notities", {"tekst": "een"})
    youth.write("notities", {"tekst": "twee"}, entry_id=note)
    assert texts(youth) == {note: "twee"}
    pg = settings.database_url.startswith("postgresql")
    sql(
        settings.database_url,
        "DELETE FROM entry WHERE entry_id = :e AND version = 1",
        {"e": note if pg else uuid.UUID(note).bytes},
    )
    with pytest.raises(crypto.AnotherAuthor):
        youth.entries("notities")
