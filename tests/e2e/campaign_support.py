"""Helpers shared by the school-campaign journeys (tests/e2e/test_campaign*.py)."""

import datetime as dt
import re
import uuid
import zlib

from sqlalchemy import func, select

from consent.campaigns.models import CampaignEntry
from dossier.client import RugzakClient
from tests.e2e.conftest import ADULT, PASSPHRASE, new_username
from tests.support.sql import on_db

PURPOSE = "Warme overdracht: een jobcoach neemt contact met je op na je diploma."


Client = RugzakClient


def youth_client(server: str) -> Client:
    client = Client(server)
    client.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
    return client


def pdf_pages(pdf: bytes) -> int:
    """Count page objects in the PDF bytes themselves, compressed object streams included."""
    texts, view, start = [pdf], memoryview(pdf), 0
    while (at := pdf.find(b"stream", start)) != -1:
        start = at + len(b"stream")
        if pdf[at - 3 : at] == b"end":
            continue
        body = start + (2 if pdf[start : start + 2] == b"\r\n" else 1)
        try:
            texts.append(zlib.decompressobj().decompress(view[body:]))
        except zlib.error:
            continue
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", b"".join(texts)))


def new_campaign(staff, school, jobcoach, closes_in_days=30):
    return staff.create_campaign(
        school,
        jobcoach,
        title="Diploma 2026: mag de jobcoach je bellen?",
        purpose=PURPOSE,
        closes_on=dt.datetime.now(dt.UTC).date() + dt.timedelta(days=closes_in_days),
        school_text="Gefeliciteerd met je diploma! We willen je graag helpen met werk.",
    )


def entry_states(settings, campaign_id: str) -> dict[str, int]:
    query = (
        select(CampaignEntry.state, func.count())
        .where(CampaignEntry.campaign_id == uuid.UUID(campaign_id))
        .group_by(CampaignEntry.state)
    )

    async def work(connection):
        return dict((await connection.execute(query)).tuples().all())

    return on_db(settings.database_url, work)


# -- the whole cohort ---------------------------------------------------------------------
