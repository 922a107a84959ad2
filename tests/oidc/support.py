"""Test support for single sign-on: a real OpenID Connect provider process (panva's
oidc-provider from npm, run with Node on loopback by scripts/demo-idp.mjs, the same script as
`make idp`, here in its "any login" mode), the app on a port known in advance (its `base_url` is
part of the redirect URI the provider checks), the `app_url` and `idp` fixtures that tests
share, and a driver for the provider's login page over plain HTTP."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from dossier.client import RugzakClient
from tests.conftest import make_settings
from tests.support.databases import Backend
from tests.support.postgres import free_port
from tests.support.server import live_server
from web.demo.sso import IdpUnavailable, idp_process, node_for_idp
from web.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "rugzak-test"
CALLBACK = "/inloggen/sso/terug"


@contextmanager
def oidc_provider(
    redirect_base: str,
    *,
    claimed_issuer: str | None = None,
    clock_offset: int = 0,
    log_dir: Path | None = None,
    demo_accounts: bool = False,
    client_id: str = CLIENT_ID,
) -> Iterator[str]:
    """Start the provider script on a free port; yields the URL it is reached at. Any login
    name signs in as that subject, unless `demo_accounts` (scripts/demo-idp.json)."""
    port = free_port()
    env = {
        "OIDC_CLIENTS": json.dumps(
            [{"client_id": client_id, "redirect_uris": [redirect_base + CALLBACK]}]
        ),
        "OIDC_CLOCK_OFFSET": str(clock_offset),
    }
    if not demo_accounts:
        env["OIDC_ACCOUNTS"] = "any"
    if claimed_issuer:
        env["OIDC_ISSUER"] = claimed_issuer
    try:
        node_for_idp()
    except IdpUnavailable as exc:
        pytest.fail(f"single sign-on tests {exc}")
    log = (log_dir or ROOT / "var") / f"oidc-provider-{port}.log"
    with idp_process(port, env, log) as url:
        yield url


@contextmanager
def app_at_known_port(settings_for: Callable[[str], Settings]) -> Iterator[str]:
    """Like tests.support.server.live_server, but the port is chosen first so the settings
    can carry the app's own `base_url` (the redirect URI the provider was told)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with live_server(settings_for(url), port) as served:
        yield served


def app_url_fixture() -> Any:
    """A module's `app_url` fixture: the app on a known port with a fresh SQLite database."""

    @pytest.fixture(scope="module")
    def app_url(sqlite_backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
        tmp = tmp_path_factory.mktemp("sso-app")
        db = sqlite_backend.fresh_url()
        with app_at_known_port(lambda url: make_settings(db, tmp, base_url=url)) as url:
            yield url

    return app_url


def idp_fixture() -> Any:
    """A module's `idp` fixture: a provider that sends the browser back to `app_url`."""

    @pytest.fixture(scope="module")
    def idp(app_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
        with oidc_provider(app_url, log_dir=tmp_path_factory.mktemp("idp")) as url:
            yield url

    return idp


def configure(admin: RugzakClient, org_id: str, issuer: str, client_id: str = CLIENT_ID) -> None:
    """An admin points the organisation at a provider (the JSON API)."""
    admin.api.call(
        "PUT",
        f"/api/v1/organisations/{org_id}/oidc",
        json={"issuer": issuer, "client_id": client_id},
    )


FORM = re.compile(r"<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", re.DOTALL | re.IGNORECASE)
INPUT = re.compile(r"<input([^>]*)>", re.IGNORECASE)
ATTR = re.compile(r"(\w+)=\"([^\"]*)\"")


def provider_login(
    http: httpx.Client, authorize_url: str, login: str, app_url: str, password: str = "om-het-even"
) -> str:
    """Follow the provider from the authorization request through its login form, as a
    browser would; returns the URL it sends the browser back to."""
    response = http.get(authorize_url)
    for _ in range(12):
        if response.is_redirect:
            target = urljoin(str(response.url), response.headers["location"])
            if target.startswith(app_url + CALLBACK):
                return target
            response = http.get(target)
            continue
        assert response.status_code == 200, (response.status_code, response.text[:500])
        match = FORM.search(response.text)
        assert match, response.text[:500]
        fields: dict[str, str] = {}
        for raw in INPUT.findall(match.group(2)):
            attrs = dict(ATTR.findall(raw))
            if "name" in attrs:
                fields[attrs["name"]] = unescape(attrs.get("value", ""))
        if "login" in fields:
            fields.update(login=login, password=password)
        response = http.post(urljoin(str(response.url), unescape(match.group(1))), data=fields)
    raise AssertionError("the provider never sent the browser back")


def page_session(http: httpx.Client, app_url: str, token: str) -> str:
    """Trade an API token for the page cookie, as the login page does; returns the CSRF
    token for later form posts."""
    page = http.get(f"{app_url}/inloggen")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert csrf
    answer = http.post(
        f"{app_url}/sessie",
        headers={"authorization": f"Bearer {token}", "x-csrftoken": csrf.group(1)},
    )
    assert answer.status_code == 204, answer.text
    return csrf.group(1)


def link_target(page: httpx.Response) -> str:
    """Linking answers with a page that sends the browser on to the provider."""
    assert page.status_code == 200, page.text[:300]
    found = re.search(r'id="verder" href="([^"]+)"', page.text)
    assert found, page.text[:500]
    return unescape(found.group(1))


def link(http: httpx.Client, app_url: str, member: RugzakClient, org_id: str, login: str) -> str:
    """`member`, signed in with the passphrase, links the provider's `login` (Koppelen);
    returns the page Rugzak shows at the end."""
    csrf = page_session(http, app_url, member.api.token or "")
    started = http.post(f"{app_url}/pro/sso/{org_id}/koppelen", data={"_csrf_token": csrf})
    done = http.get(provider_login(http, link_target(started), login, app_url))
    assert done.status_code == 200, done.text[:300]
    return done.text
