from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from dossier import crypto as c
from tests.dossier.test_crypto_support import receipt, world


def test_sign_with_datetimes_and_round_trip() -> None:
    w = world()
    start = datetime(2025, 1, 1, 1, 0, 0, 999, tzinfo=timezone(timedelta(hours=1)))
    r = receipt(
        w,
        w.coach,
        issued_at=start,
        expires_at=start + timedelta(days=365),
        permissions=["read", "append", "read"],
    )
    assert r.issued_at == "2025-01-01T00:00:00Z"
    assert r.permissions == ("append", "read")
    again = c.ConsentReceipt.from_json(r.to_json())
    assert again == r
    again.verify(w.owner.public.sign_pk)
    with pytest.raises(c.TamperedError):
        dataclasses.replace(r, key_version=2).verify(w.owner.public.sign_pk)


def test_iso27560_view() -> None:
    w = world()
    view = receipt(w, w.coach).as_iso27560()
    assert view["record_id"] == "grant-1"
    assert view["purposes"][0]["piiCategories"] == ["notities"]
    assert view["validityPeriod"]["end"] == "2026-01-01T00:00:00Z"


@pytest.mark.parametrize(
    "value",
    ["2025-02-30T00:00:00Z", "2025-01-01 00:00:00Z", datetime(2025, 1, 1)],  # noqa: DTZ001
)
def test_bad_times(value: object) -> None:
    w = world()
    with pytest.raises(c.MalformedError):
        receipt(w, w.coach, issued_at=value)


def test_bad_permissions_json() -> None:
    w = world()
    d = receipt(w, w.coach).to_json()
    with pytest.raises(c.MalformedError):
        c.ConsentReceipt.from_json({**d, "permissions": "read"})
    with pytest.raises(c.MalformedError):
        receipt(w, w.coach, permissions=[])


def test_format_time() -> None:
    assert c.format_time(datetime(2025, 5, 6, 7, 8, 9, tzinfo=UTC)) == "2025-05-06T07:08:09Z"
    assert c.format_time("2025-05-06T07:08:09Z") == "2025-05-06T07:08:09Z"
