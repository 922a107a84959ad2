"""An entry (a conversation note, or any body) sealed and signed by a client, not sent: what a
client would post, or what a test playing a hostile server plants
(`tests.support.sql.plant_entry`)."""

from __future__ import annotations

import datetime as dt
import uuid

from dossier import crypto
from dossier.client import RugzakClient, SectionView


def sealed_entry(
    client: RugzakClient,
    view: SectionView,
    body: dict[str, object],
    *,
    entry: str | None = None,
    version: int = 1,
    at: dt.datetime | None = None,
) -> crypto.SealedEntry:
    """`body` in the section `view` (as `client` saw it: its signed section key), signed by
    `client` at `at` (now by default); a new entry unless `entry` is given."""
    return crypto.seal_entry(
        body,
        dossier=view.dossier,
        section=view.key,
        entry=entry or str(uuid.uuid4()),
        version=version,
        author_id=client.unlocked().account_id,
        author=client.unlocked().identity,
        section_key=view.signed_key,
        at=at,
    )


def sealed_note(
    client: RugzakClient,
    view: SectionView,
    text: str,
    *,
    entry: str | None = None,
    version: int = 1,
    at: dt.datetime | None = None,
) -> crypto.SealedEntry:
    """`{"tekst": text}` in the `notities` section `view` (as `client` saw it: its signed
    section key), signed by `client` at `at` (now by default); a new entry unless `entry` is
    given."""
    return sealed_entry(client, view, {"tekst": text}, entry=entry, version=version, at=at)
