"""Owner-signed section manifests (issue 19, item 3): the owner's client signs what it saw
whenever it opens a section; readers refuse a version the manifest does not list that was
signed well before it (planted or backdated), and report a listed entry or version the server
withholds, and a manifest older than one the device has seen. The server's database is
tampered with directly."""

import datetime as dt
import json
import uuid

import pytest

from dossier import crypto
from dossier.client import ApiError
from dossier.client.api import RollbackError, WithheldError
from tests.e2e.conftest import introduce, professional
from tests.support.notes import sealed_note
from tests.support.sql import plant_entry, sql


def ids(settings, *values):
    pg = settings.database_url.startswith("postgresql")
    return [v if pg else uuid.UUID(v).bytes for v in values]


@pytest.fixture
def notes(youth, coach):
    """The coach reads and adds to the youth's notes; the youth wrote two and opened them
    (her client signed manifest 1)."""
    introduce(youth, coach)
    youth.share(
        ["notities"],
        coach.unlocked().account_id,
        permissions=["read", "append"],
        purpose="Gespreksverslagen",
    )
    first = youth.write("notities", {"tekst": "Eerste."})
    second = youth.write("notities", {"tekst": "Tweede."})
    youth.entries("notities")
    return youth.unlocked().dossier_id, first, second


def manifest_of(youth, dossier):
    path = f"/api/v1/dossiers/{dossier}/sections/notities/entries"
    statement = youth.api.call("GET", path)["manifest"]
    return crypto.verify_manifest(
        statement, youth.unlocked().identity.public.sign_pk, dossier=dossier, section="notities"
    )


def delete_version(settings, entry, version):
    [e] = ids(settings, entry)
    sql(
        settings.database_url,
        "DELETE FROM entry WHERE entry_id = :e AND version = :v",
        {"e": e, "v": version},
    )


def test_the_owner_signs_what_she_saw_and_the_coachs_note_is_covered_on_her_next_open(
    youth, coach, notes
):
    dossier, first, second = notes
    assert set(manifest_of(youth, dossier).entries) == {first, second}
    assert manifest_of(youth, dossier).seq == 1
    youth.entries("notities")
    assert manifest_of(youth, dossier).seq == 1  # nothing new, nothing signed
    theirs = coach.write("notities", {"tekst": "Van de coach."}, dossier_id=dossier)
    assert len(coach.entries("notities", dossier)) == 3  # after the manifest: accepted
    youth.entries("notities")
    assert manifest_of(youth, dossier).seq == 2
    assert set(manifest_of(youth, dossier).entries) == {first, second, theirs}


def test_a_withheld_entry_is_reported(youth, coach, notes, settings):
    dossier, first, _ = notes
    delete_version(settings, first, 1)
    for reader in (lambda: coach.entries("notities", dossier), lambda: youth.entries("notities")):
        with pytest.raises(WithheldError) as reported:
            reader()
        assert reported.value.entries == [first]
    assert manifest_of(youth, dossier).seq == 1  # the owner signs nothing smaller


def test_a_withheld_correction_is_reported(youth, coach, notes, settings):
    """The youth's reaction to the coach's note is an entry of her own; the server hiding it
    from the coach is noticed like any other."""
    dossier, *_ = notes
    coach.write("notities", {"tekst": "Sam kwam te laat."}, dossier_id=dossier)
    reaction = youth.write("notities", {"tekst": "Dat klopt niet: de bus reed niet."})
    youth.entries("notities")
    delete_version(settings, reaction, 1)
    with pytest.raises(WithheldError) as reported:
        coach.entries("notities", dossier)
    assert reported.value.entries == [reaction]


def test_an_older_version_is_reported(youth, coach, notes, settings):
    dossier, first, _ = notes
    youth.write("notities", {"tekst": "Eerste, verbeterd."}, entry_id=first)
    youth.entries("notities")
    delete_version(settings, first, 2)
    with pytest.raises(WithheldError):
        coach.entries("notities", dossier)


def coach_note(coach, dossier):
    return sealed_note(coach, coach.section("notities", dossier), "Achteraf.")


def manifest_later(youth, dossier, minutes):
    """Time passes: the youth's client opens the section `minutes` from now and signs."""
    path = f"/api/v1/dossiers/{dossier}/sections/notities"
    listed = youth.api.call("GET", f"{path}/entries")
    shown = [crypto.SealedEntry.from_json(item["entry"]) for item in listed["entries"]]
    statement = crypto.sign_manifest(
        youth.unlocked().identity,
        dossier=dossier,
        section="notities",
        seq=listed["manifest"]["seq"] + 1,
        at=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes),
        entries=shown,
    )
    youth.api.call("PUT", f"{path}/manifest", json=statement)


def test_a_backdated_entry_planted_by_the_server_is_refused(youth, coach, notes, settings):
    """The coach signs a note that the server keeps back and then slips in after the youth's
    later manifest, as if it had been there all along: dated more than 10 minutes before
    that manifest, and not in it."""
    dossier, first, _ = notes
    planted = coach_note(coach, dossier)
    manifest_later(youth, dossier, 11)
    plant_entry(settings.database_url, planted, coach.unlocked().account_id, like=first)
    for reader in (lambda: coach.entries("notities", dossier), lambda: youth.entries("notities")):
        with pytest.raises(crypto.UnlistedEntry):
            reader()


def test_a_revoked_appenders_backdated_entry_is_refused(server, youth, notes, settings):
    """After the revocation of her append grant a second coach signs a note dated inside the
    grant (before its signed end): the grant end does not catch it, the manifest does."""
    dossier, first, _ = notes
    other = professional(server)
    introduce(youth, other)
    [grant] = youth.share(
        ["notities"], other.unlocked().account_id, permissions=["append"], purpose="Verslag"
    )
    planted = coach_note(other, dossier)
    youth.revoke([grant])
    manifest_later(youth, dossier, 11)
    plant_entry(settings.database_url, planted, other.unlocked().account_id, like=first)
    with pytest.raises(crypto.UnlistedEntry):
        youth.entries("notities")
    other.close()


def set_manifest(settings, dossier, statement):
    [d] = ids(settings, dossier)
    sql(
        settings.database_url,
        "UPDATE section SET manifest = :m WHERE dossier_id = :d AND key = 'notities'",
        {"m": None if statement is None else json.dumps(statement), "d": d},
    )


def test_a_manifest_rolled_back_or_removed_is_refused(youth, coach, notes, settings):
    dossier, *_ = notes
    path = f"/api/v1/dossiers/{dossier}/sections/notities/entries"
    old = youth.api.call("GET", path)["manifest"]
    coach.write("notities", {"tekst": "Nieuw."}, dossier_id=dossier)
    youth.entries("notities")
    coach.entries("notities", dossier)  # the coach's device has seen manifest 2
    set_manifest(settings, dossier, old)
    with pytest.raises(RollbackError):
        coach.entries("notities", dossier)
    set_manifest(settings, dossier, None)
    with pytest.raises(RollbackError):
        coach.entries("notities", dossier)


def put(client, dossier, statement):
    path = f"/api/v1/dossiers/{dossier}/sections/notities/manifest"
    with pytest.raises(ApiError) as refused:
        client.api.call("PUT", path, json=statement)
    return refused.value.status


def test_the_server_stores_only_the_owners_newer_manifest(youth, coach, notes):
    dossier, *_ = notes
    sign = {"dossier": dossier, "section": "notities", "at": dt.datetime.now(dt.UTC)}
    forged = crypto.sign_manifest(coach.unlocked().identity, seq=9, entries=[], **sign)
    assert put(youth, dossier, forged) in {400, 422}
    assert put(coach, dossier, forged) in {403, 404}
    older = crypto.sign_manifest(youth.unlocked().identity, seq=1, entries=[], **sign)
    assert put(youth, dossier, older) == 409
    assert manifest_of(youth, dossier).seq == 1
