"""The section catalogue of DESIGN.md §5: the unit of consent. Keys are stable (they are in
signatures and associated data); labels are the Dutch UI text. The one copy: pages and the
browser get it from here (`web/pages/config.py`)."""

from __future__ import annotations

SECTIONS: dict[str, str] = {
    "contact": "Contactgegevens",
    "verhaal": "Mijn verhaal",
    "wonen": "Wonen",
    "geld": "Geld",
    "werk": "Werk",
    "school": "School",
    "gezondheid": "Gezondheid",
    "netwerk": "Netwerk",
    "dagbesteding": "Dagbesteding",
    "plan": "Plan en afspraken",
    "documenten": "Documenten",
    "notities": "Gesprekken en notities",
}

LIFE_AREAS = ("wonen", "geld", "werk", "school", "gezondheid", "netwerk", "dagbesteding")

# The Zelfredzaamheids-Matrix wording of a life-area score (1 to 5).
ZRM_SCALE: tuple[tuple[int, str], ...] = (
    (1, "Acute problemen"),
    (2, "Niet zelfredzaam"),
    (3, "Beperkt zelfredzaam"),
    (4, "Voldoende zelfredzaam"),
    (5, "Helemaal zelfredzaam"),
)

LIFE_AREA_HELP: dict[str, str] = {
    "wonen": "Waar je woont en of dat goed gaat.",
    "geld": "Inkomen, rekeningen en schulden.",
    "werk": "Werk, stage of werk zoeken.",
    "school": "Opleiding en diploma's.",
    "gezondheid": "Hoe het gaat met je lijf en je hoofd.",
    "netwerk": "Familie, vrienden en mensen die je helpen.",
    "dagbesteding": "Wat je overdag doet.",
}
