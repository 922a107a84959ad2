"""How long a youth may share: the one rule behind the server's check of a receipt's expiry
(`GrantService`) and the dates the browser offers (the page config, `web/pages/config.py`).

A grant lasts a year by default and ends at the latest on the owner's 27th birthday (DESIGN
§4), unless the youth renews past it: within a year of that birthday, or after it, the share
form offers to. A professional (no birth date) has no cap."""

from __future__ import annotations

import datetime as dt

import msgspec

MAX_AGE_YEARS = 27
DEFAULT_DAYS = 365


def birthday(born: dt.date, years: int) -> dt.datetime:
    """The start (00:00 UTC) of the `years`-th birthday; 29 February counts as 28 February."""
    try:
        day = born.replace(year=born.year + years)
    except ValueError:  # 29 February
        day = born.replace(year=born.year + years, day=28)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


class GrantLimits(msgspec.Struct, frozen=True, kw_only=True):
    """The end dates the share form offers (whole days, UTC). `latest_until` is the day
    before the 27th birthday (None without a birth date); `renewal_offered` says the form
    asks whether to share past it."""

    default_until: dt.date
    latest_until: dt.date | None
    renewal_offered: bool


def grant_limits(born: dt.date | None, today: dt.date) -> GrantLimits:
    """One year from `today`, never past the day before the 27th birthday, unless that day
    has come: then a year, to renew past it (only the youth decides that)."""
    year = today + dt.timedelta(days=DEFAULT_DAYS)
    if born is None:
        return GrantLimits(default_until=year, latest_until=None, renewal_offered=False)
    latest = birthday(born, MAX_AGE_YEARS).date() - dt.timedelta(days=1)
    default = year if latest <= today else min(year, latest)
    return GrantLimits(default_until=default, latest_until=latest, renewal_offered=latest < year)
