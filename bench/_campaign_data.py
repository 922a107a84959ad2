"""The cohort of bench/campaign_bench.py: 650 students in four groups, their names as long as
the browser journey's, the sealed roster the service import reads, the campaign's text for the
Python client's print run, and a client with the campaign calls."""

from __future__ import annotations

import datetime as dt

from consent.campaigns.printing import CampaignText
from dossier import crypto
from dossier.client import RugzakClient
from dossier.client.campaigns import CampaignsClient

COHORT = 650
ROUNDS = 9
BASE = "https://rugzak.example.nl"
SCHOOL_PK = crypto.Identity.generate().public.box_pk
GROUPS = ("Verpleegkunde-4A", "Verpleegkunde-4B", "Logistiek-3C", "Techniek-4D")


def name_of(i: int) -> str:
    """As long as the browser journey's names (tests/browser/test_school_campaign.py)."""
    return f"Zoë{i} {'van der ' if i % 3 == 0 else ''}Achterbergé{i}"


def sealed_value(text: str) -> str:
    """One value as the browser seals it now: a batch value (docs/crypto.md, "Batch-sealed
    values"), 25 bytes longer than a classic sealed box."""
    return crypto.b64e(crypto.seal_values(SCHOOL_PK, [text.encode()])[0])


ROSTER = b"referentie,naam,groep\n" + b"".join(
    f"S{i:05d},{sealed_value(name_of(i))},{sealed_value(GROUPS[i % 4])}\n".encode()
    for i in range(COHORT)
)
TEXT = CampaignText(
    school="ROC Zwolle",
    receiver="Jobcoach Zwolle",
    title="Diploma 2026: mag de jobcoach je bellen?",
    purpose="Warme overdracht: een jobcoach neemt contact met je op na je diploma.",
    sections=["contact"],
    period_days=365,
    closes_at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
    school_text="Gefeliciteerd met je diploma!",
)


class Client(RugzakClient, CampaignsClient):
    pass
