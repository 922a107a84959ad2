"""The warm handover ("overdragen"): a connected professional proposes the next professional,
or an organisation, as the grantee of a consent request of kind "handover". The rules beyond
a plain request:

- the proposed professional exists, is a professional, is not the proposer, has a profile
  card (so the youth will see a name) and is an active member of an organisation (that is
  how the proposer found them); otherwise `UnknownProfessional`;
- an organisation is any organisation (found by name, as a campaign's receiver);
  otherwise `UnknownProfessional` too;
- the key code the proposer's browser showed must be that professional's (or organisation's)
  key (`KeyMismatch` otherwise): a server that swapped the key in the search answer is caught;
- the note is signed by the proposer and sealed in their browser, once to the youth and once
  to the next professional (or the organisation key, which every active member opens); the
  server stores two ciphertexts it cannot open;
- a yes (or partly) to a person connects the youth with them, with the youth's card sealed
  to them in her browser, in the transaction that makes the grants (`connect`). A yes to an
  organisation makes grants to the organisation only (sealed to its key, as a campaign's
  grants): no connection and no card; its members find the youth under their grants.

Nothing is readable by the next professional before the youth's yes: the request is not
theirs (`RequestService.visible`) and no grant or connection exists.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from consent.connections.models import Connection
from consent.connections.service import decode_card
from consent.grants.service import party_identity
from consent.log.actions import LogAction
from consent.log.service import LogService
from consent.notify import events
from consent.parties.lookups import organisations_named
from consent.parties.models import Membership, Organisation
from consent.profiles.models import ProfessionalProfile
from consent.requests import schemas as s
from consent.requests.errors import KeyMismatch, UnknownProfessional
from consent.requests.models import ConsentRequest
from dossier import crypto
from dossier.accounts.models import Account
from dossier.accounts.service import parse_uuid
from dossier.db import utcnow
from dossier.errors import InvalidInput, NotFound
from dossier.sections.models import Dossier

MAX_RESULTS = 10
MIN_QUERY = 2


@dataclass(frozen=True, slots=True)
class Candidate:
    """A professional the proposer may name, with the organisation they were found through,
    or (`account` None) that organisation itself."""

    account: Account | None
    org: Organisation


@dataclass(frozen=True, slots=True)
class Notes:
    grantee: uuid.UUID
    note_owner: bytes
    note_grantee: bytes


async def candidates(db: AsyncSession, caller: uuid.UUID, query: str) -> list[Candidate]:
    """Professionals with a profile card who are active members of an organisation whose name
    (or whose own username) contains `query`, never the caller, never a youth; then the
    organisations whose name contains it (the campaign receiver search)."""
    words = query.strip().lower()
    if len(words) < MIN_QUERY:
        return []
    rows = await db.execute(
        select(Account, Organisation)
        .join(Membership, Membership.account_id == Account.id)
        .join(Organisation, Organisation.id == Membership.org_id)
        .join(ProfessionalProfile, ProfessionalProfile.account_id == Account.id)
        .where(
            Account.kind == "professional",
            Account.id != caller,
            Membership.state == "active",
            or_(
                func.lower(Organisation.name).contains(words, autoescape=True),
                func.lower(Account.username).contains(words, autoescape=True),
            ),
        )
        .order_by(Organisation.name, Account.username)
        .limit(MAX_RESULTS)
    )
    people = [Candidate(a, o) for a, o in rows.tuples()]
    orgs = await organisations_named(db, words, limit=MAX_RESULTS)
    return people + [Candidate(None, o) for o in orgs]


async def checked_notes(db: AsyncSession, requester: uuid.UUID, data: s.NewRequest) -> Notes:
    """The proposed professional and the two sealed notes, or a typed refusal."""
    if data.grantee_id is None:
        raise InvalidInput("a handover names one professional or organisation")
    grantee = parse_uuid(data.grantee_id, "grantee id")
    if data.grantee_kind == "organisation":
        try:
            identity = await party_identity(db, "organisation", grantee)
        except NotFound as exc:
            raise UnknownProfessional("no such organisation to hand over to") from exc
    else:
        identity = await _next_professional(db, requester, grantee)
    if data.grantee_key != crypto.format_fingerprint(identity.fingerprint()):
        raise KeyMismatch("the key code shown is not this party's key")
    if not data.note_owner or not data.note_grantee:
        raise InvalidInput("a handover carries the note sealed to the youth and to the grantee")
    return Notes(grantee, decode_card(data.note_owner), decode_card(data.note_grantee))


async def _next_professional(
    db: AsyncSession, requester: uuid.UUID, grantee: uuid.UUID
) -> crypto.PublicIdentity:
    account = await db.get(Account, grantee)
    known = (
        account is not None
        and account.kind == "professional"
        and grantee != requester
        and await db.get(ProfessionalProfile, grantee) is not None
        and await db.scalar(
            select(Membership.id).where(
                Membership.account_id == grantee, Membership.state == "active"
            )
        )
        is not None
    )
    if account is None or not known:
        raise UnknownProfessional("no such professional to hand over to")
    return crypto.PublicIdentity(box_pk=account.box_pk, sign_pk=account.sign_pk)


def check_card(grantee_kind: str, *, hands_over: bool, card: str | None) -> None:
    """A yes to a person carries the youth's card sealed to them; a no, or a yes to an
    organisation (no connection), carries none."""
    if (hands_over and grantee_kind == "person") != (card is not None):
        raise InvalidInput("a yes to a handover carries the card for the new professional")


async def notify(db: AsyncSession, request: ConsentRequest) -> None:
    """After the yes: the next professional, or every active member of the organisation."""
    for person in await events.people(db, request.grantee_kind, request.grantee_id):
        await events.to_person(db, person, "handover", request.id, request.dossier_id)


async def connect(db: AsyncSession, dossier: Dossier, grantee: uuid.UUID, card: str) -> None:
    """Connect the youth with the next professional (or reopen an ended connection between
    them); an active connection keeps its row and gets the fresh card."""
    sealed = decode_card(card)
    connection = await db.scalar(
        select(Connection).where(
            Connection.youth_id == dossier.owner_id, Connection.professional_id == grantee
        )
    )
    if connection is None:
        connection = Connection(youth_id=dossier.owner_id, professional_id=grantee)
        db.add(connection)
    if connection.ended_at is not None or connection.id is None:
        connection.professional_card = None
        connection.contact_person = False
        connection.created_at = utcnow()
    connection.dossier_id = dossier.id
    connection.youth_card = sealed
    connection.ended_at = None
    await db.flush()
    await LogService(db).record(dossier.id, dossier.owner_id, LogAction.CONNECT)
