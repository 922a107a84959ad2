"""How long the owner's share form offers a grant to run: the one home of that rule.

A grant runs a year by default and never past the day before the owner's 27th birthday
(`GrantService` refuses it, `PastAgeCap`), unless the owner chose to renew past it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from consent.grants.service import MAX_AGE_YEARS, birthday

DEFAULT_DAYS = 365


@dataclass(frozen=True)
class ExpiryBounds:
    """ISO dates for the share form: the default, and the latest without renewing ("" when
    the owner's birth date is unknown); `renew_offered` within a year of that day or past it."""

    default: str
    latest: str
    renew_offered: bool


def expiry_bounds(birth_date: dt.date | None, now: dt.datetime) -> ExpiryBounds:
    """One year, never past 27 (the day before the 27th birthday), unless that day has
    passed: then a year, to renew. Within a year of that day the form offers to renew past
    it: grants end at 27 "unless renewed", and only the youth decides that."""
    default = (now + dt.timedelta(days=DEFAULT_DAYS)).date()
    if birth_date is None:
        return ExpiryBounds(default.isoformat(), "", renew_offered=False)
    cap = (birthday(birth_date, MAX_AGE_YEARS) - dt.timedelta(days=1)).date()
    chosen = default if cap <= now.date() else min(default, cap)
    return ExpiryBounds(chosen.isoformat(), cap.isoformat(), renew_offered=cap < default)
