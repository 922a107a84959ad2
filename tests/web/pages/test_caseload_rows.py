"""The caseload row's data attributes, which the browser reads to open names, filter and sort."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from consent.caseload.views import YouthRow
from web.pages.caseload_rows import row_attributes


def attributes(row: YouthRow) -> dict[str, str | None]:
    found: dict[str, str | None] = {}

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.update(attrs)

    Parser().feed(f"<tr {row_attributes(row)}>")
    return found


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
    assert "<script>" not in row_attributes(row(identity="<script>"))
