"""Campaigns on the school's side: create one, import the student list, issue personal links,
read the status.

Security invariants: a personal link token is 144 random bits, returned once and stored only
as its SHA-256; a student's name reaches the server only sealed to the school's organisation
key; the status shows a state per reference and nothing else. Acceptance makes a grant to the
receiving organisation, never to the school, so neither the school's staff nor its key can
open anything of a student."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import TypeVar, cast

from sqlalchemy import Select, Table, bindparam, exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from consent.campaigns import schemas as s
from consent.campaigns.csv_import import Roster, parse_roster
from consent.campaigns.errors import RosterRejected
from consent.campaigns.models import Campaign, CampaignEntry
from consent.grants.models import Grant
from consent.parties.lookups import organisations_named
from consent.parties.models import Membership, Organisation
from dossier.accounts.service import parse_uuid
from dossier.db import utcnow
from dossier.errors import Forbidden, InvalidInput, NotFound
from dossier.sections.catalogue import SECTIONS

TOKEN_BYTES = 18  # 144 bits; 24 characters in the link
_ENTRY = cast(Table, CampaignEntry.__table__)
_campaign, _member = Campaign.__table__.c, Membership.__table__.c
T = TypeVar("T")


def _of_member(query: Select[tuple[T]]) -> Select[tuple[T]]:
    """`query` for the campaign `campaign` when `account` is an active member of the school
    that runs it (no row otherwise): the one rule of `CampaignService.for_member`."""
    return query.join(Membership.__table__, _member.org_id == _campaign.school_id).where(
        _campaign.id == bindparam("campaign"),
        _member.account_id == bindparam("account"),
        _member.state == "active",
    )


# Both built once. The import's is Core and one column: a school's import is often the first
# its server process runs, where an ORM select costs its first compile and entity loading
# (docs/performance.md).
_MEMBER_CAMPAIGN = _of_member(select(Campaign))
_MEMBER_CAMPAIGN_ID = _of_member(select(_campaign.id))
_REFERENCES = select(_ENTRY.c.reference).where(_ENTRY.c.campaign_id == bindparam("campaign"))
ACCEPTED, WITHDRAWN = "accepted", "withdrawn"


def token_hash(token: str) -> bytes:
    """SHA-256 is enough for a 144-bit random token: there is nothing to brute-force."""
    return hashlib.sha256(token.encode()).digest()


def new_token() -> tuple[str, bytes]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


# The short code on the sheet, typed instead of the link: 12 characters without the ones
# that look alike (0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V), about 52 bits. Like the token it
# is a bearer credential until a youth answers, stored only as a hash.
CODE_ALPHABET = "ACDEFHJKMNPRTWXY3479"
CODE_LENGTH = 12


# Byte b below the largest multiple of the alphabet's size is the character b % size; the
# bytes above it are dropped (bytes.translate does both at C speed).
_CODE_LIMIT = 256 - 256 % len(CODE_ALPHABET)
_CODE_CHARS = bytes(ord(CODE_ALPHABET[b % len(CODE_ALPHABET)]) for b in range(256))
_CODE_DROPPED = bytes(range(_CODE_LIMIT, 256))


def new_code() -> tuple[str, bytes]:
    """Uniform over the alphabet: random bytes below the largest multiple of its size (one
    system call for the whole code, not one per character; 650 codes per import)."""
    size = len(CODE_ALPHABET)
    chars: list[str] = []
    limit = 256 - 256 % size
    while len(chars) < CODE_LENGTH:
        chars += [
            CODE_ALPHABET[b % size] for b in secrets.token_bytes(2 * CODE_LENGTH) if b < limit
        ]
    code = "".join(chars[:CODE_LENGTH])
    return code, code_hash(code)


def new_links(count: int) -> list[tuple[str, bytes, str, bytes]]:
    """`count` fresh (token, token hash, code, code hash), the same as `count` calls of
    `new_token` and `new_code`, from a few reads of the system's random source instead of two
    per student (an import of 650 made 1,300 reads). Tokens are 18 bytes each of one block;
    code characters are the bytes below the largest multiple of the alphabet's size (uniform,
    independent), taken in turn."""
    block = secrets.token_bytes(TOKEN_BYTES * count)
    tokens = [
        base64.urlsafe_b64encode(block[i : i + TOKEN_BYTES]).decode()
        for i in range(0, len(block), TOKEN_BYTES)
    ]
    need = CODE_LENGTH * count
    chars = b""
    while len(chars) < need:
        chars += secrets.token_bytes(need + 64).translate(_CODE_CHARS, _CODE_DROPPED)
    text = chars.decode("ascii")
    codes = [text[i : i + CODE_LENGTH] for i in range(0, need, CODE_LENGTH)]
    return [
        (token, token_hash(token), code, code_hash(code))
        for token, code in zip(tokens, codes, strict=True)
    ]


def new_ids(count: int) -> list[uuid.UUID]:
    """`count` random (version 4) UUIDs from one read of the random source."""
    block = secrets.token_bytes(16 * count)
    return [uuid.UUID(bytes=block[i : i + 16], version=4) for i in range(0, len(block), 16)]


def code_hash(code: str) -> bytes:
    return hashlib.sha256(b"code:" + code.encode()).digest()


def code_key(typed: str) -> str | None:
    """The code as typed ("abcd-efgh jkmn"), without separators and upper case; None when it
    cannot be a code."""
    code = "".join(ch for ch in typed.upper() if ch not in " -")
    ok = len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)
    return code if ok else None


def shown_code(code: str) -> str:
    """XXXX-XXXX-XXXX (650 per import: the usual length without a generator)."""
    if len(code) == CODE_LENGTH:
        return f"{code[:4]}-{code[4:8]}-{code[8:]}"
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def end_of_day(day: dt.date) -> dt.datetime:
    """A campaign closes at the end of its closing day (Dutch time is at most UTC+2; the
    school's "tot en met" wins over a precise hour)."""
    return dt.datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class CampaignView:
    campaign: Campaign
    school: Organisation
    receiver: Organisation


@dataclass(frozen=True, slots=True)
class Student:
    reference: str
    state: str
    sealed_name: bytes | None
    sealed_group: bytes | None


@dataclass(frozen=True, slots=True)
class Imported:
    links: list[tuple[str, str, str]]  # (reference, token, code)
    roster: Roster


async def active_membership(
    db: AsyncSession, account_id: uuid.UUID, org_id: uuid.UUID
) -> Membership:
    found = await db.scalar(
        select(Membership).where(
            Membership.org_id == org_id,
            Membership.account_id == account_id,
            Membership.state == "active",
        )
    )
    if found is None:
        raise Forbidden("not an active member of this organisation")
    return found


class CampaignService:
    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    # -- who may --------------------------------------------------------------------------

    async def for_member(self, account_id: uuid.UUID, campaign_id: uuid.UUID) -> CampaignView:
        """A campaign, for an active member of the school that runs it; Forbidden otherwise,
        also when it does not exist (no oracle for campaign ids)."""
        return await self.view(await self.campaign_for_member(account_id, campaign_id))

    async def campaign_for_member(self, account_id: uuid.UUID, campaign_id: uuid.UUID) -> Campaign:
        """`for_member`'s check in one statement (the campaign joined to the caller's active
        membership of its school), without loading the two organisations."""
        return await self._checked(_MEMBER_CAMPAIGN, account_id, campaign_id)

    async def campaign_id_for_member(
        self, account_id: uuid.UUID, campaign_id: uuid.UUID
    ) -> uuid.UUID:
        """The same check returning the campaign's id only, for the import, which needs no
        more."""
        await self._checked(_MEMBER_CAMPAIGN_ID, account_id, campaign_id)
        return campaign_id

    async def _checked(
        self, statement: Select[tuple[T]], account_id: uuid.UUID, campaign_id: uuid.UUID
    ) -> T:
        found = await self.db.scalar(statement, {"campaign": campaign_id, "account": account_id})
        if found is None:
            raise Forbidden("not an active member of this organisation")
        return found

    async def for_school(self, org_id: uuid.UUID, campaign_id: uuid.UUID) -> CampaignView:
        campaign = await self.db.get(Campaign, campaign_id)
        if campaign is None or campaign.school_id != org_id:
            raise NotFound("campaign")
        return await self.view(campaign)

    async def view(self, campaign: Campaign) -> CampaignView:
        school = await self.db.get_one(Organisation, campaign.school_id)
        receiver = await self.db.get_one(Organisation, campaign.receiver_id)
        return CampaignView(campaign, school, receiver)

    # -- campaigns ------------------------------------------------------------------------

    async def create_by_member(
        self, account_id: uuid.UUID, org_id: uuid.UUID, data: s.NewCampaign
    ) -> CampaignView:
        await active_membership(self.db, account_id, org_id)
        return await self.create(org_id, data, f"account:{account_id}")

    async def create(self, org_id: uuid.UUID, data: s.NewCampaign, by: str) -> CampaignView:
        receiver_id = parse_uuid(data.receiver_id, "receiver_id")
        if receiver_id == org_id:
            raise InvalidInput("the school cannot receive its own campaign's grants")
        if await self.db.get(Organisation, receiver_id) is None:
            raise NotFound("receiving organisation")
        unknown = [key for key in data.sections if key not in SECTIONS]
        if unknown or len(set(data.sections)) != len(data.sections):
            raise InvalidInput("sections must be distinct keys of the catalogue")
        closes_at = end_of_day(data.closes_on)
        if closes_at <= utcnow():
            raise InvalidInput("the closing date has passed")
        campaign = Campaign(
            school_id=org_id,
            receiver_id=receiver_id,
            title=data.title.strip(),
            sections=list(data.sections),
            purpose=data.purpose.strip(),
            period_days=data.period_days,
            closes_at=closes_at,
            school_text=data.school_text.strip(),
            contact=data.contact.strip() or None,
            created_by=by,
        )
        self.db.add(campaign)
        await self.db.flush()
        return await self.view(campaign)

    async def of_school(self, org_id: uuid.UUID) -> list[CampaignView]:
        rows = await self.db.scalars(
            select(Campaign).where(Campaign.school_id == org_id).order_by(Campaign.created_at)
        )
        return [await self.view(c) for c in rows]

    async def of_member(self, account_id: uuid.UUID, org_id: uuid.UUID) -> list[CampaignView]:
        await active_membership(self.db, account_id, org_id)
        return await self.of_school(org_id)

    async def receivers(
        self, account_id: uuid.UUID, org_id: uuid.UUID, query: str
    ) -> list[Organisation]:
        """Organisations a member of this school may name as receiver, found by part of
        their name (at least two characters; at most ten answers). Never the school itself."""
        await active_membership(self.db, account_id, org_id)
        return await organisations_named(self.db, query, but=org_id)

    async def close(self, campaign: Campaign) -> None:
        """Close early: from now on every personal link of the campaign stops working (an
        answer given stays, and the youth can still change it in the rugzak)."""
        now = utcnow()
        if campaign.closes_at > now:
            campaign.closes_at = now
            await self.db.flush()

    # -- students -------------------------------------------------------------------------

    async def import_roster(
        self, campaign_id: uuid.UUID, raw: bytes, *, only_valid: bool
    ) -> Imported:
        """All rows in one statement inside the request's transaction; with errors nothing
        is written unless the caller asked for the valid rows explicitly. The caller has
        checked the campaign (`campaign_id_for_member`, or the partner's own campaign)."""
        existing = frozenset(await self.db.scalars(_REFERENCES, {"campaign": campaign_id}))
        roster = parse_roster(raw, existing)
        problems = [p.to_json() for p in roster.errors]
        notices = [p.to_json() for p in roster.notices]
        if problems and not only_valid:
            raise RosterRejected(problems, notices)
        made = new_links(len(roster.rows))
        links = [
            (row.reference, token, code)
            for row, (token, _, code, _) in zip(roster.rows, made, strict=True)
        ]
        values = [
            {
                "id": entry_id,
                "campaign_id": campaign_id,
                "reference": row.reference,
                "sealed_name": row.sealed_name,
                "sealed_group": row.sealed_group,
                "token_hash": digest,
                "code_hash": code_digest,
                "state": "not_opened",
            }
            for row, (_, digest, _, code_digest), entry_id in zip(
                roster.rows, made, new_ids(len(made)), strict=True
            )
        ]
        if values:
            # One Core INSERT of all rows (executemany): the rows are complete, so the ORM's
            # bulk path would only add its per-row bookkeeping (docs/performance.md).
            await self.db.execute(insert(_ENTRY), values)
        return Imported(links, roster)

    async def reissue(
        self, campaign: Campaign, references: list[str] | None
    ) -> list[tuple[str, str, str]]:
        """New links and codes for students who have not answered with a rugzak yet (a lost
        printout); the old link and code stop working at once."""
        query = select(CampaignEntry.id, CampaignEntry.reference).where(
            CampaignEntry.campaign_id == campaign.id, CampaignEntry.youth_id.is_(None)
        )
        if references is not None:
            query = query.where(CampaignEntry.reference.in_(references))
        rows = (await self.db.execute(query.order_by(CampaignEntry.reference))).all()
        if references is not None and len(rows) != len(set(references)):
            raise NotFound("a reference is unknown or already answered")
        links, values = [], []
        for (entry_id, reference), (token, digest, code, code_digest) in zip(
            rows, new_links(len(rows)), strict=True
        ):
            values.append({"id": entry_id, "token_hash": digest, "code_hash": code_digest})
            links.append((reference, token, code))
        if values:
            await self.db.execute(update(CampaignEntry), values)  # bulk, by primary key
        return links

    async def students(self, campaign: Campaign) -> list[Student]:
        """Reference, state, sealed name and group per student. An acceptance whose grants
        were all revoked, also through the grants API directly, shows as withdrawn."""
        live = exists().where(Grant.request_id == CampaignEntry.id, Grant.revoked_at.is_(None))
        rows = await self.db.execute(
            select(
                CampaignEntry.reference,
                CampaignEntry.state,
                CampaignEntry.sealed_name,
                CampaignEntry.sealed_group,
                live.label("live"),
            )
            .where(CampaignEntry.campaign_id == campaign.id)
            .order_by(CampaignEntry.reference)
        )
        return [
            Student(ref, WITHDRAWN if state == ACCEPTED and not alive else state, name, group)
            for ref, state, name, group, alive in rows.tuples()
        ]

    async def status(self, campaign: Campaign) -> tuple[dict[str, int], list[tuple[str, str]]]:
        students = await self.students(campaign)
        counts: dict[str, int] = dict.fromkeys(s.STATES, 0)
        for student in students:
            counts[student.state] += 1
        return counts, [(student.reference, student.state) for student in students]
