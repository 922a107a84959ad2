"""Heaviest files first, so both xdist workers finish at about the same time.

`make test` distributes whole files (`--dist loadfile`: browser journeys share state between
the tests of one file) in collection order, each to the next free worker. A long file that is
collected last runs alone while the other worker sits idle; started first, it runs beside
all the short ones. The list holds the files whose tests took 20 s or more in the
`--durations` of a CI run (docs/testing.md, "Finding slow tests"); order inside a file is
kept, and a file not listed keeps its place after them.
"""

from __future__ import annotations

import pytest

HEAVIEST = (
    "tests/e2e/test_campaign_cohort.py",
    "tests/e2e/test_recovery.py",
    "tests/browser/test_recovery_contact.py",
    "tests/browser/test_pro_caseload.py",
    "tests/browser/test_youth_phone.py",
    "tests/browser/test_school_campaign.py",
    "tests/browser/test_pro_org_admin.py",
    "tests/browser/test_change_passphrase.py",
    "tests/browser/test_pro_journey.py",
    "tests/browser/test_pro_handover.py",
    "tests/browser/test_youth_sharing.py",
    "tests/test_suite_guards.py",
)


def rank(item: pytest.Item) -> int:
    path = item.nodeid.split("::", 1)[0]
    return HEAVIEST.index(path) if path in HEAVIEST else len(HEAVIEST)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=rank)  # stable: the order inside a file and among the rest is kept
