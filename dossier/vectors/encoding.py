"""Vectors for canonical JSON and strict unpadded base64url."""

from __future__ import annotations

from typing import Any

from dossier import crypto as c
from dossier.vectors._common import Case, bad, e, ok


def gen_canonical() -> list[Case]:
    values: list[tuple[str, Any]] = [
        (
            "nested object, keys out of order",
            {"b": 1, "a": [True, None, "x"], "c": {"z": 0, "y": -2}},
        ),
        ("non-ASCII kept as UTF-8", {"naam": "Zoë", "emoji": "\U0001f392", "quote": '"\\'}),
        ("control characters escaped", {"t": "a\nb\tc\u0001"}),
        ("largest safe integer", {"n": 9007199254740991}),
        (
            "non-ASCII keys by code point, not UTF-16 unit",
            {"\U0001f600": 1, "\uff61": 2, "\u00e9": 3, "z": 4},
        ),
        ("strings and keys in NFC", {"Zoe\u0301": "Zoe\u0301"}),
    ]
    cases = [
        ok(
            n,
            "canonical",
            {"value": v},
            {"utf8": c.canonical(v).decode(), "b64": e(c.canonical(v))},
        )
        for n, v in values
    ]
    cases += [
        bad("float refused", "canonical", {"value": {"score": 1.5}}, "MalformedError"),
        ok(
            "integer text",
            "canonical_text",
            {"text": '{"v": 2, "n": 1}'},
            {"utf8": '{"n":1,"v":2}'},
        ),
        bad("the float 1.0 refused", "canonical_text", {"text": '{"n": 1.0}'}, "MalformedError"),
        bad("an exponent refused", "canonical_text", {"text": '{"n": 1e2}'}, "MalformedError"),
        bad(
            "two keys equal after NFC refused",
            "canonical",
            {"value": {"Zo\u00e9": 1, "Zoe\u0301": 2}},
            "MalformedError",
        ),
        bad("unsafe integer refused", "canonical", {"value": 9007199254740992}, "MalformedError"),
        ok("base64url decode", "b64decode", {"text": "-_8"}, {"hex": "fbff"}),
        ok("base64url empty", "b64decode", {"text": ""}, {"hex": ""}),
        bad("padding refused", "b64decode", {"text": "YQ=="}, "MalformedError"),
        bad("standard alphabet refused", "b64decode", {"text": "+/8"}, "MalformedError"),
        bad("non-zero trailing bits refused", "b64decode", {"text": "YR"}, "MalformedError"),
        bad("impossible length refused", "b64decode", {"text": "YWJjZ"}, "MalformedError"),
    ]
    return cases
