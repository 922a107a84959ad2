"""The committed vector files themselves: each holds positive and negative cases, the negative
kinds the format must refuse are all there, their times are UTC, and a fresh run of the
generator reproduces them byte for byte."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from dossier import crypto as c
from dossier import vectors
from tests.support.vector_ops import VECTORS


def test_every_file_has_positive_and_negative_cases() -> None:
    for path in VECTORS.glob("*.json"):
        cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
        assert any("expected" in x for x in cases), path
        errors = {x["error"] for x in cases if "error" in x}
        if path.stem not in {"subkeys", "sealed_box"}:
            assert errors, path
        assert errors <= {
            "TamperedError",
            "UnsupportedVersion",
            "MalformedError",
            "WeakParameters",
            "UnauthorisedAuthor",
            "UnlistedEntry",
        }


def test_required_negative_kinds_are_present() -> None:
    names = " ".join(
        case["name"]
        for path in VECTORS.glob("*.json")
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]
    )
    for needle in (
        "wrong AD",
        "moved to another entry",
        "moved to another section",
        "moved to another dossier",
        "flipped bit",
        "wrong section key",
        "unknown v",
        "weak",
        "truncated",
    ):
        assert needle in names, needle


def test_generator_reproduces_committed_files(tmp_path: Path) -> None:
    assert vectors.main([str(tmp_path)]) == 0
    fresh = sorted(p.name for p in tmp_path.glob("*.json"))
    assert fresh == sorted(p.name for p in VECTORS.glob("*.json"))
    for name in fresh:
        assert (tmp_path / name).read_bytes() == (VECTORS / name).read_bytes(), name


def test_vector_times_are_utc() -> None:
    doc = json.loads((VECTORS / "receipt.json").read_text(encoding="utf-8"))
    receipt = doc["cases"][0]["expected"]["receipt"]
    assert c.parse_time(receipt["issued_at"]).tzinfo is not None
    assert isinstance(c.parse_time(receipt["issued_at"]), datetime)
