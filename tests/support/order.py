"""Heaviest files first, so both xdist workers finish at about the same time.

`make test` distributes whole files (`--dist loadfile`: browser journeys share state between
the tests of one file) in collection order, each to the next free worker. A long file that is
collected last runs alone while the other worker sits idle; started first, it runs beside
all the short ones. The list holds the files whose tests (setup, call and teardown
together) took 38 s or more in a `--durations=0` run of the whole suite, longest first
(docs/testing.md, "Finding slow tests"); order inside a file is kept, and a file not listed
keeps its place after them.
"""

from __future__ import annotations

import pytest

HEAVIEST = (
    "tests/e2e/test_access_log.py",
    "tests/e2e/test_organisations.py",
    "tests/e2e/test_notifications.py",
    "tests/browser/test_school_campaign.py",
    "tests/e2e/test_grants.py",
    "tests/e2e/test_handover.py",
    "tests/e2e/test_demo.py",
    "tests/e2e/test_campaigns.py",
    "tests/browser/test_recovery_contact.py",
    "tests/dossier/blobs/test_s3.py",
    "tests/browser/test_pro_caseload.py",
    "tests/browser/test_youth_phone.py",
    "tests/e2e/test_manifests.py",
    "tests/e2e/test_passphrase_page.py",
    "tests/browser/test_pro_org_admin.py",
    "tests/browser/test_change_passphrase.py",
    "tests/browser/test_push_button.py",
    "tests/e2e/test_org_pages.py",
    "tests/browser/test_pro_journey.py",
    "tests/browser/test_pro_handover.py",
    "tests/e2e/test_campaign_cohort.py",
    "tests/e2e/test_grant_ends.py",
    "tests/e2e/test_bad_input.py",
    "tests/e2e/test_accounts.py",
    # Split from test_recovery.py: placed by two runs beside test_bad_input.py and
    # test_accounts.py (their times overlapped), not yet by a whole-suite run.
    "tests/e2e/test_recovery_contacts.py",
    "tests/e2e/test_recovery_attacks.py",
    "tests/e2e/test_recovery_journey.py",
    "tests/browser/test_pro_zrm.py",
    "tests/browser/test_youth_sharing.py",
    "tests/browser/test_notices.py",
    "tests/test_suite_guards.py",
)


def rank(item: pytest.Item) -> int:
    path = item.nodeid.split("::", 1)[0]
    return HEAVIEST.index(path) if path in HEAVIEST else len(HEAVIEST)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=rank)  # stable: the order inside a file and among the rest is kept
