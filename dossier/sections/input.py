"""What a youth or professional may write into a section, checked where the plaintext is:
in the browser (the htmx extension, from the page config) and in the Python client
(`SectionsClient.write`). The server only sees ciphertext, so it cannot check these; it
enforces the request size (`max_json_bytes`, `max_document_bytes`), the entry's structure,
signature, place and version (docs/web-app.md, "Input rules").

A removed plan action or document is a new version whose whole body is `REMOVED`
(a tombstone): every reader shows it as removed, and it is never empty by accident."""

from __future__ import annotations

from typing import Any

import msgspec

# Long enough for any story (about 40 A4 pages); sealed and sent as a form it stays well
# under `max_json_bytes` (2 MB) even with 4-byte characters, so the user is told before sending.
MAX_TEXT_CHARS = 100_000

REMOVED: dict[str, Any] = {"verwijderd": True}


class FieldRule(msgspec.Struct, frozen=True, kw_only=True):
    """`required`: fields that must hold text; `any_of`: at least one of these must."""

    required: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()


_MEASUREMENT = FieldRule(required=("datum", "score"))

RULES: dict[str, FieldRule] = {
    "contact": FieldRule(any_of=("naam", "telefoon", "email", "adres")),
    "verhaal": FieldRule(required=("tekst",)),
    "plan": FieldRule(required=("doel",)),
    "notities": FieldRule(required=("tekst",)),
    "wonen": _MEASUREMENT,
    "geld": _MEASUREMENT,
    "werk": _MEASUREMENT,
    "school": _MEASUREMENT,
    "gezondheid": _MEASUREMENT,
    "netwerk": _MEASUREMENT,
    "dagbesteding": _MEASUREMENT,
}

# Words stored in bodies (`soort`, `door`) and how a reader shows them.
STORED_WORDS: dict[str, str] = {
    "nulmeting": "Nulmeting",
    "meting": "Meting",
    "jongere": "Jongere",
    "professional": "Professional",
    "notitie": "Notitie",
    "reactie": "Reactie",
}

EMPTY_FIELD = "Dit is nog leeg. Vul het in; lege stukken worden niet bewaard."
EMPTY_ANY = "Vul minstens één gegeven in; een leeg formulier wordt niet bewaard."


def nl_number(n: int) -> str:
    """100000 -> '100.000' (Dutch thousands separator)."""
    return f"{n:,}".replace(",", ".")


def too_long(chars: int) -> str:
    return f"Dit is te lang: maximaal {nl_number(MAX_TEXT_CHARS)} tekens, nu {nl_number(chars)}."


class InputRefused(ValueError):
    """A body the client refuses to seal; `field` is the field the Dutch `message` is about
    (None for the whole form)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"{field or 'form'}: {message}")
        self.field = field
        self.message = message


def is_removed(body: dict[str, Any]) -> bool:
    return body == REMOVED


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip() != ""
    return value is not None


def check_body(section: str, body: dict[str, Any]) -> None:
    """Raise `InputRefused` for an empty or too long body; a tombstone is always fine."""
    if is_removed(body):
        return
    for key, value in body.items():
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            raise InputRefused(key, too_long(len(value)))
    rule = RULES.get(section, FieldRule())
    for key in rule.required:
        if not _filled(body.get(key)):
            raise InputRefused(key, EMPTY_FIELD)
    if rule.any_of and not any(_filled(body.get(key)) for key in rule.any_of):
        raise InputRefused(None, EMPTY_ANY)
    if not rule.required and not rule.any_of and not any(_filled(v) for v in body.values()):
        raise InputRefused(None, EMPTY_ANY)
