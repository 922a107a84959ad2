"""The page config every page carries is the Python catalogue, and the grant limits on the
sharing page are consent's `grant_limits` for the logged-in owner (CONVENTIONS 4)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from typing import Any

import httpx
import msgspec

from consent.grants.limits import grant_limits
from dossier.sections.catalogue import LIFE_AREAS, SECTIONS, ZRM_SCALE
from tests.e2e.conftest import ADULT, signed_up
from tests.oidc.support import page_session
from web.pages.config import page_config

CONFIG = re.compile(r'<script type="application/json" id="rugzak-config">(.*?)</script>', re.DOTALL)


def config_of(page: httpx.Response) -> Any:
    assert page.status_code == 200, page.status_code
    found = CONFIG.findall(page.text)
    assert len(found) == 1
    assert html.unescape(found[0]) == found[0]  # JSON as is, not HTML-escaped
    return json.loads(found[0])


def test_the_config_is_the_catalogue() -> None:
    config = page_config()
    assert [(s["key"], s["label"]) for s in config["sections"]] == list(SECTIONS.items())
    assert config["life_areas"] == list(LIFE_AREAS)
    assert [(z["score"], z["label"]) for z in config["zrm_scale"]] == list(ZRM_SCALE)
    assert config["grant_limits"] is None


def test_grant_limits_are_iso_dates() -> None:
    limits = grant_limits(dt.date(2000, 6, 1), dt.date(2026, 12, 4))
    assert page_config(limits)["grant_limits"] == {
        "default_until": "2027-05-31",
        "latest_until": "2027-05-31",
        "renewal_offered": True,
    }


def test_a_public_page_carries_the_catalogue_without_limits(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as http:
        for path in ("/aanmelden", "/inloggen"):
            assert config_of(http.get(path)) == page_config()


def test_the_sharing_page_carries_the_owners_limits(server: str) -> None:
    with (
        signed_up(server) as youth,
        httpx.Client(base_url=server, timeout=30, follow_redirects=False) as http,
    ):
        page_session(http, server, youth.api.token or "")
        config = config_of(http.get("/delen"))
        today = dt.datetime.now(dt.UTC).date()
        assert config == page_config(grant_limits(ADULT, today))
        assert config["grant_limits"] == msgspec.to_builtins(grant_limits(ADULT, today))
        assert config_of(http.get("/wie-keek"))["grant_limits"] is None
