"""The data attributes of a caseload row (Mijn jongeren), written in one piece.

The caseload is the professional's most visited page and has 30 to 80 rows. Written in the
template, each row's twenty attributes cost some forty fragments and ten escapes; built here
as one string they cost one, which halves the page's render time (docs/performance.md,
"Session 5"). The browser reads these attributes (js/app/pro-caseload.js): the ids, the sealed
card and identity to open the name, the filter flags and the sort keys."""

from __future__ import annotations

from markupsafe import Markup, escape

from consent.caseload.views import YouthRow

_YES_NO = ("nee", "ja")
NAZORG_RUNNING = frozenset({"open", "answered"})


def row_attributes(r: YouthRow) -> Markup:
    """`data-…` attributes of one row. The identity (JSON) and the nazorg state are escaped.
    The ids and the card are not: `CaseloadService` writes them as `str(uuid)` and `b64e()`
    (base64url), which hold no character HTML escapes, and escaping the 80 cards again cost
    a third of the page's render time. The rest are constants, numbers and ISO times."""
    link = f'data-connection="{r.connection_id}"' if r.connection_id else "data-via-org"
    missing = "" if r.card_sent else " data-card-missing"
    active = "" if r.active is None else r.active.isoformat()
    ends = "~" if r.ends is None else r.ends.isoformat()
    nazorg = "~" if r.aftercare is None else escape(r.aftercare)
    return Markup(  # noqa: S704  (what may need escaping is escaped, see above)
        f'data-youth-row data-dossier="{r.dossier_id}" {link}{missing}'
        f' data-youth-id="{r.youth_id}" data-youth-identity="{escape(r.identity)}"'
        f' data-card="{r.card}" data-new="{_YES_NO[bool(r.changed)]}"'
        f' data-contact="{_YES_NO[r.contact_person]}" data-ends="{_YES_NO[r.ends_soon]}"'
        f' data-sort-activiteit="{active}" data-sort-nieuw="{len(r.changed)}"'
        f' data-sort-stopt="{ends}" data-sort-aanspreekpunt="{0 if r.contact_person else 1}"'
        f' data-sort-nazorg="{nazorg}" data-sort-acties="~"'
        f' data-nazorg="{_YES_NO[r.aftercare in NAZORG_RUNNING]}"'
    )
