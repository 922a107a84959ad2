"""The section catalogue of DESIGN.md §5: the unit of consent. Keys are stable (they are in
signatures and associated data); labels are the Dutch UI text."""

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
