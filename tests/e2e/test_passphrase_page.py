"""PUT /api/v1/account/passphrase, the route behind the page Wachtwoordzin wijzigen, on SQLite
and PostgreSQL: called as the page's script does (the HttpOnly cookie and the CSRF header).
Without a login, without the CSRF header, with a wrong old auth key, or with a malformed bundle
or weak KDF parameters it refuses and changes nothing; a good change keeps this session and ends
the others. Wrong old keys count against a per-account budget."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dossier import crypto
from dossier.client import RugzakClient
from dossier.client.api import ApiError
from tests.conftest import make_settings
from tests.e2e.conftest import ADULT, PASSPHRASE, new_username
from tests.oidc.support import page_session
from tests.support.databases import Backend
from tests.support.server import live_server
from tests.support.sql import sql
from web.settings import Settings

NEW = "een-nieuwe-zin-voor-mijn-rugzak-7"


@pytest.fixture
def other(server: str, youth: RugzakClient) -> Iterator[RugzakClient]:
    """The same youth on a second device."""
    with RugzakClient(server) as client:
        client.login(youth.unlocked().username, PASSPHRASE)
        yield client


def body(youth: RugzakClient, old: str = PASSPHRASE, new: str = NEW) -> dict[str, Any]:
    """What passphrase.js sends (dossier/client/core.py change_passphrase)."""
    me = youth.unlocked()
    old_keys = crypto.derive_subkeys(crypto.derive_master_key(old, youth._kdf_params(me.username)))
    params = crypto.KdfParams.new()
    keys = crypto.derive_subkeys(crypto.derive_master_key(new, params))
    return {
        "auth_key": crypto.b64e(old_keys.auth_key),
        "new_kdf": params.to_json(),
        "new_auth_key": crypto.b64e(keys.auth_key),
        "new_bundle": crypto.seal_bundle(me.identity, keys.wrap_key, me.account_id).to_json(),
    }


def account_row(settings: Settings, youth: RugzakClient) -> tuple[Any, ...]:
    [row] = sql(
        settings.database_url,
        "SELECT auth_hash, kdf, bundle, recovery_auth_hash, recovery_bundle FROM account"
        " WHERE username = :u",
        {"u": youth.unlocked().username},
    )
    return tuple(row)


def post(http: httpx.Client, json: dict[str, Any], *, csrf: bool = True) -> httpx.Response:
    headers = {"x-csrftoken": http.cookies["csrftoken"]} if csrf else {}
    return http.put("/api/v1/account/passphrase", json=json, headers=headers)


def refused(answer: httpx.Response, status: int, code: str) -> None:
    assert answer.status_code == status, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["type"].endswith(f"/{code}")


def still_in(client: RugzakClient) -> bool:
    try:
        client.sessions()
    except ApiError as error:
        if error.status != 401:
            raise
        return False
    return True


def test_without_a_login_the_page_and_route_refuse(server: str) -> None:
    with httpx.Client(base_url=server, follow_redirects=False) as http:
        page = http.get("/wachtwoordzin")
        assert page.is_redirect
        assert page.headers["location"].startswith("/inloggen")
        http.get("/inloggen")  # the CSRF cookie, as a browser has it
        refused(post(http, {}), 401, "not-authenticated")


def test_without_csrf_or_with_a_wrong_old_key_nothing_changes(
    server: str, settings: Settings, youth: RugzakClient, other: RugzakClient
) -> None:
    before = account_row(settings, youth)
    with httpx.Client(base_url=server, follow_redirects=False) as http:
        page_session(http, server, youth.api.token or "")
        good = body(youth)

        forged = post(http, good, csrf=False)  # the cookie alone is no caller
        refused(forged, 401, "not-authenticated")
        assert account_row(settings, youth) == before

        wrong = body(youth, old="dit-is-niet-mijn-wachtwoordzin")
        refused(post(http, wrong), 401, "invalid-credentials")
        assert account_row(settings, youth) == before
        assert still_in(other)
        assert http.get("/wachtwoordzin").status_code == 200  # a wrong key is not a logout


MALFORMED = {
    "bundle": lambda b: b | {"new_bundle": {"v": 1, "nonce": "AA", "ct": "AA"}},
    "weak kdf": lambda b: b | {"new_kdf": b["new_kdf"] | {"opslimit": 1}},
    "short auth key": lambda b: b | {"new_auth_key": crypto.b64e(b"te-kort")},
}


@pytest.mark.parametrize("spoil", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_change_is_refused_and_changes_nothing(
    server: str,
    settings: Settings,
    youth: RugzakClient,
    other: RugzakClient,
    spoil: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    before = account_row(settings, youth)
    with httpx.Client(base_url=server, follow_redirects=False) as http:
        page_session(http, server, youth.api.token or "")
        refused(post(http, spoil(body(youth))), 400, "invalid-input")
    assert account_row(settings, youth) == before
    assert still_in(other)


def test_a_change_keeps_this_session_and_the_recovery_code(
    server: str, settings: Settings, youth: RugzakClient, other: RugzakClient
) -> None:
    before = account_row(settings, youth)
    with httpx.Client(base_url=server, follow_redirects=False) as http:
        page_session(http, server, youth.api.token or "")
        answer = post(http, body(youth))
        assert answer.status_code == 204, answer.text[:300]
        assert http.get("/wachtwoordzin").status_code == 200
    after = account_row(settings, youth)
    assert after[:3] != before[:3]  # auth hash, KDF salt and bundle are new
    assert after[3:] == before[3:]  # the recovery proof and bundle are untouched
    assert not still_in(other)
    assert still_in(youth)
    with RugzakClient(server) as again:
        with pytest.raises(ApiError):
            again.login(youth.unlocked().username, PASSPHRASE)
        again.login(youth.unlocked().username, NEW)
        assert again.unlocked().identity.public == youth.unlocked().identity.public


def test_wrong_old_keys_are_throttled_per_account(sqlite_backend: Backend, tmp_path: Path) -> None:
    """Its own app with a small budget; SQLite only, the counter is not in the database."""
    slow = make_settings(sqlite_backend.fresh_url(), tmp_path, login_rate_per_minute=2)
    with live_server(slow) as url, RugzakClient(url) as youth:
        youth.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
        wrong = body(youth, old="dit-is-niet-mijn-wachtwoordzin")
        with httpx.Client(base_url=url, follow_redirects=False) as http:
            page_session(http, url, youth.api.token or "")
            for _ in range(2):
                refused(post(http, wrong), 401, "invalid-credentials")
            refused(post(http, body(youth)), 429, "too-many-attempts")


def test_a_professional_keeps_their_own_menu_on_the_account_pages(
    server: str, coach: RugzakClient
) -> None:
    with httpx.Client(base_url=server, timeout=30) as http:
        page_session(http, server, coach.api.token or "")
        for path in ("/sessies", "/wachtwoordzin"):
            page = http.get(path)
            assert page.status_code == 200
            assert 'href="/pro">Mijn jongeren' in page.text
            assert 'href="/rugzak">Mijn rugzak' not in page.text
