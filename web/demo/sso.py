"""Single sign-on in the demo: the demo organisation signs in through the demo identity provider
(`scripts/demo-idp.mjs`, `make idp`), and the demo coach is linked to their account there.

The link is made the way every professional makes it, over HTTP like a browser: signed in with
the passphrase, *Koppelen*, signed in at the provider, back at Rugzak. No row is written behind
the app's back, and the server never learns more than it does for a real link. Linking needs
the provider, so when nothing answers at the issuer yet, the demo runs the script there for the
few seconds it takes.

DEMO ONLY: the provider's accounts and passwords are public (`scripts/demo-idp.json`)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from dossier.client import ApiError, RugzakClient

ROOT = Path(__file__).resolve().parents[2]
IDP_SCRIPT = ROOT / "scripts" / "demo-idp.mjs"
IDP_CONFIG = ROOT / "scripts" / "demo-idp.json"
CALLBACK = "/inloggen/sso/terug"
LOOPBACK = frozenset({"127.0.0.1", "localhost"})
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
ONWARD = re.compile(r'id="verder" href="([^"]+)"')


class IdpUnavailable(Exception):
    """The demo identity provider is not running and cannot be started here."""


class LinkFailed(Exception):
    """Rugzak or the provider answered something the demo's link did not expect."""


@dataclass(frozen=True, slots=True)
class DemoAccount:
    login: str
    password: str
    sub: str
    rugzak_username: str


@dataclass(frozen=True, slots=True)
class DemoIdp:
    issuer: str
    client_id: str
    accounts: tuple[DemoAccount, ...]

    def account_of(self, username: str) -> DemoAccount | None:
        return next((a for a in self.accounts if a.rugzak_username == username), None)


def demo_idp(issuer: str | None = None) -> DemoIdp:
    """The demo provider as `scripts/demo-idp.json` describes it (on its own port unless the
    caller runs it elsewhere)."""
    data = json.loads(IDP_CONFIG.read_text(encoding="utf-8"))
    return DemoIdp(
        issuer=issuer or f"http://127.0.0.1:{data['port']}",
        client_id=data["client_id"],
        accounts=tuple(
            DemoAccount(a["login"], a["password"], a["sub"], a["rugzak_username"])
            for a in data["accounts"]
        ),
    )


def node_for_idp() -> str:
    """Node, if the provider script can run here."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        raise IdpUnavailable("need Node and `npm ci` (the oidc-provider package)")
    return node


@contextmanager
def idp_process(port: int, env: Mapping[str, str], log: Path) -> Iterator[str]:
    """Run `scripts/demo-idp.mjs` on 127.0.0.1:`port` until the block ends; yields the URL it
    is reached at. `env` adds its settings (see the script). Ended by its PID."""
    node = node_for_idp()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603  (our own script, no shell)
            [node, str(IDP_SCRIPT)],
            cwd=ROOT,
            env={**os.environ, **env, "OIDC_PORT": str(port)},
            stdout=out,
            stderr=out,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise IdpUnavailable(f"the identity provider stopped while starting (see {log})")
        try:
            if httpx.get(f"{url}/.well-known/openid-configuration", timeout=1).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise IdpUnavailable(f"the identity provider did not start (see {log})")


def answers(issuer: str) -> bool:
    """Whether an OpenID Connect provider naming exactly `issuer` answers there."""
    try:
        found = httpx.get(f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=2)
        return found.is_success and found.json().get("issuer") == issuer
    except (httpx.HTTPError, ValueError):
        return False


@contextmanager
def provider_at(issuer: str) -> Iterator[None]:
    """The provider at `issuer`: the one already running there, or else the demo script, run
    there until the block ends (only on a loopback address)."""
    if answers(issuer):
        yield
        return
    parts = urlsplit(issuer)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK or parts.port is None:
        raise IdpUnavailable(f"nothing answers at {issuer}")
    log = ROOT / "var" / "demo-idp.log"
    with idp_process(parts.port, {"OIDC_ISSUER": issuer}, log):
        yield


def _browser() -> httpx.Client:
    """Just enough of a browser. Like a browser, it counts http://127.0.0.1 as a secure context
    and sends Secure cookies back to it (Python's cookie jar would not)."""
    http = httpx.Client(timeout=30, follow_redirects=False)

    def keep_secure_cookies(_: httpx.Response) -> None:
        for cookie in http.cookies.jar:
            if cookie.domain.removesuffix(".local") in LOOPBACK:
                cookie.secure = False

    http.event_hooks["response"] = [keep_secure_cookies]
    return http


def _found(pattern: re.Pattern[str], page: httpx.Response) -> str:
    match = pattern.search(page.text)
    if page.status_code != 200 or match is None:
        raise LinkFailed(f"linking stopped at {page.url} ({page.status_code})")
    return unescape(match.group(1))


def _sign_in_at_provider(http: httpx.Client, authorize: str, account: DemoAccount) -> str:
    """The provider's login page, then its redirects; returns the query it sends back."""
    page, signed_in = http.get(authorize), False
    for _ in range(10):
        location: str | None = page.headers.get("location")
        if location is None:
            if signed_in or 'name="password"' not in page.text:
                raise LinkFailed(f"the identity provider answered {page.status_code}")
            form = {"login": account.login, "password": account.password}
            page, signed_in = http.post(str(page.url), data=form), True
            continue
        target = urljoin(str(page.url), location)
        if urlsplit(target).path == CALLBACK:
            return urlsplit(target).query
        page = http.get(target)
    raise LinkFailed("the identity provider never sent the browser back")


def link(url: str, professional: RugzakClient, org_id: str, account: DemoAccount) -> None:
    """Link `professional` (signed in with the passphrase) to `account` at the organisation's
    provider, through the pages a person uses (/pro/sso → Koppelen)."""
    with _browser() as http:
        csrf = _found(CSRF, http.get(f"{url}/inloggen"))
        session = http.post(
            f"{url}/sessie",
            headers={"authorization": f"Bearer {professional.api.token}", "x-csrftoken": csrf},
        )
        if not session.is_success:
            raise LinkFailed(f"no page session ({session.status_code})")
        onward = http.post(f"{url}/pro/sso/{org_id}/koppelen", data={"_csrf_token": csrf})
        query = _sign_in_at_provider(http, _found(ONWARD, onward), account)
        # The provider sends the browser to RUGZAK_BASE_URL; the demo may run elsewhere.
        done = http.get(f"{url}{CALLBACK}?{query}")
        if done.status_code != 200 or "gekoppeld" not in done.text:
            raise LinkFailed(f"Rugzak refused the link ({done.status_code})")


def set_up(url: str, coach: RugzakClient, org_id: str, issuer: str | None) -> list[str]:
    """Point the organisation at the demo provider and link the coach; returns what to print.
    Single sign-on is extra: when it cannot be set up here, the rest of the demo still loads."""
    if not IDP_CONFIG.is_file():
        return [f"single sign-on: not set up ({IDP_CONFIG} is missing)"]
    idp = demo_idp(issuer)
    try:
        coach.api.call(
            "PUT",
            f"/api/v1/organisations/{org_id}/oidc",
            json={"issuer": idp.issuer, "client_id": idp.client_id},
        )
    except ApiError as exc:
        if exc.code != "invalid-issuer":
            raise
        refused = (
            f"single sign-on: not set up: this server refuses a plain-http provider ({idp.issuer})"
        )
        return [
            refused,
            "  run the demo and the server with RUGZAK_OIDC_LOOPBACK_HTTP=true (make run does)",
        ]
    lines = [f"single sign-on: the demo identity provider at {idp.issuer} (`make idp`; DEMO ONLY)"]
    account = idp.account_of(coach.unlocked().username)
    if account is None:
        return lines
    try:
        with provider_at(idp.issuer):
            link(url, coach, org_id, account)
    except (IdpUnavailable, LinkFailed, httpx.HTTPError) as exc:
        retry = f"start `make idp`, sign in as {account.rugzak_username}, link once at /pro/sso"
        return [*lines, f"  not linked ({exc}): {retry}"]
    how = (
        f"  Inloggen via je organisatie: {account.login} / {account.password} at the provider,"
        f" then the passphrase of {account.rugzak_username} opens the keys"
    )
    return [*lines, how]
