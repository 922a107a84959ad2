"""Single sign-on through an organisation's OpenID Connect provider, against a real provider
process (oidc-provider on loopback, scripts/demo-idp.mjs): success, and each refusal with a
clear Dutch page: wrong `state`, wrong `nonce`, an expired ID token, the wrong issuer (the
provider's discovery document, and the RFC 9207 `iss` response parameter), an unknown user,
a replayed answer and a removed member. After signing in, the passphrase still has to open
the keys: the server hands out only the sealed bundle."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from dossier import crypto
from dossier.client import ApiError, RugzakClient
from tests.e2e.conftest import PASSPHRASE, new_username
from tests.oidc.support import (
    CLIENT_ID,
    app_url_fixture,
    configure,
    idp_fixture,
    link,
    link_target,
    oidc_provider,
    page_session,
    provider_login,
)

app_url = app_url_fixture()
idp = idp_fixture()


@pytest.fixture(scope="module")
def coach(app_url) -> Iterator[RugzakClient]:
    with RugzakClient(app_url) as client:
        client.sign_up(new_username("coach"), PASSPHRASE, birth_date=None, kind="professional")
        yield client


@pytest.fixture(scope="module")
def org(coach, idp) -> str:
    org_id = coach.create_organisation("Jongerenloket Test", "jobcoach")
    configure(coach, org_id, idp)
    return org_id


def browser(app_url: str) -> httpx.Client:
    return httpx.Client(timeout=30, follow_redirects=False)


def start(http: httpx.Client, app_url: str, org_id: str) -> str:
    answer = http.get(f"{app_url}/inloggen/sso/{org_id}")
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


def reason(page: httpx.Response) -> str:
    found = re.search(r'data-reden="([^"]+)"', page.text)
    assert page.status_code == 403, (page.status_code, page.text[:300])
    assert found, page.text[:500]
    return found.group(1)


def with_param(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.fixture(scope="module")
def linked(coach, org, app_url, idp) -> str:
    """The coach, signed in with the passphrase, links the provider's subject "kim"."""
    with browser(app_url) as http:
        assert "Je account is gekoppeld" in link(http, app_url, coach, org, "kim")
        overview = http.get(f"{app_url}/pro/sso")
        assert "Gekoppeld" in overview.text
    return "kim"


def test_sign_in_starts_a_session_but_the_passphrase_opens_the_keys(coach, org, linked, app_url):
    with browser(app_url) as http:
        authorize = start(http, app_url, org)
        query = parse_qs(urlsplit(authorize).query)
        assert query["code_challenge_method"] == ["S256"]
        assert query["client_id"] == [CLIENT_ID]
        assert len(query["state"][0]) >= 40
        assert len(query["nonce"][0]) >= 40
        back = provider_login(http, authorize, linked, app_url)
        done = http.get(back)
        assert done.status_code == 200, done.text
        assert 'http-equiv="refresh"' in done.text
        assert "rugzak_session" in http.cookies
        unlock = http.get(f"{app_url}/pro/ontgrendelen")
        assert unlock.status_code == 200
        assert coach.unlocked().username in unlock.text
        csrf = {"x-csrftoken": http.cookies["csrftoken"]}
        assert http.get(f"{app_url}/api/v1/account/bundle").status_code == 401  # no header
        sealed = http.get(f"{app_url}/api/v1/account/bundle", headers=csrf).json()
    # Only the passphrase makes the key that opens what the server handed out.
    params = crypto.KdfParams.from_json(sealed["kdf"])
    keys = crypto.derive_subkeys(crypto.derive_master_key(PASSPHRASE, params))
    me = coach.unlocked()
    identity = crypto.open_bundle(
        crypto.SealedBundle.from_json(sealed["bundle"]), keys.wrap_key, me.account_id
    )
    assert identity.public == me.identity.public
    wrong = crypto.derive_subkeys(crypto.derive_master_key("niet-de-wachtwoordzin", params))
    with pytest.raises(crypto.CryptoError):
        crypto.open_bundle(
            crypto.SealedBundle.from_json(sealed["bundle"]), wrong.wrap_key, me.account_id
        )


def test_wrong_state_is_refused(org, linked, app_url):
    with browser(app_url) as http:
        back = provider_login(http, start(http, app_url, org), linked, app_url)
        page = http.get(with_param(back, state="een-andere-state"))
        assert reason(page) == "state"
        assert "hoort niet bij jouw inlogpoging" in page.text
        assert "rugzak_session" not in http.cookies


def test_wrong_nonce_is_refused(org, linked, app_url):
    with browser(app_url) as http:
        authorize = with_param(start(http, app_url, org), nonce="een-andere-nonce")
        page = http.get(provider_login(http, authorize, linked, app_url))
        assert reason(page) == "nonce"
        assert "rugzak_session" not in http.cookies


def test_an_answer_is_used_once(org, linked, app_url):
    with browser(app_url) as http:
        back = provider_login(http, start(http, app_url, org), linked, app_url)
        assert http.get(back).status_code == 200
        http.cookies.clear()
        flow_again = http.get(start(http, app_url, org))  # a fresh flow cookie, old answer
        assert flow_again.status_code in {200, 302, 303}
        assert reason(http.get(back)) in {"state", "flow"}


def test_unknown_user_is_refused(org, app_url):
    with browser(app_url) as http:
        page = http.get(provider_login(http, start(http, app_url, org), "niemand", app_url))
        assert reason(page) == "unknown"
        assert "nog niet gekoppeld" in page.text


def test_issuer_in_the_answer_must_match(org, linked, app_url):
    with browser(app_url) as http:
        back = provider_login(http, start(http, app_url, org), linked, app_url)
        page = http.get(with_param(back, iss="https://idp.example.org"))
        assert reason(page) == "issuer"


def test_provider_naming_another_issuer_is_refused(coach, app_url, tmp_path):
    org_id = coach.create_organisation("Andere Uitgever", "zorg")
    with oidc_provider(app_url, claimed_issuer="https://idp.example.org", log_dir=tmp_path) as url:
        configure(coach, org_id, url)
        with browser(app_url) as http:
            page = http.get(f"{app_url}/inloggen/sso/{org_id}")
            assert reason(page) == "issuer"
            assert "niet van de inlogdienst" in page.text


def test_expired_id_token_is_refused(coach, app_url, tmp_path):
    org_id = coach.create_organisation("Trage Klok", "gemeente")
    with oidc_provider(app_url, clock_offset=-1200, log_dir=tmp_path) as url:
        configure(coach, org_id, url)
        with browser(app_url) as http:
            page = http.get(provider_login(http, start(http, app_url, org_id), "kim", app_url))
            assert reason(page) == "expired"
            assert "verlopen" in page.text


def test_only_an_admin_configures_and_only_safe_issuers(coach, org, app_url):
    with RugzakClient(app_url) as other:
        other.sign_up(new_username("coach"), PASSPHRASE, birth_date=None, kind="professional")
        with pytest.raises(Exception, match="403"):
            configure(other, org, "https://idp.example.org")
    with pytest.raises(ApiError) as refused:
        configure(coach, org, "http://idp.example.org")
    assert (refused.value.status, refused.value.code) == (400, "invalid-issuer")
    assert refused.value.problem["title"] == "Er klopt iets niet in wat je stuurde."


def test_refusals_by_the_rules_are_dutch_pages_too(coach, org, linked, app_url):
    with browser(app_url) as http:
        page = http.get(f"{app_url}/inloggen/sso/{uuid.uuid4()}")
        assert reason(page) == "not-configured"
        assert "heeft inloggen via de eigen inlogdienst niet ingesteld" in page.text
    with RugzakClient(app_url) as member:
        member.sign_up(new_username("coach"), PASSPHRASE, birth_date=None, kind="professional")
        coach.add_member(org, member.unlocked().account_id)
        with browser(app_url) as http:
            csrf = page_session(http, app_url, member.api.token or "")
            started = http.post(f"{app_url}/pro/sso/{org}/koppelen", data={"_csrf_token": csrf})
            page = http.get(provider_login(http, link_target(started), linked, app_url))
            assert reason(page) == "linked-elsewhere"
            assert "al aan een ander Rugzak-account gekoppeld" in page.text
            assert "Niet gekoppeld" in http.get(f"{app_url}/pro/sso").text


def test_removed_member_cannot_sign_in(coach, app_url, idp):
    org_id = coach.create_organisation("Weg Is Weg", "jobcoach")
    configure(coach, org_id, idp)
    with RugzakClient(app_url) as member:
        member.sign_up(new_username("coach"), PASSPHRASE, birth_date=None, kind="professional")
        coach.add_member(org_id, member.unlocked().account_id)
        with browser(app_url) as http:
            assert "Je account is gekoppeld" in link(http, app_url, member, org_id, "sam")
        with browser(app_url) as http:
            ok = http.get(provider_login(http, start(http, app_url, org_id), "sam", app_url))
            assert ok.status_code == 200
        coach.remove_member(org_id, member.unlocked().account_id)
        with browser(app_url) as http:
            page = http.get(provider_login(http, start(http, app_url, org_id), "sam", app_url))
            assert reason(page) == "unknown"
