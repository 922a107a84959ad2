"""A page action without a valid CSRF token is refused before anything changes, and the person
is told in Dutch to reload: as a page for a form, as problem+json for a page's script (which
calls `/api/v1` with the page cookie and the CSRF header)."""

from __future__ import annotations

from tests.browser.test_pro_access import pages_of

RELOAD = "Deze pagina was verlopen. Laad de pagina opnieuw en probeer het nog eens."


def test_a_form_without_its_token_gets_a_dutch_page_and_stays_logged_in(server, youth):
    with pages_of(server, youth) as http:
        refused = http.post("/uitloggen", data={"_csrf_token": "oud"})
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("text/html")
        assert '<html lang="nl"' in refused.text
        assert RELOAD in refused.text
        assert http.get("/sessies").status_code == 200  # the logout did not happen


def test_a_page_script_without_its_token_gets_problem_json(server, youth, coach):
    youth.share(["contact"], coach.unlocked().account_id, purpose="Begeleiding")
    grant = youth.grants()[0]["id"]
    dossier = youth.unlocked().dossier_id
    with pages_of(server, youth) as http:
        refused = http.post(
            f"/api/v1/dossiers/{dossier}/grants/revoke",
            json={"grant_ids": [grant]},
            headers={"accept": "application/json", "x-csrftoken": "oud"},
        )
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"].endswith("/page-expired")
        assert refused.json()["title"] == RELOAD
    assert [g["section"] for g in coach.my_grants()] == ["contact"]
