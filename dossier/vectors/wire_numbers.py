"""Vectors for JSON numbers on the wire: `1` and `1.0` are different values. Python reads
`1.0` as a float, so a JavaScript reader must not turn it into the integer 1; both refuse it
wherever the format wants an integer (`v`: UnsupportedVersion; other integers and
canonical JSON: MalformedError)."""

from __future__ import annotations

import json

from dossier.vectors._common import Case, Json, bad, ident, ok, section_key
from dossier.vectors.entries import AT, BODY, seal_entry_vector
from dossier.vectors.receipts import receipt_for


def _text(value: Json, key: str, literal: str) -> str:
    """The JSON text of `value` with the number at `key` written as `literal`."""
    marker = "__NUMBER__"
    text = json.dumps({**value, key: marker}, separators=(",", ":"), sort_keys=True)
    return text.replace(f'"{marker}"', literal)


def gen_wire_numbers() -> list[Case]:
    owner, _ = ident("owner")
    coach = ident("coach")
    _, skey = section_key(owner, "dossier-1", "notities", 1)
    _, entry = seal_entry_vector("wire/1", BODY, (coach, "coach-1"), skey)
    receipt = receipt_for(owner, coach[1]).to_json()
    assert entry["at"] == AT

    def case(name: str, kind: str, text: str, error: str | None = None) -> Case:
        inputs = {"kind": kind, "text": text}
        return (
            bad(name, "from_wire_text", inputs, error)
            if error
            else ok(name, "from_wire_text", inputs, {})
        )

    return [
        case("entry, integers as integers", "entry", _text(entry, "version", "1")),
        case("entry version 1.0", "entry", _text(entry, "version", "1.0"), "MalformedError"),
        case(
            "entry key_version 1e0", "entry", _text(entry, "key_version", "1e0"), "MalformedError"
        ),
        case("entry v 2.0", "entry", _text(entry, "v", "2.0"), "UnsupportedVersion"),
        case("receipt, integers as integers", "receipt", _text(receipt, "key_version", "1")),
        case(
            "receipt key_version 1.0",
            "receipt",
            _text(receipt, "key_version", "1.0"),
            "MalformedError",
        ),
        case("canonical of an integer", "canonical", '{"a":[1,2]}'),
        case("canonical of 2.0 in a list", "canonical", '{"a":[1,2.0]}', "MalformedError"),
        case("canonical of -0.0", "canonical", '{"a":-0.0}', "MalformedError"),
    ]
