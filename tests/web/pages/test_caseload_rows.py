"""A caseload row (Mijn jongeren): the data attributes the browser reads to open names, filter
and sort, and the cells a coach reads."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from consent.caseload.views import SharedSection, YouthRow
from web.pages.caseload_rows import EMPTY, caseload_row


def attributes(row: YouthRow) -> dict[str, str | None]:
    """The `<tr>`'s attributes."""
    found: dict[str, str | None] = {}

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "tr":
                found.update(attrs)

    Parser().feed(str(caseload_row(row)))  # a plain str: Markup would escape what it is fed
    return found


def cells(row: YouthRow) -> dict[str, str]:
    """The text of each cell by its `data-label`, as a screen reader reads it."""
    found: dict[str, str] = {}

    class Parser(HTMLParser):
        label = ""

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("th", "td"):
                self.label = dict(attrs)["data-label"] or ""
                found[self.label] = ""

        def handle_data(self, data: str) -> None:
            if self.label:
                found[self.label] += data

    Parser().feed(str(caseload_row(row)))  # a plain str: Markup would escape what it is fed
    return {label: " ".join(text.split()) for label, text in found.items()}


def row(**changes: object) -> YouthRow:
    base = YouthRow(
        dossier_id="9d1dcaa8-32bc-44a1-b1b0-7d6c805106ba",
        youth_id="5c75197b-1bbc-4982-87d7-be85e2d5915c",
        card="c2VhbGVkLWNhcmQ_-",
        identity='{"v": 2, "box_pk": "AAA", "sign_pk": "BBB"}',
        contact_person=False,
        org=None,
        connected="01-12-2026",
        seen=None,
        connection_id="b20b620c-91df-4446-9160-f0a53c8dd6f2",
    )
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def test_a_connected_youth_with_news_ending_soon_and_nazorg():
    ends = dt.datetime(2027, 1, 16, tzinfo=dt.UTC)
    found = attributes(
        row(
            contact_person=True,
            changed=["werk", "plan"],
            ends_soon=True,
            ends=ends,
            active=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
            aftercare="answered",
            card_sent=False,
        )
    )
    assert found["data-dossier"] == "9d1dcaa8-32bc-44a1-b1b0-7d6c805106ba"
    assert found["data-connection"] == "b20b620c-91df-4446-9160-f0a53c8dd6f2"
    assert "data-card-missing" in found
    assert "data-via-org" not in found
    assert found["data-youth-identity"] == '{"v": 2, "box_pk": "AAA", "sign_pk": "BBB"}'
    assert found["data-card"] == "c2VhbGVkLWNhcmQ_-"
    assert (found["data-new"], found["data-contact"], found["data-ends"]) == ("ja", "ja", "ja")
    assert found["data-sort-nieuw"] == "2"
    assert found["data-sort-stopt"] == ends.isoformat()
    assert found["data-sort-activiteit"] == "2026-12-01T00:00:00+00:00"
    assert found["data-sort-aanspreekpunt"] == "0"
    assert (found["data-sort-nazorg"], found["data-nazorg"]) == ("answered", "ja")


def test_a_quiet_youth_through_an_organisation():
    found = attributes(row(connection_id="", aftercare="declined"))
    assert "data-via-org" in found
    assert "data-connection" not in found
    assert "data-card-missing" not in found
    assert (found["data-new"], found["data-contact"], found["data-ends"]) == ("nee", "nee", "nee")
    assert (found["data-sort-activiteit"], found["data-sort-stopt"]) == ("", "~")
    assert (found["data-sort-nazorg"], found["data-nazorg"]) == ("declined", "nee")


def test_text_that_could_break_out_of_the_attribute_is_escaped():
    found = attributes(row(identity='"><script>x</script>', aftercare='"><img src=x>'))
    assert found["data-youth-identity"] == '"><script>x</script>'
    assert found["data-sort-nazorg"] == '"><img src=x>'
    assert "<script>" not in caseload_row(row(identity="<script>"))


def test_the_cells_a_coach_reads():
    found = cells(
        row(
            contact_person=True,
            news=True,
            shared=[
                SharedSection("werk", ("read",), "16-01-2027", True, None),
                SharedSection("plan", ("read", "append"), "01-06-2027", False, None),
            ],
            changed=["werk", "plan"],
            ends=dt.datetime(2027, 1, 16, tzinfo=dt.UTC),
            active=dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
            aftercare="open",
        )
    )
    assert found == {
        "Naam": "Naam versleuteld Nieuw Werk Plan en afspraken",
        "Aanspreekpunt": "Jij",
        "Laatste activiteit": "01-12-2026",
        "Nieuw": "Werk, Plan en afspraken",
        "Acties (14 dagen)": "\u2026nog niet bekeken",
        "ZRM": "\u2026nog niet bekeken",
        "Toegang stopt": "16-01-2027",
        "Nazorg": "voorgesteld",
    }


def test_a_youth_who_shares_nothing_yet_and_no_card():
    found = cells(row(card="", org="Jongerenloket Noord"))
    assert found["Naam"] == "Naam niet gedeeld via Jongerenloket Noord"
    assert (found["Nieuw"], found["Acties (14 dagen)"], found["Toegang stopt"]) == (
        EMPTY,
        EMPTY,
        EMPTY,
    )
    assert (found["Laatste activiteit"], found["Nazorg"], found["Aanspreekpunt"]) == (
        EMPTY,
        EMPTY,
        EMPTY,
    )


def test_an_organisation_name_is_text_not_markup():
    html = caseload_row(row(org="<b>Loket</b> & co"))
    assert "<b>" not in html
    assert cells(row(org="<b>Loket</b> & co"))["Naam"] == "Naam versleuteld via <b>Loket</b> & co"
