"""How the Delen and "Bekijk als" pages present the owner's sharing (`consent.sharing`): public
keys, sealed profile cards, grants and consent requests, in Dutch. Names of professionals are
not here: the server cannot read them. Each card carries the sealed profile card and the
browser opens it (`js/app/people.js`). Presentation only: no session, no rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import msgspec

from consent.connections.service import ConnectionView
from consent.own.views import GrantView, identity_json, short_id
from consent.requests.models import ConsentRequest
from consent.requests.schemas import request_out
from consent.sharing.service import Overview
from dossier.accounts.models import Account
from dossier.crypto import b64e
from dossier.sections.catalogue import SECTIONS

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
    grantee: str
    grantee_short: str
    step_down: bool
    to_org: bool
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
            grantee=str(row.grantee_id),
            grantee_short=short_id(row.grantee_id),
            step_down=row.step_down,
            to_org=row.grantee_kind == "organisation",
            sections=[(k, SECTIONS[k]) for k in row.sections],
            granted=", ".join(SECTIONS[k] for k in row.granted_sections),
            permissions=perms,
            purpose=row.purpose,
            days=row.period_days,
            state=row.state,
            json=msgspec.json.encode(request_out(row)).decode(),
        )


def page_context(overview: Overview, owner: Account, now: dt.datetime) -> dict[str, Any]:
    """The Delen page's context (campaign answers and the message are the controller's)."""
    parties = [
        PartyView.of(p.view, [GrantView.of(g, now) for g in p.grants]) for p in overview.parties
    ]
    others = [
        (
            f"Organisatie {name}" if name else f"Professional {short_id(g.grantee_id)}",
            GrantView.of(g, now),
        )
        for name, g in overview.others
    ]
    requests = [RequestView.of(r) for r in overview.requests]
    return {
        "dossier": overview.dossier,
        "owner": owner,
        "owner_identity": identity_json(owner),
        "parties": parties,
        "other_grants": others,
        "open_requests": [r for r in requests if r.state == "open"],
        "answered_requests": [r for r in requests if r.state == "answered"],
        "sections": list(SECTIONS.items()),
        "purposes": PURPOSES,
    }
