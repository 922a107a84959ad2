"""One Dutch way to show time: the server's filters (web/dutch.py) and the browser's module
(web/static/js/app/dates.js, run in Node) give the same text for the same instant, in
Europe/Amsterdam, across both daylight-saving changes and the turn of the year; and session
devices are named in Dutch from the User-Agent, never shown raw."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from web.dutch import apparaat, datum, datum_kort, moment, tijd

DATES_JS = Path(__file__).resolve().parents[2] / "web" / "static" / "js" / "app" / "dates.js"
INSTANTS = [
    "2026-03-29T00:59:59Z",  # 01:59 winter time, the last minute before summer time
    "2026-03-29T01:00:00Z",  # 03:00 summer time
    "2026-10-25T00:30:00Z",  # 02:30 summer time
    "2026-10-25T01:30:00Z",  # 02:30 winter time
    "2026-12-31T23:30:00Z",  # already 1 januari 2027 in Amsterdam
    "2026-12-02T13:02:00Z",
    "2026-09-01",  # a date typed in a date field: never shifted
]


def browser_forms() -> list[list[str]]:
    node = shutil.which("node")
    assert node is not None
    script = (
        f"import('{DATES_JS.as_uri()}').then((d) => console.log(JSON.stringify("
        f"{json.dumps(INSTANTS)}.map((v) => "
        "[d.datum(v), d.datumKort(v), d.tijd(v), d.moment(v)]))))"
    )
    out = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    forms: list[list[str]] = json.loads(out.stdout)
    return forms


def test_server_and_browser_show_the_same_date_and_time() -> None:
    server = [[datum(v), datum_kort(v), tijd(v), moment(v)] for v in INSTANTS]
    assert browser_forms() == server
    assert server[0] == ["29 maart 2026", "29-03-2026", "01:59", "29 maart 2026 om 01:59"]
    assert server[1][2] == "03:00"
    assert server[4][:2] == ["1 januari 2027", "01-01-2027"]
    assert server[6] == ["1 september 2026", "01-09-2026", "", "1 september 2026"]


@pytest.mark.parametrize(
    ("agent", "shown"),
    [
        (
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/120.0.0.0 Mobile Safari/537.36"
            ),
            "Chrome op Android",
        ),
        (
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
                "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
            ),
            "Safari op iOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "Firefox op Windows",
        ),
        ("python-httpx/0.28.1", "Een programma (geen browser)"),
        (None, "Onbekend apparaat"),
    ],
)
def test_a_session_device_is_named_in_dutch(agent: str | None, shown: str) -> None:
    assert apparaat(agent) == shown
