"""Replay every committed vector (positive and negative) from its JSON alone, through the ops of
tests/support/vector_ops/."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dossier import crypto as c
from tests.support.vector_ops import OPS, VECTORS


def _cases() -> list[Any]:
    out = []
    for path in sorted(VECTORS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["v"] == c.VERSION
        out += [pytest.param(case, id=f"{path.stem}:{case['name']}") for case in doc["cases"]]
    return out


@pytest.mark.parametrize("case", _cases())
def test_vector(case: dict[str, Any]) -> None:
    run = OPS[case["op"]]
    if "error" in case:
        with pytest.raises(c.CryptoError) as info:
            run(case["inputs"])
        assert type(info.value).__name__ == case["error"]
        assert case.get("reason", "") in str(info.value)
        return
    got = run(case["inputs"])
    expected = case["expected"]
    assert got == expected
