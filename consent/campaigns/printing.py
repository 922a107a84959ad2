"""Printed sheets: one A4 page per student with the school's text (Dutch, B1), the personal
link and its QR code, the short code to type instead of the link, the group and the school's
contact person; one PDF for the whole cohort (WeasyPrint), sorted and split per group like
the browser's print run (web/static/js/school/sheets.js).

Pure: data in, HTML or PDF bytes out. Names are decrypted by the school's own client and
passed in here on the school's machine; the server has no plaintext names to give, so a PDF it
renders carries the reference, the link and the QR code only."""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import segno

from dossier.dutch import day_in_words
from dossier.sections.catalogue import SECTIONS

CSS = """
@page { size: A4; margin: 16mm 18mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.35; color: #111; }
p { margin: 0 0 2.5mm; }
.sheet { page-break-after: always; }
.sheet:last-child { page-break-after: auto; }
h1 { font-size: 18pt; margin: 0 0 3mm; }
.who { font-size: 13pt; margin: 0 0 4mm; }
.qr { text-align: center; margin: 3mm 0 2mm; }
.qr img { width: 45mm; height: 45mm; }
.link { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; text-align: center;
  word-break: break-all; margin: 0 0 3mm; }
.code { font-family: "DejaVu Sans Mono", monospace; font-size: 18pt; font-weight: bold;
  text-align: center; letter-spacing: 1pt; margin: 0 0 4mm; }
.ref { color: #444; font-size: 10pt; }
.cover h1 { margin-top: 80mm; text-align: center; }
.cover p { text-align: center; }
ul { margin: 1mm 0 2.5mm; }
"""


@dataclass(frozen=True, slots=True)
class CampaignText:
    """What every sheet of one campaign says."""

    school: str
    receiver: str
    title: str
    purpose: str
    sections: Sequence[str]
    period_days: int
    closes_at: dt.datetime
    school_text: str = ""
    contact: str = ""
    """The school's contact person (name, phone or e-mail), printed on every sheet."""


@dataclass(frozen=True, slots=True)
class Sheet:
    reference: str
    link: str
    name: str | None = None
    code: str | None = None
    """The short code as shown ("ABCD-EFGH-JKMN"), typed at <base>/campagne."""
    group: str | None = None


def qr_png_data_uri(text: str) -> str:
    """A PNG QR code as a data URI (smaller and faster to lay out than SVG for 650 pages)."""
    png = segno.make(text, error="m").png_data_uri(scale=6, border=2)
    return str(png)


def qr_svg(text: str) -> str:
    data = segno.make(text, error="m").svg_inline(scale=4)
    return str(data)


def _period(days: int) -> str:
    if days % 365 == 0:
        years = days // 365
        return "1 jaar" if years == 1 else f"{years} jaar"
    if days % 30 == 0:
        months = days // 30
        return "1 maand" if months == 1 else f"{months} maanden"
    return f"{days} dagen"


def _sheet_html(text: CampaignText, sheet: Sheet) -> str:
    e = html.escape
    hello = f"Beste {e(sheet.name)}," if sheet.name else "Beste student,"
    asked = "".join(f"<li>{e(SECTIONS.get(key, key))}</li>" for key in text.sections)
    own = f"<p>{e(text.school_text)}</p>" if text.school_text else ""
    closes = day_in_words(text.closes_at.astimezone(dt.UTC).date())  # as web/pages/school.py
    return f"""<section class="sheet">
<h1>{e(text.title)}</h1>
<p class="who">{e(text.school)} vraagt je iets.</p>
<p>{hello}</p>
{own}
<p>Mag <strong>{e(text.receiver)}</strong> deze gegevens uit jouw Rugzak zien?</p>
<ul>{asked}</ul>
<p>Waarom: {e(text.purpose)}</p>
<p>Hoe lang: {_period(text.period_days)}. Je kunt altijd weer nee zeggen in je Rugzak.</p>
<p>Scan de code met je telefoon, of typ de link over. Heb je nog geen Rugzak?
Dan maak je er eerst een. Antwoorden kan tot en met {closes}.</p>
<div class="qr"><img alt="QR-code met je persoonlijke link"
 src="{qr_png_data_uri(sheet.link)}"></div>
<p class="link">{e(sheet.link)}</p>
{_code_html(sheet)}
<p>Deze link en code zijn alleen voor jou: niet delen. Kwijt? Vraag de school om een nieuwe
brief; deze link en code werken dan niet meer.
De school ziet alleen of je ja of nee zegt, niet wat er in je Rugzak staat.</p>
{f"<p>Vragen? {e(text.contact)}</p>" if text.contact else ""}
<p class="ref">{" · ".join(e(x) for x in (sheet.group, f"Kenmerk: {sheet.reference}") if x)}</p>
</section>"""


def _code_html(sheet: Sheet) -> str:
    if not sheet.code:
        return ""
    where = html.escape(sheet.link.split("/campagne/", 1)[0] + "/campagne")
    code = html.escape(sheet.code)
    return f'<p>Geen camera? Ga naar {where} en typ deze code:</p>\n<p class="code">{code}</p>'


def _cover_html(text: CampaignText, group: str, count: int) -> str:
    letters = "1 brief" if count == 1 else f"{count} brieven"
    return f"""<section class="sheet cover">
<h1>{html.escape(f"Groep {group}" if group else "Zonder groep")}</h1>
<p>{letters} voor {html.escape(text.title)}</p>
</section>"""


def in_print_order(sheets: Iterable[Sheet]) -> list[Sheet]:
    """Sorted by group, then name, then reference (as the browser's print run)."""
    return sorted(sheets, key=lambda s: (s.group or "", s.name or "", s.reference))


def _body(text: CampaignText, sheets: Iterable[Sheet]) -> str:
    """Each group starts with a cover page naming it, when there is more than one group."""
    ordered = in_print_order(sheets)
    counts: dict[str, int] = {}
    for sheet in ordered:
        counts[sheet.group or ""] = counts.get(sheet.group or "", 0) + 1
    parts, current = [], None
    for sheet in ordered:
        group = sheet.group or ""
        if len(counts) > 1 and group != current:
            current = group
            parts.append(_cover_html(text, group, counts[group]))
        parts.append(_sheet_html(text, sheet))
    return "\n".join(parts)


def cohort_html(text: CampaignText, sheets: Iterable[Sheet]) -> str:
    body = _body(text, sheets)
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>{html.escape(text.title)}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>"
    )


def cohort_pdf(text: CampaignText, sheets: Iterable[Sheet]) -> tuple[bytes, int]:
    """One PDF, one A4 page per student (and one cover page per group when there are
    several groups); returns the bytes and the page count."""
    import weasyprint  # noqa: PLC0415  (heavy; only the printing path needs it)

    document = weasyprint.HTML(string=cohort_html(text, sheets)).render()
    return document.write_pdf(), len(document.pages)


def sheet_pdf(text: CampaignText, sheet: Sheet) -> bytes:
    return cohort_pdf(text, [sheet])[0]


def png_bytes(data_uri: str) -> bytes:
    return base64.b64decode(data_uri.split(",", 1)[1])
