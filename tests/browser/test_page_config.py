"""The rules the browser shows come from the page config the server renders (one source,
web/pages/config.py), not from copies in JS: the sign-up page makes the catalogue's sections,
"Wie keek" names sections by the config's Dutch labels (a label changed in the served config
shows as changed), the Delen page's limits are consent's `grant_limits`, and the JSON element
causes no CSP violation."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Route

from consent.grants.limits import grant_limits
from dossier.sections.catalogue import SECTIONS
from tests.browser.app_pages import BIRTH, AppPage, new_username, open_app_page, sign_up
from web.pages.config import page_config

CONFIG = re.compile(
    r'(<script type="application/json" id="rugzak-config">)(.*?)(</script>)', re.DOTALL
)
RENAMED = "Mijn verhaal volgens de config"


@pytest.fixture(scope="module")
def app(browser: Browser, app_url: str) -> Iterator[AppPage]:
    page = open_app_page(browser, app_url)
    yield page
    page.page.context.close()


def config_in_page(app: AppPage) -> object:
    return app.page.evaluate("JSON.parse(document.getElementById('rugzak-config').textContent)")


def renamed_story(route: Route) -> None:
    """Serve the page with "Mijn verhaal" renamed in its config only."""
    response = route.fetch()

    def rename(match: re.Match[str]) -> str:
        config = json.loads(match.group(2))
        for section in config["sections"]:
            if section["key"] == "verhaal":
                section["label"] = RENAMED
        return match.group(1) + json.dumps(config) + match.group(3)

    route.fulfill(response=response, body=CONFIG.sub(rename, response.text()))


def test_sign_up_makes_the_catalogue_sections_from_the_config(app: AppPage) -> None:
    app.goto("/aanmelden")
    assert config_in_page(app) == page_config()
    app.check()  # the JSON element is data: no CSP violation, no console error
    sign_up(app, new_username())
    [body] = [b for b in app.sent.bodies if b'"owner_sealed_sk"' in b]
    assert [s["key"] for s in json.loads(body)["sections"]] == list(SECTIONS)
    labels = app.page.locator(".rz-page h3, .rz-page h2, .rz-page a").all_text_contents()
    assert {"Contactgegevens", "Mijn verhaal", "Gesprekken en notities"} <= {
        t.strip() for t in labels
    }
    app.check()


def test_wie_keek_names_sections_by_the_config(app: AppPage) -> None:
    app.goto("/rugzak/verhaal")
    app.page.wait_for_selector("#verhaal-tekst:visible")
    app.page.fill("#verhaal-tekst", "Een verhaal voor het logboek.")
    app.page.click("#sectie-inhoud form[data-seal] button[type=submit]")
    app.page.wait_for_selector("#meldingen .rz-alert--ok")

    app.goto("/wie-keek")
    app.page.wait_for_selector("#log-lijst li")
    assert "Jij schreef iets in Mijn verhaal" in (app.page.text_content("#log-lijst") or "")
    app.check()

    app.page.route(f"{app.url}/wie-keek", renamed_story)
    try:
        app.goto("/wie-keek")
        app.page.wait_for_selector("#log-lijst li")
        assert f"Jij schreef iets in {RENAMED}" in (app.page.text_content("#log-lijst") or "")
    finally:
        app.page.unroute(f"{app.url}/wie-keek")
    app.check()


def test_delen_reads_the_owners_grant_limits(app: AppPage) -> None:
    app.goto("/delen")
    today = dt.datetime.now(dt.UTC).date()
    limits = grant_limits(dt.date.fromisoformat(BIRTH), today)
    assert config_in_page(app) == page_config(limits)
    from_js = app.page.evaluate(
        "async () => (await import('/static/js/app/config.js')).grantLimits()"
    )
    assert from_js == {
        "default_until": limits.default_until.isoformat(),
        "latest_until": limits.latest_until.isoformat() if limits.latest_until else None,
        "renewal_offered": limits.renewal_offered,
    }
    app.check()
