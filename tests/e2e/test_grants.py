"""Sharing through the API with the Python client: every grant check allows what it should
and denies everything else at once; revocation rotates the key so a revoked party opens
nothing new; receipts verify with the owner's public key alone."""

import copy
import datetime as dt
import json
import threading
import uuid

import pytest
from nacl.public import PrivateKey

from dossier import crypto
from dossier.client import ApiError, RugzakClient
from tests.e2e.conftest import ADULT, PASSPHRASE, introduce, new_username
from tests.support.sql import sql

STORY = {"tekst": "Ik ben Sam en ik zoek werk in de zorg."}


def denied(call, reason):
    with pytest.raises(ApiError) as refused:
        call()
    assert (refused.value.status, refused.value.code) == (403, "forbidden")
    assert refused.value.problem["detail"] == reason
    return refused.value


@pytest.fixture
def shared(youth, coach):
    introduce(youth, coach)
    youth.write("verhaal", STORY)
    [grant] = youth.share(["verhaal"], coach.unlocked().account_id, purpose="Begeleiding naar werk")
    return grant


def dossier_of(youth):
    return youth.unlocked().dossier_id


def read_raw(client, youth, section):
    """Ask the server directly, as a client that has no key for the section would."""
    path = f"/api/v1/dossiers/{dossier_of(youth)}/sections/{section}/entries"
    return lambda: client.api.call("GET", path)


def test_a_coach_reads_exactly_what_is_shared(youth, coach, shared):
    [entry] = coach.entries("verhaal", dossier_of(youth))
    assert entry.body == STORY
    overview = coach.dossier(dossier_of(youth))
    assert [s["key"] for s in overview["sections"]] == ["verhaal"]
    assert overview["sections"][0]["owner_sealed_sk"] is None
    denied(read_raw(coach, youth, "geld"), "no-grant")


def test_revoked_grant_is_refused_at_once_before_any_rotation(youth, coach, shared):
    path = f"/api/v1/dossiers/{dossier_of(youth)}/grants/revoke"
    due = youth.api.call("POST", path, json={"grant_ids": [shared]})
    assert due == {"sections": ["verhaal"]}
    denied(read_raw(coach, youth, "verhaal"), "revoked")


def test_expired_grant_is_refused(youth, coach, shared, settings):
    sql(
        settings.database_url,
        "UPDATE consent_grant SET expires_at = :t",
        {"t": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)},
    )
    denied(read_raw(coach, youth, "verhaal"), "expired")


def test_grant_does_not_reach_another_dossier(server, youth, coach, shared):
    with RugzakClient(server) as other:
        other.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
        other.write("verhaal", {"tekst": "van iemand anders"})
        introduce(other, coach)
        denied(read_raw(coach, other, "verhaal"), "no-grant")
        with pytest.raises(ApiError) as refused:
            coach.dossier(dossier_of(other))
        assert refused.value.status == 403


def test_grantee_of_another_youth_is_refused(server, youth, shared):
    with RugzakClient(server) as stranger:
        stranger.sign_up(new_username("coach"), PASSPHRASE, birth_date=None, kind="professional")
        introduce(youth, stranger)
        denied(read_raw(stranger, youth, "verhaal"), "no-grant")


def test_append_only_may_write_and_read_back_its_own_but_not_read(youth, coach):
    introduce(youth, coach)
    youth.write("notities", {"tekst": "notitie van de jongere"})
    youth.share(
        ["notities"],
        coach.unlocked().account_id,
        permissions=["append"],
        purpose="Gespreksverslagen",
    )
    denied(read_raw(coach, youth, "notities"), "not-permitted")
    note = coach.write(
        "notities", {"tekst": "Gesprek gehad over schulden."}, dossier_id=dossier_of(youth)
    )
    [mine] = coach.entries("notities", dossier_of(youth), mine=True)
    assert (mine.entry, mine.body["tekst"]) == (note, "Gesprek gehad over schulden.")
    by_author = {e.author: e.body["tekst"] for e in youth.entries("notities")}
    assert by_author[coach.unlocked().account_id] == "Gesprek gehad over schulden."


def test_without_append_a_professional_cannot_write(youth, coach, shared):
    with pytest.raises(ApiError) as refused:
        coach.write("verhaal", {"tekst": "erbij gezet"}, dossier_id=dossier_of(youth))
    assert refused.value.problem["detail"] == "not-permitted"


def test_after_revocation_and_rotation_the_old_key_opens_nothing_new(
    youth, coach, shared, settings
):
    view = coach.section("verhaal", dossier_of(youth))
    old_key = bytes(view.private_key)
    youth.revoke([shared])
    after = youth.write("verhaal", {"tekst": "geheim na het intrekken"})
    denied(read_raw(coach, youth, "verhaal"), "revoked")
    [(payload,)] = sql(
        settings.database_url,
        "SELECT payload FROM entry WHERE entry_id = :e",
        {"e": _db_id(settings, after)},
    )
    stolen = crypto.SealedEntry.from_json(_as_dict(payload))
    with pytest.raises(crypto.TamperedError):
        crypto.open_sealed(PrivateKey(old_key), stolen.sealed_key)
    rows = sql(settings.database_url, "SELECT payload FROM entry")
    for (row,) in rows:  # every data key, old entries too, is now sealed to the new key only
        with pytest.raises(crypto.TamperedError):
            crypto.open_sealed(
                PrivateKey(old_key), crypto.SealedEntry.from_json(_as_dict(row)).sealed_key
            )
    assert {e.body["tekst"] for e in youth.entries("verhaal")} == {
        STORY["tekst"],
        "geheim na het intrekken",
    }


def test_revocation_keeps_the_other_readers(server, youth, coach, shared):
    with RugzakClient(server) as second:
        second.sign_up(new_username("coach"), PASSPHRASE, birth_date=None, kind="professional")
        introduce(youth, second)
        youth.share(["verhaal"], second.unlocked().account_id, purpose="Schuldhulp")
        youth.revoke([shared])
        youth.write("verhaal", {"tekst": "na de rotatie"})
        texts = {e.body["tekst"] for e in second.entries("verhaal", dossier_of(youth))}
        assert texts == {STORY["tekst"], "na de rotatie"}
        assert second.section("verhaal", dossier_of(youth)).key_version == 2


def test_concurrent_rotations_one_wins_the_other_retries(server, youth, coach, shared):
    for i in range(5):
        youth.write("verhaal", {"tekst": f"notitie {i}"})
    with RugzakClient(server) as device:
        device.login(youth.unlocked().username, PASSPHRASE)
        device.pin(coach.unlocked().account_id, coach.unlocked().identity.public)
        errors, barrier = [], threading.Barrier(2)

        def rotate(client):
            try:
                barrier.wait()
                client.rotate("verhaal")
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=rotate, args=(c,)) for c in (youth, device)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
    view = youth.section("verhaal")
    assert view.key_version == 3  # both rotations applied, one after the other
    assert len(youth.entries("verhaal")) == 6
    assert len(coach.entries("verhaal", dossier_of(youth))) == 6


def test_a_rotation_landing_between_the_key_and_the_entries_read_is_retried(
    server, youth, coach, shared, monkeypatch
):
    """The owner's client reads the section's key, then its entries: another device's
    rotation in between leaves entries under a newer key than the one read. That is a race,
    not tampering: the client reads both again and rotates after it."""
    youth.write("verhaal", {"tekst": "voor de rotaties"})
    with RugzakClient(server) as device:
        device.login(youth.unlocked().username, PASSPHRASE)
        device.pin(coach.unlocked().account_id, coach.unlocked().identity.public)
        read, raced = youth.section, []

        def key_read_then_the_other_device_rotates(key, *args, **kwargs):
            view = read(key, *args, **kwargs)
            if not raced:
                raced.append(key)
                device.rotate(key)
            return view

        monkeypatch.setattr(youth, "section", key_read_then_the_other_device_rotates)
        youth.rotate("verhaal")
        monkeypatch.undo()
    assert raced == ["verhaal"]
    assert youth.section("verhaal").key_version == 3  # the device's rotation, then ours
    assert {e.body["tekst"] for e in coach.entries("verhaal", dossier_of(youth))} == {
        STORY["tekst"],
        "voor de rotaties",
    }


def test_a_stale_rotation_gets_409(youth, coach, shared):
    view = youth.section("verhaal")
    body = {
        "old_key_version": view.key_version - 1 if view.key_version > 1 else 99,
        "signed_key": view.signed_key.to_json(),
        "owner_sealed_sk": "AAAA",
        "entries": [],
        "envelopes": [],
    }
    with pytest.raises(ApiError) as refused:
        youth.api.call(
            "POST", f"/api/v1/dossiers/{dossier_of(youth)}/sections/verhaal/rotate", json=body
        )
    assert refused.value.status in {400, 409}


def test_receipts_verify_with_the_owners_key_alone_and_fail_on_any_change(youth, shared):
    [grant] = youth.grants()
    receipt = crypto.ConsentReceipt.from_json(grant["receipt"])
    receipt.verify(youth.unlocked().identity.public.sign_pk)
    for field, value in [
        ("purpose", "Iets anders"),
        ("section", "geld"),
        ("expires_at", "2099-01-01T00:00:00Z"),
    ]:
        changed = copy.deepcopy(grant["receipt"]) | {field: value}
        with pytest.raises(crypto.TamperedError):
            crypto.ConsentReceipt.from_json(changed).verify(
                youth.unlocked().identity.public.sign_pk
            )


def test_a_grant_cannot_outlive_the_27th_birthday(server, coach):
    with RugzakClient(server) as older:
        born = dt.datetime.now(dt.UTC).date().replace(year=dt.datetime.now(dt.UTC).year - 26)
        older.sign_up(new_username(), PASSPHRASE, birth_date=born)
        introduce(older, coach)
        with pytest.raises(ApiError) as refused:
            older.share(["contact"], coach.unlocked().account_id, purpose="Werk", days=400)
        assert refused.value.code == "past-27"
        assert older.share(
            ["contact"], coach.unlocked().account_id, purpose="Werk", days=400, renewed_past_27=True
        )


def test_a_receipt_for_another_key_is_refused(youth, coach):
    introduce(youth, coach)
    item = youth.grant_item(
        youth.section("contact"),
        coach.unlocked().account_id,
        permissions=["read"],
        purpose="x",
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=3),
    )
    forged = crypto.sign_receipt(
        youth.unlocked().identity,
        **{
            k: v
            for k, v in crypto.ConsentReceipt.from_json(item["receipt"]).to_json().items()
            if k not in {"v", "signature", "grantee_key_fingerprint", "permissions"}
        },
        grantee_key_fingerprint=crypto.Identity.generate().public.fingerprint(),
        permissions=["read"],
    )
    item["receipt"] = forged.to_json()
    with pytest.raises(ApiError) as refused:
        youth.api.call(
            "POST", f"/api/v1/dossiers/{dossier_of(youth)}/grants", json={"grants": [item]}
        )
    assert refused.value.code == "invalid-input"


def test_only_the_owner_manages_grants(youth, coach, shared):
    for method, path, body in [
        ("GET", "grants", None),
        ("POST", "grants/revoke", {"grant_ids": [shared]}),
        ("GET", "rotation-due", None),
    ]:
        with pytest.raises(ApiError) as refused:
            coach.api.call(method, f"/api/v1/dossiers/{dossier_of(youth)}/{path}", json=body)
        assert refused.value.status == 403


def test_nazorg_steps_down_to_contact_and_plan(youth, coach):
    introduce(youth, coach)
    for key in ("contact", "plan", "geld"):
        youth.write(key, {"tekst": key})
    youth.share(["contact", "plan", "geld"], coach.unlocked().account_id, purpose="Traject")
    rotated = youth.step_down(coach.unlocked().account_id, keep=("contact", "plan"), days=182)
    assert set(rotated) == {"contact", "plan", "geld"}
    assert coach.entries("contact", dossier_of(youth))[0].body == {"tekst": "contact"}
    assert coach.entries("plan", dossier_of(youth))[0].body == {"tekst": "plan"}
    denied(read_raw(coach, youth, "geld"), "revoked")
    active = [g for g in youth.grants() if g["state"] == "active"]
    assert sorted(g["section"] for g in active) == ["contact", "plan"]
    assert all(
        g["expires_at"] < (dt.datetime.now(dt.UTC) + dt.timedelta(days=183)).isoformat()
        for g in active
    )


def test_expired_grants_are_rotated_on_the_next_unlock(server, youth, coach, shared, settings):
    sql(
        settings.database_url,
        "UPDATE consent_grant SET expires_at = :t",
        {"t": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)},
    )
    assert youth.section("verhaal").key_version == 1
    with RugzakClient(server) as device:
        device.login(youth.unlocked().username, PASSPHRASE)
        assert device.section("verhaal").key_version == 2
        assert device.rotate_due() == []


def test_my_grants_lists_what_is_shared_with_me(youth, coach, shared):
    [mine] = coach.my_grants()
    assert (mine["id"], mine["section"], mine["state"]) == (shared, "verhaal", "active")


def _as_dict(payload):
    return payload if isinstance(payload, dict) else json.loads(payload)


def _db_id(settings, value):
    return (
        str(uuid.UUID(value))
        if settings.database_url.startswith("postgresql")
        else uuid.UUID(value).bytes
    )


def test_a_grantees_read_is_logged_and_the_log_is_the_owners_alone(youth, coach, shared):
    coach.entries("verhaal", dossier_of(youth))
    events = youth.access_log()
    reads = [e for e in events if e.action == "section:read"]
    assert [(e.actor, e.section) for e in reads] == [(coach.unlocked().account_id, "verhaal")]
    assert any(e.action == "grant:create" and e.section == "verhaal" for e in events)
    with pytest.raises(ApiError) as refused:
        coach.api.call("GET", f"/api/v1/dossiers/{dossier_of(youth)}/log")
    assert refused.value.status == 403
