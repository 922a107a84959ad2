"""Test support for single sign-on: a real OpenID Connect provider process (panva's
oidc-provider from npm, run with Node on loopback by provider.mjs), the app on a port known in
advance (its `base_url` is part of the redirect URI the provider checks), and a driver for the
provider's development login form over plain HTTP."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from tests.support.postgres import free_port
from tests.support.server import live_server
from web.settings import Settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CLIENT_ID = "rugzak-test"
CALLBACK = "/inloggen/sso/terug"


@contextmanager
def oidc_provider(
    redirect_base: str,
    *,
    claimed_issuer: str | None = None,
    clock_offset: int = 0,
    log_dir: Path | None = None,
) -> Iterator[str]:
    """Start provider.mjs on a free port; yields the URL it is reached at. Stopped by its PID."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("single sign-on tests need Node and `npm ci` (oidc-provider)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    clients = [{"client_id": CLIENT_ID, "redirect_uris": [redirect_base + CALLBACK]}]
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENTS": json.dumps(clients),
        "OIDC_CLOCK_OFFSET": str(clock_offset),
    }
    if claimed_issuer:
        env["OIDC_ISSUER"] = claimed_issuer
    log = (log_dir or ROOT / "var") / f"oidc-provider-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [node, str(HERE / "provider.mjs")], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        _wait_until_up(f"{url}/.well-known/openid-configuration", process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the OpenID Connect provider stopped while starting")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError("the OpenID Connect provider did not start")


@contextmanager
def app_at_known_port(settings_for: object) -> Iterator[str]:
    """Like tests.support.server.live_server, but the port is chosen first so the settings
    can carry the app's own `base_url` (the redirect URI the provider was told)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings: Settings = settings_for(url)  # type: ignore[operator]
    with live_server(settings, port) as served:
        yield served


FORM = re.compile(r"<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", re.DOTALL | re.IGNORECASE)
INPUT = re.compile(r"<input([^>]*)>", re.IGNORECASE)
ATTR = re.compile(r"(\w+)=\"([^\"]*)\"")


def provider_login(http: httpx.Client, authorize_url: str, login: str, app_url: str) -> str:
    """Follow the provider from the authorization request through its login (and, if asked,
    consent) form, as a browser would; returns the URL it sends the browser back to."""
    response = http.get(authorize_url)
    for _ in range(12):
        if response.is_redirect:
            target = urljoin(str(response.url), response.headers["location"])
            if target.startswith(app_url + CALLBACK):
                return target
            response = http.get(target)
            continue
        match = FORM.search(response.text)
        assert match, response.text[:500]
        fields: dict[str, str] = {}
        for raw in INPUT.findall(match.group(2)):
            attrs = dict(ATTR.findall(raw))
            if "name" in attrs:
                fields[attrs["name"]] = unescape(attrs.get("value", ""))
        if "login" in fields:
            fields.update(login=login, password="om-het-even")
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
