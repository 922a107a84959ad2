"""What the sharing pages (Delen, Bekijk als, Wie keek, Meenemen) show, assembled from the
services: public keys, sealed profile cards, grants with their receipts, consent requests.
Names of professionals are not here: the server cannot read them. Each card carries the sealed
profile card and the browser opens it (`js/app/people.js`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from consent.connections.service import ConnectionService, ConnectionView
from consent.grants.models import Grant
from consent.grants.service import MAX_AGE_YEARS, GrantService, birthday, state_of
from consent.parties.service import PartiesService
from consent.requests.models import ConsentRequest
from consent.requests.service import RequestService
from dossier.accounts.models import Account
from dossier.crypto import b64e
from dossier.errors import NotFound
from dossier.store.catalogue import SECTIONS
from dossier.store.models import Dossier
from web.api.connections import connection_out
from web.api.grants import outs
from web.api.requests import request_out
from web.pages.view import GrantView, Pages, SectionPage, identity_json, short_id

DEFAULT_DAYS = 365
PURPOSES = (
    "Begeleiding naar werk",
    "Begeleiding naar school of opleiding",
    "Hulp bij wonen",
    "Hulp bij geld en schulden",
    "Zorg en gezondheid",
    "Nazorg: op de achtergrond",
)
# Per section kind: the body fields a reader sees, with their Dutch labels ("Bekijk als").
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "contact": (
        ("naam", "Naam"),
        ("telefoon", "Telefoon"),
        ("email", "E-mail"),
        ("adres", "Adres"),
        ("voorkeur", "Zo wil ik contact"),
    ),
    "verhaal": (("tekst", "Mijn verhaal"),),
    "plan": (
        ("doel", "Doel"),
        ("actie", "Actie"),
        ("wie", "Wie"),
        ("wanneer", "Wanneer"),
        ("klaar", "Klaar"),
    ),
    "notities": (("soort", "Soort"), ("tekst", "Tekst")),
    "documenten": (("name", "Bestand"),),
    "leefgebied": (
        ("soort", "Soort"),
        ("datum", "Datum"),
        ("nu", "Hoe het nu gaat"),
        ("gewenst", "Hoe ik het wil"),
        ("score", "Score (1-5)"),
        ("doel", "Doel"),
    ),
}


@dataclass(frozen=True)
class PartyView:
    """A connected professional as the youth's page shows it before the card is opened."""

    connection_id: str
    party_id: str
    short: str
    identity: str
    fingerprint: str
    card: str
    org_id: str
    contact_person: bool
    grants: list[GrantView]

    @classmethod
    def of(cls, view: ConnectionView, grants: list[GrantView]) -> PartyView:
        other = view.other
        return cls(
            connection_id=str(view.connection.id),
            party_id=str(other.id),
            short=short_id(other.id),
            identity=identity_json(other),
            fingerprint=view.fingerprint,
            card="" if view.card is None else b64e(view.card),
            org_id="" if view.connection.org_id is None else str(view.connection.org_id),
            contact_person=view.connection.contact_person,
            grants=grants,
        )


@dataclass(frozen=True)
class RequestView:
    id: str
    kind: str
    requester: str
    requester_short: str
    sections: list[tuple[str, str]]
    granted: str
    permissions: str
    purpose: str
    days: int
    state: str
    json: str

    @classmethod
    def of(cls, row: ConsentRequest) -> RequestView:
        perms = " en ".join({"read": "lezen", "append": "toevoegen"}[p] for p in row.permissions)
        return cls(
            id=str(row.id),
            kind=row.kind,
            requester=str(row.requester_id),
            requester_short=short_id(row.requester_id),
            sections=[(k, SECTIONS[k]) for k in row.sections],
            granted=", ".join(SECTIONS[k] for k in row.granted_sections),
            permissions=perms,
            purpose=row.purpose,
            days=row.period_days,
            state=row.state,
            json=msgspec.json.encode(request_out(row)).decode(),
        )


def expiry_bounds(owner: Account, now: dt.datetime) -> tuple[str, str]:
    """(default, latest) expiry dates for the share form: one year, never past 27 (the day
    before the 27th birthday), unless that day has passed: then a year, to renew."""
    default = (now + dt.timedelta(days=DEFAULT_DAYS)).date()
    if owner.birth_date is None:
        return default.isoformat(), ""
    cap = (birthday(owner.birth_date, MAX_AGE_YEARS) - dt.timedelta(days=1)).date()
    if cap <= now.date():
        return default.isoformat(), cap.isoformat()
    return min(default, cap).isoformat(), cap.isoformat()


def renewal_offered(latest: str, now: dt.datetime) -> bool:
    """Within a year of the 27th birthday (or past it) the share form offers to renew past
    it: DESIGN says grants end at 27 "unless renewed", and only the youth decides that."""
    limit = (now + dt.timedelta(days=DEFAULT_DAYS)).date().isoformat()
    return bool(latest) and latest < limit


class Sharing:
    """Page and JSON data for the owner's sharing pages."""

    def __init__(self, db: AsyncSession) -> None:
        self.db = db
        self.pages = Pages(db)
        self.grants = GrantService(db)
        self.connections = ConnectionService(db)
        self.requests = RequestService(db)
        self.parties = PartiesService(db)

    async def page(self, owner: Account) -> dict[str, Any]:
        dossier = await self.pages.own_dossier(owner.id)
        now = dt.datetime.now(dt.UTC)
        rows = await self.grants.of_dossier(dossier.id)
        active = [g for g in rows if state_of(g, now) == "active"]
        views = [
            v for v in await self.connections.list_for(owner.id) if v.connection.ended_at is None
        ]
        parties = [
            PartyView.of(v, [GrantView.of(g, now) for g in active if g.grantee_id == v.other.id])
            for v in views
        ]
        known = {v.other.id for v in views}
        others = [
            (await self._label(g), GrantView.of(g, now))
            for g in active
            if g.grantee_id not in known
        ]
        requests = [RequestView.of(r) for r in await self.requests.visible(owner.id, dossier)]
        default, latest = expiry_bounds(owner, now)
        return {
            "dossier": dossier,
            "owner": owner,
            "owner_identity": identity_json(owner),
            "parties": parties,
            "other_grants": others,
            "open_requests": [r for r in requests if r.state == "open"],
            "answered_requests": [r for r in requests if r.state == "answered"],
            "sections": list(SECTIONS.items()),
            "purposes": PURPOSES,
            "default_expiry": default,
            "latest_expiry": latest,
            "renew_27": renewal_offered(latest, now),
        }

    async def _label(self, grant: Grant) -> str:
        """An organisation by its public name; anyone else we are not connected to by id."""
        if grant.grantee_kind == "organisation":
            with contextlib.suppress(NotFound):
                org = await self.parties.organisation(grant.grantee_id)
                return f"Organisatie {org.name}"
        return f"Professional {short_id(grant.grantee_id)}"

    async def state(self, owner: Account) -> dict[str, Any]:
        """Everything the browser needs to share, revoke, rotate and export: the dossier with
        the owner's sealed section keys, every grant with its receipt, every request with its
        signed statements, every connection with its sealed card."""
        dossier = await self.pages.own_dossier(owner.id)
        sections = [
            {
                "key": row.key,
                "key_version": row.key_version,
                "signed_key": row.signed_key,
                "owner_sealed_sk": b64e(row.owner_sealed_sk),
                "entries": n,
            }
            for row, n, _ in await self.pages.dossiers.sections(dossier.id)
        ]
        return {
            "dossier": {
                "id": str(dossier.id),
                "owner_id": str(owner.id),
                "owner_identity": json.loads(identity_json(owner)),
                "sections": sections,
            },
            "grants": outs(await self.grants.of_dossier(dossier.id)),
            "requests": [request_out(r) for r in await self.requests.visible(owner.id, dossier)],
            "connections": [connection_out(v) for v in await self.connections.list_for(owner.id)],
        }

    async def view_as(
        self, owner: Account, party_id: uuid.UUID
    ) -> tuple[Dossier, list[SectionPage], list[str]]:
        """The sections a party's valid read grants cover, read as the owner (no log event),
        and the labels of sections the party may only add to."""
        dossier = await self.pages.own_dossier(owner.id)
        now = dt.datetime.now(dt.UTC)
        valid: list[Grant] = [
            g
            for g in await self.grants.of_dossier(dossier.id)
            if g.grantee_id == party_id and state_of(g, now) == "active"
        ]
        readable = sorted({g.section for g in valid if g.can_read}, key=list(SECTIONS).index)
        append_only = sorted({g.section for g in valid} - set(readable), key=list(SECTIONS).index)
        pages = [await self.pages.section(owner, key) for key in readable]
        return dossier, pages, [SECTIONS[k] for k in append_only]
