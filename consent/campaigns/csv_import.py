"""Reading a school's student list (CSV). Pure: bytes in, rows and per-line Dutch messages out.

The format: a first line naming the columns, `referentie` and optionally `naam`; one student
per line after it; comma or semicolon as the separator (whichever the first line uses, so an
export from Dutch Excel works too), UTF-8 with or without a BOM. The `naam` column must
already be sealed to the school's organisation key (base64url): a plain name is refused, so a
school that uploads by hand cannot hand the server a name by mistake. Any other column is
refused too: a student list must not carry contact details.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

from dossier import crypto

MAX_ROWS = 5000
MAX_REFERENCE = 64
# A name or group is a batch-sealed value (dossier/crypto/batches.py, 73 bytes overhead) or,
# from older clients, a classic sealed box (48 bytes overhead); either holds 1-512 bytes.
SEALED_MIN = 48 + 1
SEALED_MAX = crypto.BATCH_OVERHEAD + 512
REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}")
REFERENCE_NAMES = frozenset({"referentie", "reference", "studentnummer", "leerlingnummer"})
NAME_NAMES = frozenset({"naam", "name"})
GROUP_NAMES = frozenset({"groep", "group"})
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SAVE_AS = "Sla het bestand op als 'CSV UTF-8 (door komma's gescheiden)'."


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    reference: str
    sealed_name: bytes | None
    sealed_group: bytes | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    code: str
    message: str

    def to_json(self) -> dict[str, object]:
        return {"line": self.line, "code": self.code, "message": self.message}


@dataclass(slots=True)
class Roster:
    rows: list[Row] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Header:
    delimiter: str
    width: int
    reference: int
    name: int | None
    group: int | None = None


def _shown(value: str) -> str:
    """A value echoed in a message: short, and without control characters."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in value)
    return clean if len(clean) <= 30 else clean[:29] + "…"


def _lines(raw: bytes, out: Roster) -> list[bytes] | None:
    if raw.startswith(UTF16_BOMS):
        out.errors.append(
            Problem(1, "encoding", f"Het bestand is opgeslagen als UTF-16. {SAVE_AS}")
        )
        return None
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
        out.notices.append(
            Problem(
                1,
                "bom",
                "Het bestand begon met een onzichtbaar BOM-teken (van Excel). "
                "Dat hebben we weggehaald; je hoeft niets te doen.",
            )
        )
    lines = raw.split(b"\n")
    if lines and lines[-1].strip() == b"":
        lines.pop()  # the newline at the end of the last line
    if not lines:
        out.errors.append(Problem(1, "empty-file", "Het bestand is leeg."))
        return None
    return [line.removesuffix(b"\r") for line in lines]


def _fields(text: str, delimiter: str) -> list[str]:
    """One line's fields as `csv.reader` reads them. A line without quotes (every line of a
    sealed list) is split plainly, the same at a tenth of the cost; a line with quotes goes
    through `csv`. A carriage return inside a line, which `csv` refuses with an exception,
    stays in its field, so the line's checks name it in Dutch."""
    if text and '"' not in text:
        return text.split(delimiter)
    try:
        return next(csv.reader([text], delimiter=delimiter), [])
    except csv.Error:
        return text.split(delimiter)


def _header(text: str, out: Roster) -> Header | None:
    delimiter = "," if "," in text or ";" not in text else ";"
    names = [name.strip().lower() for name in _fields(text, delimiter)]
    example = "Regel 1 moet de namen van de kolommen geven, bijvoorbeeld: referentie,naam"
    refs = [i for i, name in enumerate(names) if name in REFERENCE_NAMES]
    if len(refs) != 1:
        out.errors.append(Problem(1, "header", example))
        return None
    name_cols = [i for i, name in enumerate(names) if name in NAME_NAMES]
    group_cols = [i for i, name in enumerate(names) if name in GROUP_NAMES]
    for name in names:
        if name not in REFERENCE_NAMES | NAME_NAMES | GROUP_NAMES:
            out.errors.append(
                Problem(
                    1,
                    "unknown-column",
                    f"Regel 1: de kolom '{_shown(name)}' hoort er niet in. "
                    "Alleen 'referentie', 'naam' en 'groep' mogen; geen contactgegevens.",
                )
            )
    if len(name_cols) > 1:
        out.errors.append(Problem(1, "header", "Regel 1: de kolom 'naam' staat er twee keer."))
    if len(group_cols) > 1:
        out.errors.append(Problem(1, "header", "Regel 1: de kolom 'groep' staat er twee keer."))
    return Header(
        delimiter,
        len(names),
        refs[0],
        name_cols[0] if name_cols else None,
        group_cols[0] if group_cols else None,
    )


def _sealed(value: str) -> bytes | None:
    try:
        raw = crypto.b64d(value)
    except crypto.CryptoError:
        return None
    return raw if SEALED_MIN <= len(raw) <= SEALED_MAX else None


class _Reader:
    def __init__(self, header: Header, existing: frozenset[str], out: Roster) -> None:
        self.header = header
        self.existing = existing
        self.out = out
        self.seen: dict[str, int] = {}

    def error(self, line: int, code: str, message: str) -> None:
        self.out.errors.append(Problem(line, code, f"Regel {line}: {message}"))

    def read(self, number: int, raw: bytes) -> None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.error(number, "encoding", f"hier staan tekens die geen UTF-8 zijn. {SAVE_AS}")
            return
        if not text.strip():
            self.error(number, "empty-line", "deze regel is leeg. Haal de lege regel weg.")
            return
        fields = self._split(number, text)
        if fields is None:
            return
        reference = fields[self.header.reference].strip()
        if not self._reference_ok(number, reference):
            return
        self.seen[reference] = number
        sealed = None
        if self.header.name is not None and fields[self.header.name].strip():
            sealed = _sealed(fields[self.header.name].strip())
            if sealed is None:
                self.error(
                    number,
                    "name-not-sealed",
                    "de naam is niet versleuteld. Namen gaan alleen versleuteld naar Rugzak: "
                    "lees de lijst in op de pagina Campagnes in Rugzak.",
                )
                return
        group = None
        if self.header.group is not None and fields[self.header.group].strip():
            group = _sealed(fields[self.header.group].strip())
            if group is None:
                self.error(
                    number,
                    "group-not-sealed",
                    "de groep is niet versleuteld. Lees de lijst in op de pagina Campagnes "
                    "in Rugzak.",
                )
                return
        self.out.rows.append(Row(number, reference, sealed, group))

    def _split(self, number: int, text: str) -> list[str] | None:
        delimiter = self.header.delimiter
        other = ";" if delimiter == "," else ","
        fields = _fields(text, delimiter)
        wrong_separator = other in text and (
            len(fields) != self.header.width or other in fields[self.header.reference]
        )
        if wrong_separator:
            self.error(
                number,
                "delimiter",
                f"deze regel gebruikt '{other}' als scheidingsteken, de eerste regel "
                f"'{delimiter}'. Gebruik overal hetzelfde teken.",
            )
            return None
        if len(fields) != self.header.width:
            self.error(
                number,
                "columns",
                f"deze regel heeft {len(fields)} kolommen, de eerste regel {self.header.width}.",
            )
            return None
        return fields

    def _reference_ok(self, number: int, reference: str) -> bool:
        if not reference:
            self.error(number, "empty-reference", "de referentie is leeg.")
            return False
        if not REFERENCE.fullmatch(reference):
            self.error(
                number,
                "reference",
                f"de referentie '{_shown(reference)}' mag alleen letters, cijfers, punt, "
                f"streepje, schuine streep en liggend streepje hebben "
                f"(hoogstens {MAX_REFERENCE} tekens).",
            )
            return False
        if reference in self.seen:
            self.error(
                number,
                "duplicate",
                f"de referentie '{reference}' staat ook op regel {self.seen[reference]}.",
            )
            return False
        if reference in self.existing:
            self.error(number, "exists", f"de referentie '{reference}' staat al in deze campagne.")
            return False
        return True


def parse_roster(raw: bytes, existing: frozenset[str] = frozenset()) -> Roster:
    """Every line checked; `errors` lists each wrong line, `rows` the good ones."""
    out = Roster()
    lines = _lines(raw, out)
    if lines is None:
        return out
    try:
        first = lines[0].decode("utf-8")
    except UnicodeDecodeError:
        out.errors.append(
            Problem(1, "encoding", f"Regel 1: hier staan tekens die geen UTF-8 zijn. {SAVE_AS}")
        )
        return out
    header = _header(first, out)
    if header is None:
        return out
    if len(lines) - 1 > MAX_ROWS:
        out.errors.append(
            Problem(MAX_ROWS + 2, "too-many", f"Er mogen hoogstens {MAX_ROWS} leerlingen in.")
        )
        return out
    reader = _Reader(header, existing, out)
    for number, line in enumerate(lines[1:], start=2):
        reader.read(number, line)
    if not out.rows and not out.errors:
        out.errors.append(Problem(2, "no-rows", "Er staan geen leerlingen in het bestand."))
    return out
