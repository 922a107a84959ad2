"""The share form's expiry bounds: a year by default, never past the day before the 27th
birthday unless renewed, and the renewal offered within a year of that day or past it."""

import datetime as dt

import pytest

from consent.grants.limits import DEFAULT_DAYS, expiry_bounds

NOW = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
A_YEAR = (NOW + dt.timedelta(days=DEFAULT_DAYS)).date().isoformat()


def test_without_a_birth_date_a_year_and_no_cap():
    bounds = expiry_bounds(None, NOW)
    assert (bounds.default, bounds.latest, bounds.renew_offered) == (A_YEAR, "", False)


def test_far_from_27_a_year_and_the_cap_as_the_latest_day():
    bounds = expiry_bounds(dt.date(2008, 3, 1), NOW)
    assert (bounds.default, bounds.latest, bounds.renew_offered) == (
        A_YEAR,
        "2035-02-28",
        False,
    )


def test_within_a_year_of_27_the_cap_and_the_offer_to_renew():
    bounds = expiry_bounds(dt.date(2000, 6, 10), NOW)
    assert (bounds.default, bounds.latest, bounds.renew_offered) == (
        "2027-06-09",
        "2027-06-09",
        True,
    )


@pytest.mark.parametrize(
    ("born", "latest"), [(dt.date(1999, 12, 5), "2026-12-04"), (dt.date(1990, 1, 1), "2016-12-31")]
)
def test_on_or_past_the_last_day_a_year_to_renew(born, latest):
    bounds = expiry_bounds(born, NOW)
    assert (bounds.default, bounds.latest, bounds.renew_offered) == (A_YEAR, latest, True)


def test_a_29_february_birthday_counts_from_28_february():
    bounds = expiry_bounds(dt.date(2000, 2, 29), NOW)
    assert bounds.latest == "2027-02-27"
