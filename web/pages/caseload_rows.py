"""One row of the caseload table (Mijn jongeren), written in one piece.

The caseload is the professional's most visited page and has 30 to 80 rows. Written in the
template, a row costs some sixty fragments and ten escapes; built here as one string it costs
one, which more than halves the page's render time (docs/performance.md, "Session 5" and
"Session 6"). The table's head, and everything else on the page, stay in
`templates/pro/mijn-jongeren.html`. The browser reads the row's attributes and cells
(js/app/pro-caseload.js): the ids, the sealed card and identity to open the name, the filter
flags, the sort keys, and the `data-name`, `data-shared`, `data-actions` and `data-zrm` cells.

What may hold a character HTML escapes is escaped: the identity (JSON), the organisation's
name, the nazorg state. The ids and the card are not: `CaseloadService` writes them as UUID text
and `b64e()` (base64url), which hold none. Section labels and dates are this code's own text."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from consent.caseload.views import YouthRow, day
from dossier.sections.catalogue import SECTIONS

_YES_NO = ("nee", "ja")
NAZORG_RUNNING = frozenset({"open", "answered"})
AFTERCARE_STATES = {
    "open": "voorgesteld",
    "answered": "ja",
    "declined": "nee gezegd",
    "withdrawn": "ingetrokken",
    "retracted": "ingetrokken door jou",
}
EMPTY = "\u2013"  # an en dash: the cell has nothing to show
_NOT_YET = (
    '<span aria-hidden="true">\u2026</span><span class="rz-visually-hidden">nog niet bekeken</span>'
)
_NAME = {True: "Naam versleuteld", False: "Naam niet gedeeld"}


def row_attributes(r: YouthRow) -> str:
    """`data-…` attributes of one row."""
    link = f'data-connection="{r.connection_id}"' if r.connection_id else "data-via-org"
    missing = "" if r.card_sent else " data-card-missing"
    active = "" if r.active is None else r.active.isoformat()
    ends = "~" if r.ends is None else r.ends.isoformat()
    nazorg = "~" if r.aftercare is None else escape(r.aftercare)
    return (
        f'data-youth-row data-dossier="{r.dossier_id}" {link}{missing}'
        f' data-youth-id="{r.youth_id}" data-youth-identity="{escape(r.identity)}"'
        f' data-card="{r.card}" data-new="{_YES_NO[bool(r.changed)]}"'
        f' data-contact="{_YES_NO[r.contact_person]}" data-ends="{_YES_NO[r.ends_soon]}"'
        f' data-sort-activiteit="{active}" data-sort-nieuw="{len(r.changed)}"'
        f' data-sort-stopt="{ends}" data-sort-aanspreekpunt="{0 if r.contact_person else 1}"'
        f' data-sort-nazorg="{nazorg}" data-sort-acties="~"'
        f' data-nazorg="{_YES_NO[r.aftercare in NAZORG_RUNNING]}"'
    )


def caseload_row(r: YouthRow) -> Markup:
    """The `<tr>` of one youth: the name cell (opened in the browser), contact person, last
    activity, what is new since my last visit, the open actions and ZRM cells the browser fills
    on request, when access stops, and the nazorg state."""
    news = ' <span class="rz-new">Nieuw</span>' if r.news else ""
    via = f' <span class="rz-muted rz-small rz-via">via {escape(r.org)}</span>' if r.org else ""
    shared = "".join(f" {SECTIONS[s.key]}" for s in r.shared)
    changed = (
        f"<strong>{', '.join(SECTIONS[k] for k in r.changed)}</strong>" if r.changed else EMPTY
    )
    actions = _NOT_YET if r.shared else EMPTY
    active = EMPTY if r.active is None else day(r.active)
    ends = EMPTY if r.ends is None else f"<strong>{day(r.ends)}</strong>"
    nazorg = (
        EMPTY if r.aftercare is None else escape(AFTERCARE_STATES.get(r.aftercare, r.aftercare))
    )
    return Markup(  # noqa: S704  (what may need escaping is escaped, see the module's docstring)
        f"<tr {row_attributes(r)}>\n"
        f'  <th scope="row" data-label="Naam"><a class="utrecht-link"'
        f' href="/pro/jongeren/{r.dossier_id}"><span data-name>{_NAME[bool(r.card)]}</span></a>'
        f'{news}{via}<span class="rz-visually-hidden" data-shared>{shared}</span></th>\n'
        f'  <td data-label="Aanspreekpunt">{"Jij" if r.contact_person else EMPTY}</td>\n'
        f'  <td data-label="Laatste activiteit">{active}</td>\n'
        f'  <td data-label="Nieuw">{changed}</td>\n'
        f'  <td data-label="Acties (14 dagen)" data-actions>{actions}</td>\n'
        f'  <td data-label="ZRM" data-zrm>{_NOT_YET}</td>\n'
        f'  <td data-label="Toegang stopt">{ends}</td>\n'
        f'  <td data-label="Nazorg">{nazorg}</td>\n'
        "</tr>\n"
    )


def caseload_rows(rows: Iterable[YouthRow]) -> Markup:
    """Every row of the table as one piece: the template loop's per-row cost (a filter call,
    an escape of the result, a fragment) is a fifth of the page's render time."""
    return Markup("".join([caseload_row(r) for r in rows]))  # noqa: S704  (rows are Markup)
