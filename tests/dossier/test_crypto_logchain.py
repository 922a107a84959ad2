from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier import crypto as c

OWNER = c.Identity.generate()


def chain(n: int, dossier: str = "d") -> list[dict[str, Any]]:
    head, out = c.GENESIS, []
    for seq in range(1, n + 1):
        event = {
            "seq": seq,
            "dossier": dossier,
            "actor": "a",
            "action": "entry:read",
            "section": "verhaal" if seq % 2 else None,
            "at": "2025-01-01T00:00:00Z",
            "id": f"row-{seq}",
        }
        new = c.log_hash(head, event)
        out.append({**event, "prev_hash": c.b64e(head), "hash": c.b64e(new)})
        head = new
    return out


@given(st.integers(min_value=0, max_value=12))
def test_chain_verifies(n: int) -> None:
    events = chain(n)
    head = c.verify_chain(events)
    assert head == (c.b64d(events[-1]["hash"]) if events else c.GENESIS)


def test_unhashed_keys_do_not_matter_hashed_ones_do() -> None:
    events = chain(3)
    events[1]["id"] = "other"
    c.verify_chain(events)
    events[1]["section"] = "geld"
    with pytest.raises(c.TamperedError):
        c.verify_chain(events)


def test_checkpoint() -> None:
    events = chain(5)
    cp = c.sign_checkpoint(OWNER, "d", 3, c.b64d(events[2]["hash"]))
    assert c.Checkpoint.from_json(cp.to_json()) == cp
    c.verify_chain(events, checkpoint=cp, owner_sign_pk=OWNER.public.sign_pk)
    with pytest.raises(c.TamperedError):
        c.verify_chain(events, checkpoint=cp)
    with pytest.raises(c.TamperedError):
        c.verify_chain(events[:2], checkpoint=cp, owner_sign_pk=OWNER.public.sign_pk)
    with pytest.raises(c.TamperedError):
        c.verify_chain(chain(5, "e"), checkpoint=cp, owner_sign_pk=OWNER.public.sign_pk)


@pytest.mark.parametrize(
    ("event", "error"),
    [
        ({"v": 1}, c.UnsupportedVersion),
        (
            {"seq": 1, "dossier": "d", "actor": "a", "action": "x", "at": "t", "section": 5},
            c.MalformedError,
        ),
        ({"seq": "1"}, c.MalformedError),
    ],
)
def test_bad_events(event: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        c.log_hash(c.GENESIS, event)


def test_bad_event_in_chain_is_tampered() -> None:
    events = chain(2)
    events[1]["seq"] = "2"
    with pytest.raises(c.TamperedError):
        c.verify_chain(events)
