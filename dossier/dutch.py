"""Dutch month names, the one copy: the pages (`web/dutch.py`) and the sheets the Python
client prints (`consent/campaigns/printing.py`) both say "16 januari 2027"."""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def day_in_words(day: dt.date) -> str:
    """'16 januari 2027'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
