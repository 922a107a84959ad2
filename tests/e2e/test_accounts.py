"""Accounts through the API: age gate, login throttling, sessions, recovery, passphrase
change and crypto-shredding deletion."""

import datetime as dt
import io

import httpx
import pytest

from dossier import crypto
from dossier.client import ApiError, RugzakClient
from tests.conftest import make_settings
from tests.e2e.conftest import ADULT, PASSPHRASE, new_username
from tests.support.server import live_server
from tests.support.sql import row_counts, sql


def test_under_sixteen_is_refused_with_a_reason_and_nothing_is_stored(server, settings):
    before = row_counts(settings.database_url)
    fifteen = dt.datetime.now(dt.UTC).date().replace(year=dt.datetime.now(dt.UTC).year - 15)
    with RugzakClient(server) as client, pytest.raises(ApiError) as refused:
        client.sign_up(new_username(), PASSPHRASE, birth_date=fifteen)
    assert (refused.value.status, refused.value.code) == (403, "too-young")
    assert "16 jaar" in refused.value.problem["title"]
    assert row_counts(settings.database_url) == before


def test_birth_date_is_required_for_a_youth(server):
    with RugzakClient(server) as client, pytest.raises(ApiError) as refused:
        client.sign_up(new_username(), PASSPHRASE, birth_date=None)
    assert refused.value.code == "invalid-input"


def test_username_taken(server, youth):
    with RugzakClient(server) as client, pytest.raises(ApiError) as refused:
        client.sign_up(youth.unlocked().username, PASSPHRASE, birth_date=ADULT)
    assert (refused.value.status, refused.value.code) == (409, "conflict")


def test_wrong_passphrase_is_refused(server, youth):
    with RugzakClient(server) as client, pytest.raises(ApiError) as refused:
        client.login(youth.unlocked().username, "verkeerde wachtwoordzin")
    assert (refused.value.status, refused.value.code) == (401, "invalid-credentials")


def test_kdf_parameters_do_not_reveal_whether_an_account_exists(server, youth):
    def params(name):
        return httpx.get(f"{server}/api/v1/auth/params", params={"username": name}).json()

    assert params("bestaatniet") == params("bestaatniet")
    assert params("bestaatniet") != params("bestaatookniet")
    assert set(params("bestaatniet")["kdf"]) == set(params(youth.unlocked().username)["kdf"])


def test_weak_kdf_parameters_are_refused_at_sign_up(server):
    weak = crypto.KdfParams.new().to_json() | {"opslimit": 1}
    response = httpx.post(
        f"{server}/api/v1/auth/signup",
        json={
            "id": "00000000-0000-4000-8000-000000000001",
            "username": new_username(),
            "kind": "youth",
            "birth_date": "2000-01-01",
            "kdf": weak,
            "auth_key": crypto.b64e(bytes(32)),
            "recovery_auth_key": crypto.b64e(bytes(32)),
            "bundle": {},
            "recovery_bundle": {},
            "identity": crypto.Identity.generate().public.to_json(),
        },
    )
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/invalid-input"


def strict_server(backend, tmp_path, **limits):
    return live_server(make_settings(backend.fresh_url(), tmp_path, **limits))


def test_login_is_rate_limited_per_account(backend, tmp_path):
    with (
        strict_server(backend, tmp_path, login_rate_per_minute=3) as url,
        RugzakClient(url) as client,
    ):
        name = new_username()
        client.sign_up(name, PASSPHRASE, birth_date=ADULT)  # one login attempt
        codes = []
        for _ in range(3):
            response = httpx.post(
                f"{url}/api/v1/auth/login",
                json={"username": name, "auth_key": crypto.b64e(bytes(32))},
            )
            codes.append(response.status_code)
        assert codes == [401, 401, 429]
        assert "Wacht een minuut" in response.json()["title"]
        assert 0 < int(response.headers["retry-after"]) <= 60
        other = httpx.post(
            f"{url}/api/v1/auth/login",
            json={"username": new_username(), "auth_key": crypto.b64e(bytes(32))},
        )
        assert other.status_code == 401  # another account from the same address still may try


def test_login_is_rate_limited_per_address(backend, tmp_path):
    with strict_server(backend, tmp_path, address_rate_per_minute=4) as url:
        responses = [
            httpx.post(
                f"{url}/api/v1/auth/login",
                json={"username": new_username(), "auth_key": crypto.b64e(bytes(32))},
            )
            for _ in range(6)
        ]
    assert [r.status_code for r in responses] == [401] * 4 + [429] * 2
    refused = responses[-1]
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"] == "/problems/too-many-attempts"
    assert 0 < int(refused.headers["retry-after"]) <= 60


def test_expired_session_is_refused(youth, settings):
    sql(
        settings.database_url,
        "UPDATE login_session SET expires_at = :past",
        {"past": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)},
    )
    with pytest.raises(ApiError) as refused:
        youth.entries("verhaal")
    assert (refused.value.status, refused.value.code) == (401, "session-expired")


def test_sessions_can_be_listed_and_ended(server, youth):
    with RugzakClient(server) as phone:
        phone.login(youth.unlocked().username, PASSPHRASE)
        listed = youth.sessions()
        assert len(listed) == 2
        assert [s["current"] for s in listed].count(True) == 1
        youth.end_session(phone.unlocked().session_id)
        with pytest.raises(ApiError) as ended:
            phone.entries("verhaal")
        assert ended.value.status == 401
    assert len(youth.sessions()) == 1


def test_logout_ends_the_session(server, youth):
    token = youth.api.token
    youth.logout()
    response = httpx.get(f"{server}/api/v1/account/", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_recovery_code_sets_a_new_passphrase(server, youth):
    name = youth.unlocked().username
    entry = youth.write("verhaal", {"tekst": "blijft leesbaar"})
    with RugzakClient(server) as device:
        device.recover(name, youth.recovery_code.lower().replace("-", " "), "nieuwe zin voor mij 7")
        assert device.entries("verhaal")[0].entry == entry
    with pytest.raises(ApiError):
        youth.entries("verhaal")  # other sessions ended by the recovery
    with RugzakClient(server) as device, pytest.raises(ApiError):
        device.login(name, PASSPHRASE)
    with RugzakClient(server) as device:
        device.login(name, "nieuwe zin voor mij 7")
        assert device.entries("verhaal")[0].body == {"tekst": "blijft leesbaar"}


def test_wrong_recovery_code_is_refused(server, youth):
    with RugzakClient(server) as device, pytest.raises(ApiError) as refused:
        device.recover(youth.unlocked().username, crypto.new_recovery_code(), "nieuw")
    assert refused.value.code == "invalid-credentials"


def test_passphrase_change(server, youth):
    name = youth.unlocked().username
    youth.change_passphrase(PASSPHRASE, "een heel nieuwe zin 99")
    youth.write("contact", {"telefoon": "0611111111"})  # this session stays
    with RugzakClient(server) as device, pytest.raises(ApiError):
        device.login(name, PASSPHRASE)
    with RugzakClient(server) as device:
        device.login(name, "een heel nieuwe zin 99")
        assert device.entries("contact")[0].body == {"telefoon": "0611111111"}


@pytest.mark.own_database  # every table empty
def test_delete_my_account_shreds_keys_and_removes_rows(server, youth, settings):
    youth.write("verhaal", {"tekst": "weg ermee"})
    youth.upload(io.BytesIO(b"x" * 100_000), name="id.jpg")
    with pytest.raises(ApiError):
        youth.delete_account("verkeerde zin")
    youth.delete_account(PASSPHRASE)
    counts = row_counts(settings.database_url)
    assert counts == dict.fromkeys(counts, 0)
