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


# Fields that describe an entry rather than hold its content: a body with nothing but these
# (a note type, who measured, a preference, a done-flag) is empty.
MARKERS: frozenset[str] = frozenset({"soort", "door", "op", "klaar", "voorkeur"})

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


class EmptyRule(msgspec.Struct, frozen=True):
    """Where an empty body of a section is told: the field and its message."""

    field: str
    message: str


# The field an empty body is blamed on, per section (the page shows the message there);
# elsewhere the message is for the whole form.
EMPTY_AT: dict[str, EmptyRule] = {
    "verhaal": EmptyRule("tekst", EMPTY_FIELD),
    "notities": EmptyRule("tekst", EMPTY_FIELD),
    "plan": EmptyRule("doel", EMPTY_FIELD),
    "contact": EmptyRule("naam", EMPTY_ANY),
}


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
    """Raise `InputRefused` for an empty or too long body; a tombstone is always fine.
    Empty: no field but the `MARKERS` holds text (or another value)."""
    if is_removed(body):
        return
    for key, value in body.items():
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            raise InputRefused(key, too_long(len(value)))
    if not any(_filled(v) for k, v in body.items() if k not in MARKERS):
        at = EMPTY_AT.get(section)
        raise InputRefused(at.field if at else None, at.message if at else EMPTY_ANY)
