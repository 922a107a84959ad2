"""Bad input gets a 4xx problem+json with a stable type, and nothing is written."""

import uuid

import httpx
import pytest

from dossier import crypto
from dossier.client import RugzakClient
from tests.e2e.conftest import ADULT, PASSPHRASE, new_username
from tests.support.sql import row_counts


@pytest.fixture
def api(youth, server):
    with httpx.Client(
        base_url=server, headers={"authorization": f"Bearer {youth.api.token}"}
    ) as client:
        yield client


def entries_path(youth, section="verhaal"):
    return f"/api/v1/dossiers/{youth.unlocked().dossier_id}/sections/{section}/entries"


def assert_problem(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == f"/problems/{code}"
    assert body["title"]  # a Dutch sentence a page can show as it is
    return body


def sealed_entry(youth, section="verhaal"):
    view = youth.section(section)
    me = youth.unlocked()
    return crypto.seal_entry(
        {"tekst": "hallo"},
        dossier=view.dossier,
        section=section,
        entry=str(uuid.uuid4()),
        version=1,
        author_id=me.account_id,
        author=me.identity,
        section_key=view.signed_key,
    ).to_json()


def test_malformed_json(api, youth, settings):
    before = row_counts(settings.database_url)
    response = api.post(
        entries_path(youth), content=b'{"v": 1,', headers={"content-type": "application/json"}
    )
    assert_problem(response, 400, "invalid-input")
    assert row_counts(settings.database_url) == before


def test_wrong_base64_in_an_entry(api, youth, settings):
    entry = sealed_entry(youth)
    entry["ciphertext"] = "not base64!!"
    before = row_counts(settings.database_url)
    assert_problem(api.post(entries_path(youth), json=entry), 400, "invalid-input")
    assert row_counts(settings.database_url) == before


def test_oversize_body(api, youth, settings):
    before = row_counts(settings.database_url)
    huge = {"v": 1, "ciphertext": "A" * (settings.max_json_bytes + 10)}
    assert_problem(api.post(entries_path(youth), json=huge), 413, "too-large")
    assert row_counts(settings.database_url) == before


def test_unknown_section(api, youth, settings):
    before = row_counts(settings.database_url)
    assert_problem(api.get(entries_path(youth, "hobby")), 404, "not-found")
    assert_problem(api.post(entries_path(youth, "hobby"), json={"v": 1}), 404, "not-found")
    assert row_counts(settings.database_url) == before


def test_another_users_dossier(api, server, settings):
    with RugzakClient(server) as other:
        other.sign_up(new_username("ander"), PASSPHRASE, birth_date=ADULT)
        foreign = f"/api/v1/dossiers/{other.unlocked().dossier_id}"
        before = row_counts(settings.database_url)
        assert_problem(api.get(foreign), 403, "forbidden")
        assert_problem(api.get(f"{foreign}/sections/verhaal/entries"), 403, "forbidden")
        entry = sealed_entry(other)
        assert_problem(
            api.post(f"{foreign}/sections/verhaal/entries", json=entry), 403, "forbidden"
        )
        assert_problem(api.get(f"/api/v1/dossiers/{uuid.uuid4()}"), 403, "forbidden")
        assert row_counts(settings.database_url) == before


def test_entry_for_another_section_than_the_path(api, youth, settings):
    entry = sealed_entry(youth, "geld")
    before = row_counts(settings.database_url)
    assert_problem(api.post(entries_path(youth, "verhaal"), json=entry), 400, "invalid-input")
    assert row_counts(settings.database_url) == before


def test_entry_with_a_stale_version_is_a_conflict(api, youth, settings):
    entry = sealed_entry(youth)
    assert api.post(entries_path(youth), json=entry).status_code == 201
    before = row_counts(settings.database_url)
    assert_problem(api.post(entries_path(youth), json=entry), 409, "version-conflict")
    assert row_counts(settings.database_url) == before


def test_without_a_session_every_dossier_route_says_log_in(server, youth):
    dossier = youth.unlocked().dossier_id
    for path in [f"/api/v1/dossiers/{dossier}", "/api/v1/account/", "/api/v1/account/sessions"]:
        assert_problem(httpx.get(server + path), 401, "not-authenticated")


def test_openapi_schema_is_served(server):
    schema = httpx.get(f"{server}/api/schema/openapi.json").json()
    assert "/api/v1/auth/login" in schema["paths"]


# Findings of a black-box fuzz run (issue 13): each was a 500, each must be a 4xx problem.


def test_a_log_cursor_beyond_64_bits(api, youth):
    path = f"/api/v1/dossiers/{youth.unlocked().dossier_id}/log"
    body = assert_problem(api.get(path, params={"after": 2**70}), 422, "validation")
    assert body["errors"][0]["key"] == "after"
    assert_problem(api.get(path, params={"after": 2**31}), 422, "validation")


def test_a_document_version_beyond_64_bits(api, youth):
    blob = f"{entries_path(youth, 'documenten')}/{uuid.uuid4()}/versions/{2**70}/blob"
    assert_problem(api.get(blob), 422, "validation")


@pytest.mark.parametrize(
    ("suffix", "body"),
    [
        ("grants", {"grants": {}}),
        # the fuzz run's `grants/step-down` twin is gone; its use case is the party's step-down
        (f"parties/{uuid.UUID(int=1)}/step-down", {"revoke": [], "grants": {}}),
    ],
    ids=["grants", "step-down"],  # the same on every xdist worker
)
def test_grants_of_the_wrong_shape(api, youth, server, settings, suffix, body):
    own = f"/api/v1/dossiers/{youth.unlocked().dossier_id}/{suffix}"
    with RugzakClient(server) as other:
        other.sign_up(new_username("ander"), PASSPHRASE, birth_date=ADULT)
        foreign = f"/api/v1/dossiers/{other.unlocked().dossier_id}/{suffix}"
        before = row_counts(settings.database_url)
        assert_problem(api.post(own, json=body), 422, "validation")
        assert_problem(api.post(foreign, json=body), 422, "validation")
        assert row_counts(settings.database_url) == before


def test_partner_preflight_with_any_bearer_token(server):
    for path in ("/partner/v1/campaigns", f"/partner/v1/campaigns/{uuid.uuid4()}/status"):
        response = httpx.options(server + path, headers={"authorization": "Bearer x"})
        assert_problem(response, 403, "insufficient-scope")
        assert "insufficient_scope" in response.headers["www-authenticate"]


def test_unknown_api_path_and_wrong_method(api, youth):
    body = assert_problem(api.get(f"/api/v1/{uuid.uuid4()}"), 404, "not-found")
    assert body["status"] == 404
    assert_problem(api.delete("/api/v1/account/sessions"), 405, "method-not-allowed")


def test_a_signed_checkpoint_beyond_the_databases_integers(api, youth, settings):
    """A body number that no parameter bound covers: the owner may sign any `seq`."""
    dossier = youth.unlocked().dossier_id
    checkpoint = crypto.sign_checkpoint(youth.unlocked().identity, dossier, 2**40, bytes(32))
    before = row_counts(settings.database_url)
    response = api.post(f"/api/v1/dossiers/{dossier}/log/checkpoints", json=checkpoint.to_json())
    assert_problem(response, 400, "invalid-input")
    assert row_counts(settings.database_url) == before
