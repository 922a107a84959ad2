"""Signed grant ends (issue 19, item 2): when the youth revokes a grant her client signs its
end; the server serves it with the receipt, and every reader refuses an entry the revoked
appender signs after it, even one the server stored past its own checks. The server refuses
an unsigned or forged end, and a forged end planted in its database is ignored by readers."""

import datetime as dt
import json
import uuid

import pytest

from dossier import crypto
from dossier.client import ApiError
from tests.e2e.conftest import introduce
from tests.support.notes import sealed_note
from tests.support.sql import plant_entry, sql


@pytest.fixture
def appender(youth, coach):
    """The coach may add to the youth's notes (append only) and wrote one note; returns the
    grant id, that note and the section view the coach sealed it under."""
    introduce(youth, coach)
    [grant] = youth.share(
        ["notities"], coach.unlocked().account_id, permissions=["append"], purpose="Verslagen"
    )
    dossier = youth.unlocked().dossier_id
    note = coach.write("notities", {"tekst": "Gesprek gehad."}, dossier_id=dossier)
    return grant, note, coach.section("notities", dossier)


def late_note(coach, view, at):
    """What the revoked coach signs, sealed to the section key it still knows."""
    return sealed_note(coach, view, "Na het intrekken.", at=at)


def end_of(youth, grant):
    return next(g for g in youth.grants() if g["id"] == grant)["end_statement"]


def test_revoking_signs_the_end_and_the_reader_still_accepts_earlier_entries(
    youth, coach, appender
):
    grant, note, _ = appender
    youth.revoke([grant])
    end = end_of(youth, grant)
    dossier = youth.unlocked().dossier_id
    ended = crypto.verify_grant_end(
        end,
        youth.unlocked().identity.public.sign_pk,
        grant=grant,
        dossier=dossier,
        section="notities",
    )
    assert abs(ended - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert {e.entry for e in youth.entries("notities")} == {note}


def test_the_server_refuses_the_revoked_appender(youth, coach, appender):
    grant, _, view = appender
    youth.revoke([grant])
    sealed = late_note(coach, view, None)
    path = f"/api/v1/dossiers/{view.dossier}/sections/notities/entries"
    with pytest.raises(ApiError) as refused:
        coach.api.call("POST", path, json=sealed.to_json())
    assert refused.value.status in {403, 404}


def test_an_entry_planted_after_the_end_is_refused_by_the_reader(youth, coach, appender, settings):
    grant, note, view = appender
    youth.revoke([grant])
    planted = late_note(coach, view, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    plant_entry(settings.database_url, planted, coach.unlocked().account_id, like=note)
    with pytest.raises(crypto.UnauthorisedAuthor):
        youth.entries("notities")


def test_an_end_signed_later_on_unlock_covers_a_revocation_made_elsewhere(
    youth, coach, appender, settings
):
    """A revocation whose end was not signed (the tab closed) is signed on the next unlock,
    at the server's revoked_at."""
    grant, note, view = appender
    path = f"/api/v1/dossiers/{view.dossier}/grants/revoke"
    youth.api.call("POST", path, json={"grant_ids": [grant]})
    assert end_of(youth, grant) is None
    assert youth.sign_ends() == 1
    assert youth.sign_ends() == 0
    planted = late_note(coach, view, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    plant_entry(settings.database_url, planted, coach.unlocked().account_id, like=note)
    with pytest.raises(crypto.UnauthorisedAuthor):
        youth.entries("notities")


def ends_path(youth):
    return f"/api/v1/dossiers/{youth.unlocked().dossier_id}/grant-ends"


def refused(call):
    with pytest.raises(ApiError) as err:
        call()
    assert err.value.status in {400, 422}, err.value


@pytest.mark.parametrize("signer", ["coach", "nobody"])
def test_the_server_refuses_a_forged_or_unsigned_end(youth, coach, appender, signer):
    grant, _, view = appender
    youth.api.call(
        "POST",
        f"{ends_path(youth)[: -len('grant-ends')]}grants/revoke",
        json={"grant_ids": [grant]},
    )
    end = crypto.sign_grant_end(
        coach.unlocked().identity,
        grant=grant,
        dossier=view.dossier,
        section="notities",
        at=dt.datetime.now(dt.UTC),
    )
    if signer == "nobody":
        end = {k: v for k, v in end.items() if k != "signature"}
    refused(lambda: youth.api.call("POST", ends_path(youth), json={"ends": [end]}))
    assert end_of(youth, grant) is None


def test_the_server_refuses_an_end_of_a_grant_still_running(youth, appender):
    grant, _, view = appender
    end = crypto.sign_grant_end(
        youth.unlocked().identity,
        grant=grant,
        dossier=view.dossier,
        section="notities",
        at=dt.datetime.now(dt.UTC),
    )
    refused(lambda: youth.api.call("POST", ends_path(youth), json={"ends": [end]}))


@pytest.mark.usefixtures("appender")
def test_only_the_owner_records_ends(youth, coach):
    with pytest.raises(ApiError) as err:
        coach.api.call("POST", ends_path(youth), json={"ends": []})
    assert err.value.status in {403, 404}
    with pytest.raises(ApiError) as err:
        coach.api.call("GET", ends_path(youth) + "/due")
    assert err.value.status in {403, 404}


def test_a_forged_end_planted_by_the_server_is_ignored(youth, coach, appender, settings):
    """The server cannot make readers refuse the coach's genuine note with an end of its own."""
    grant, note, view = appender
    server_key = crypto.Identity.generate()
    forged = crypto.sign_grant_end(
        server_key,
        grant=grant,
        dossier=view.dossier,
        section="notities",
        at="2000-01-01T00:00:00Z",
    )
    pg = settings.database_url.startswith("postgresql")
    sql(
        settings.database_url,
        "UPDATE consent_grant SET end_statement = :s WHERE id = :g",
        {"s": json.dumps(forged), "g": grant if pg else uuid.UUID(grant).bytes},
    )
    assert {e.entry for e in youth.entries("notities")} == {note}


def test_a_withheld_end_is_still_known_from_the_owners_manifest(youth, coach, appender, settings):
    """The youth's client lists the end in her next manifest; the server then drops the end
    itself and stores a note the coach signs afterwards: the reader still refuses it."""
    grant, note, view = appender
    youth.revoke([grant])
    youth.entries("notities")  # opens the section: the manifest now lists the end
    [g] = ids_of(settings, grant)
    sql(
        settings.database_url,
        "UPDATE consent_grant SET end_statement = NULL WHERE id = :g",
        {"g": g},
    )
    planted = late_note(coach, view, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2))
    plant_entry(settings.database_url, planted, coach.unlocked().account_id, like=note)
    with pytest.raises(crypto.UnauthorisedAuthor):
        youth.entries("notities")


def ids_of(settings, *values):
    pg = settings.database_url.startswith("postgresql")
    return [v if pg else uuid.UUID(v).bytes for v in values]
