"""The one Dutch way to show time and devices on the server side (Jinja filters, registered in
`web/pages/__init__.py`). Its twin in the browser is `web/static/js/app/dates.js`; both
show Europe/Amsterdam time:

- `datum`: "2 december 2026" (in running text)
- `datum_kort`: "02-12-2026" (in tables and lists)
- `tijd`: "14:02"
- `moment`: "2 december 2026 om 14:02"
- `apparaat`: "Chrome op Android" from a User-Agent header (ua-parser), never the raw string.

A value may be an aware datetime, a naive datetime (taken as UTC, as the database stores
them), a date (shown as it is), or an ISO string such as the `at` of an entry."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from ua_parser import parse

from dossier.dutch import MONTHS

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

When = dt.datetime | dt.date | str


def _local(value: When) -> dt.datetime | dt.date:
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        value = dt.datetime.fromisoformat(text)
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(AMSTERDAM)
    return value


def datum(value: When | None) -> str:
    """'2 december 2026'; '' for None."""
    if value is None or value == "":
        return ""
    day = _local(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def datum_kort(value: When | None) -> str:
    """'02-12-2026'; '' for None."""
    if value is None or value == "":
        return ""
    day = _local(value)
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def tijd(value: When | None) -> str:
    """'14:02' in Amsterdam time; '' for None or a bare date."""
    if value is None or value == "":
        return ""
    local = _local(value)
    return f"{local.hour:02d}:{local.minute:02d}" if isinstance(local, dt.datetime) else ""


def moment(value: When | None) -> str:
    """'2 december 2026 om 14:02'."""
    if value is None or value == "":
        return ""
    at = tijd(value)
    return f"{datum(value)} om {at}" if at else datum(value)


@lru_cache(maxsize=256)
def apparaat(user_agent: str | None) -> str:
    """'Chrome op Android', 'Safari op iOS', 'Firefox' or 'Onbekend apparaat'."""
    if not user_agent:
        return "Onbekend apparaat"
    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else None
    system = result.os.family if result.os else None
    if browser in (None, "Other"):
        if system not in (None, "Other"):
            return f"Een programma op {system}"
        return "Een programma (geen browser)"
    browser = browser.removesuffix(" Mobile").removeprefix("Mobile ")
    if system in (None, "Other"):
        return browser
    return f"{browser} op {system}"


FILTERS = {
    "datum": datum,
    "datum_kort": datum_kort,
    "tijd": tijd,
    "moment": moment,
    "apparaat": apparaat,
}
