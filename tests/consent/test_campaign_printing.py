"""The Python client's printed sheets (consent/campaigns/printing.py): the short code, the
group and the contact person on every sheet, sorted and split per group with a cover page per
group, a name printed as text."""

import datetime as dt
from dataclasses import replace

from consent.campaigns.printing import CampaignText, Sheet, cohort_html, cohort_pdf, in_print_order
from tests.e2e.campaign_support import pdf_pages

TEXT = CampaignText(
    school="ROC Deventer",
    receiver="Jobcoach Salland",
    title="Mag de jobcoach je bellen?",
    purpose="Warme overdracht.",
    sections=["contact"],
    period_days=365,
    closes_at=dt.datetime(2027, 1, 16, 23, 59, tzinfo=dt.UTC),
    contact="Mevrouw De Boer, 0570 123 456",
)
LINK = "https://rugzak.example.nl/campagne/"
SHEETS = [
    Sheet("3", f"{LINK}ccc", "Cas", "CCCC-CCCC-CCCC", "Techniek-4D"),
    Sheet("1", f"{LINK}aaa", '=HYPERLINK("x")', "AAAA-AAAA-AAAA", "Logistiek-3C"),
    Sheet("2", f"{LINK}bbb", "Bo <b>", "DDDD-DDDD-DDDD", "Logistiek-3C"),
]


def test_sorted_per_group_then_name():
    assert [s.reference for s in in_print_order(SHEETS)] == ["1", "2", "3"]


def test_every_sheet_has_code_group_contact_and_warning():
    page = cohort_html(TEXT, SHEETS)
    for sheet in SHEETS:
        assert f'<p class="code">{sheet.code}</p>' in page
        assert f"{sheet.group} · Kenmerk: {sheet.reference}" in page
    assert page.count("https://rugzak.example.nl/campagne en typ deze code:") == 3
    assert page.count("Vragen? Mevrouw De Boer, 0570 123 456") == 3
    assert page.count("niet delen") == 3
    assert page.count("Antwoorden kan tot en met 16 januari 2027.") == 3  # as the student's page
    assert page.index("Groep Logistiek-3C") < page.index("Groep Techniek-4D")
    assert "Bo &lt;b&gt;" in page  # text, never markup
    assert "=HYPERLINK(&quot;x&quot;)" in page


def test_one_group_no_cover_and_no_code_no_code_line():
    page = cohort_html(TEXT, [Sheet("9", f"{LINK}zzz", None)])
    assert "Groep" not in page
    assert "typ deze code" not in page
    assert "Kenmerk: 9" in page


def test_the_pdf_has_a_page_per_sheet_and_per_group_cover():
    """Every sheet fits on one A4, also with long texts (a title of 120 characters, a purpose
    of 245, a school text of 240, four sections, a name of 90, a reference of 64)."""
    longest = replace(
        TEXT,
        title="T" * 120,
        purpose="Waarom " * 35,
        school_text="Gefeliciteerd met je diploma! " * 8,
        sections=["contact", "werk", "school", "geld"],
        contact="Mevrouw De Boer, mentor van de opleiding, 0570 123 456, deboer@school.nl",
    )
    name = "Zoë van der Achterberg-Yilmaz " * 3
    long_link = "https://rugzak.example.nl/campagne/" + "x" * 24
    sheets = [*SHEETS, Sheet("4" * 64, long_link, name, "AAAA-CCCC-DDDD", "Techniek-4D")]
    pdf, pages = cohort_pdf(longest, sheets)
    assert (pages, pdf_pages(pdf)) == (4 + 2, 4 + 2)
