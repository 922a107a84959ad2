"""The grant limits the share form offers: one year, never past the day before the 27th
birthday, unless that day has come (then renewal is offered)."""

from __future__ import annotations

import datetime as dt

import pytest

from consent.grants.limits import MAX_AGE_YEARS, birthday, grant_limits

TODAY = dt.date(2026, 12, 4)
YEAR = dt.date(2027, 12, 4)


def born_turning_27_on(day: dt.date) -> dt.date:
    return day.replace(year=day.year - MAX_AGE_YEARS)


def test_a_young_owner_gets_a_year_and_the_day_before_27_as_latest() -> None:
    limits = grant_limits(dt.date(2010, 5, 1), TODAY)
    assert limits.default_until == YEAR
    assert limits.latest_until == dt.date(2037, 4, 30)
    assert not limits.renewal_offered


def test_within_a_year_of_27_the_default_stops_the_day_before_and_renewal_is_offered() -> None:
    limits = grant_limits(born_turning_27_on(dt.date(2027, 3, 10)), TODAY)
    assert limits.default_until == dt.date(2027, 3, 9)
    assert limits.latest_until == dt.date(2027, 3, 9)
    assert limits.renewal_offered


def test_27th_birthday_exactly_a_year_and_a_day_away_offers_no_renewal() -> None:
    limits = grant_limits(born_turning_27_on(YEAR + dt.timedelta(days=1)), TODAY)
    assert limits.default_until == YEAR
    assert limits.latest_until == YEAR
    assert not limits.renewal_offered


def test_27th_birthday_tomorrow_leaves_today_and_offers_a_year_to_renew() -> None:
    limits = grant_limits(born_turning_27_on(TODAY + dt.timedelta(days=1)), TODAY)
    assert limits.latest_until == TODAY
    assert limits.default_until == YEAR
    assert limits.renewal_offered


@pytest.mark.parametrize("days_ago", [0, 1, 400])
def test_on_or_past_the_27th_birthday_a_year_is_offered_only_as_renewal(days_ago: int) -> None:
    turned_27 = TODAY - dt.timedelta(days=days_ago)
    limits = grant_limits(born_turning_27_on(turned_27), TODAY)
    assert limits.latest_until == turned_27 - dt.timedelta(days=1)
    assert limits.default_until == YEAR
    assert limits.renewal_offered


def test_born_on_leap_day_the_27th_birthday_is_28_february() -> None:
    assert birthday(dt.date(2000, 2, 29), MAX_AGE_YEARS) == dt.datetime(2027, 2, 28, tzinfo=dt.UTC)
    limits = grant_limits(dt.date(2000, 2, 29), TODAY)
    assert limits.latest_until == dt.date(2027, 2, 27)
    assert limits.default_until == dt.date(2027, 2, 27)
    assert limits.renewal_offered


def test_a_professional_without_birth_date_has_no_cap() -> None:
    limits = grant_limits(None, TODAY)
    assert limits.default_until == YEAR
    assert limits.latest_until is None
    assert not limits.renewal_offered


def test_a_leap_year_ahead_still_counts_365_days() -> None:
    assert grant_limits(None, dt.date(2027, 3, 1)).default_until == dt.date(2028, 2, 29)
