"""Real rows with real crypto for the caseload read-model tests: youths with a dossier whose
sections have owner-signed keys, connections with a sealed card, grants made through
`GrantService` (owner-signed receipts, envelopes sealed to the grantee), organisations through
`PartiesService`, and entries sealed by their author and stored through `DossierService`."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from consent.connections.models import Connection, Invite
from consent.grants import schemas as g
from consent.grants.models import Grant
from consent.grants.service import GrantService
from consent.log.models import LogEvent
from consent.parties import schemas as ps
from consent.parties.service import PartiesService
from dossier import crypto
from dossier.accounts.models import Account
from dossier.sections.models import Dossier, Section
from dossier.sections.service import DossierService
from tests.support import factories
from tests.support.factories import add_account

ADULT = dt.date(2004, 5, 17)


@dataclass
class Party:
    account: Account
    identity: crypto.Identity

    @property
    def id(self) -> uuid.UUID:
        return self.account.id


@dataclass
class Youth(Party):
    dossier_id: uuid.UUID = field(default_factory=uuid.uuid4)
    keys: dict[str, crypto.SectionKeyPair] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)


@dataclass
class Org:
    id: uuid.UUID
    identity: crypto.Identity


async def pro(db: AsyncSession) -> Party:
    identity = crypto.Identity.generate()
    return Party(await add_account(db, identity, "professional"), identity)


async def youth(db: AsyncSession, keys: tuple[str, ...] = ("plan", "werk", "notities")) -> Youth:
    identity = crypto.Identity.generate()
    account = await add_account(db, identity, "youth")
    account.birth_date = ADULT
    person = Youth(account, identity)
    db.add(Dossier(id=person.dossier_id, owner_id=account.id))
    await db.flush()
    for key in keys:
        pair = crypto.SectionKeyPair.generate()
        signed = crypto.sign_section_key(identity, str(person.dossier_id), key, 1, pair.pk)
        section = Section(
            dossier_id=person.dossier_id,
            key=key,
            key_version=1,
            signed_key=signed.to_json(),
            owner_sealed_sk=crypto.seal_to(identity.public.box_pk, bytes(pair.sk)),
        )
        db.add(section)
        person.keys[key], person.sections[key] = pair, section
    await db.flush()
    return person


async def connect(
    db: AsyncSession, who: Youth, to: Party, *, contact: bool = False, org: Org | None = None
) -> Connection:
    row = Connection(
        youth_id=who.id,
        professional_id=to.id,
        dossier_id=who.dossier_id,
        org_id=None if org is None else org.id,
        youth_card=crypto.seal_to(to.identity.public.box_pk, b'{"display_name": "x"}'),
        contact_person=contact,
    )
    db.add(row)
    await db.flush()
    return row


async def organisation(db: AsyncSession, admin: Party, *members: Party) -> Org:
    key = crypto.Identity.generate()

    org_id = str(uuid.uuid4())

    def sealed(p: Party) -> str:
        return crypto.b64e(crypto.seal_to(p.identity.public.box_pk, key.secret()))

    def attest(p: Party) -> dict[str, Any]:
        return crypto.sign_membership(key, org_id, str(p.id), p.identity.public, 1)

    made = await PartiesService(db).create(
        admin.id,
        ps.NewOrganisation(
            id=org_id,
            name="Jongerenloket Noord",
            kind="jobcoach",
            identity=key.public.to_json(),
            sealed_org_key=sealed(admin),
            attestation=attest(admin),
        ),
    )
    for member in members:
        data = ps.NewMember(
            account_id=str(member.id),
            key_version=1,
            sealed_org_key=sealed(member),
            attestation=attest(member),
            role="member",
        )
        await PartiesService(db).add_member(admin.id, made.id, data)
    return Org(made.id, key)


def grant_in(
    owner: Youth,
    key: str,
    to: Party | Org,
    *,
    permissions: tuple[str, ...] = ("read",),
    days: int = 300,
    purpose: str = "Begeleiding",
) -> g.GrantIn:
    """A grant as the youth's client makes it: owner-signed receipt, envelope sealed to the
    grantee."""
    return factories.grant_in(
        owner.identity,
        dossier=str(owner.dossier_id),
        section=key,
        grantee_id=str(to.id),
        grantee=to.identity.public,
        section_sk=bytes(owner.keys[key].sk),
        grantee_kind="organisation" if isinstance(to, Org) else "person",
        permissions=permissions,
        days=days,
        purpose=purpose,
    )


async def share(
    db: AsyncSession,
    owner: Youth,
    key: str,
    to: Party | Org,
    *,
    permissions: tuple[str, ...] = ("read",),
    days: int = 300,
) -> Grant:
    """A grant as the youth's client makes it, stored through GrantService."""
    item = grant_in(owner, key, to, permissions=permissions, days=days)
    dossier = await db.get_one(Dossier, owner.dossier_id)
    [grant] = await GrantService(db).create(owner.account, dossier, [item])
    return grant


async def expire(db: AsyncSession, grant: Grant) -> None:
    """Time passes: the grant ended an hour ago."""
    ended = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    await db.execute(update(Grant).where(Grant.id == grant.id).values(expires_at=ended))
    await db.refresh(grant)


async def write(
    db: AsyncSession, owner: Youth, key: str, body: dict[str, Any], author: Party | None = None
) -> str:
    """Seal `body` as a new entry by `author` (the youth by default) and store it."""
    author = author or owner
    section = owner.sections[key]
    entry_id = str(uuid.uuid4())
    sealed = crypto.seal_entry(
        body,
        dossier=str(owner.dossier_id),
        section=key,
        entry=entry_id,
        version=1,
        author_id=str(author.id),
        author=author.identity,
        section_key=crypto.SignedSectionKey.from_json(section.signed_key),
    )
    await DossierService(db).add_entry(section, author.id, author.account.sign_pk, sealed.to_json())
    return entry_id


async def invite(db: AsyncSession, by: Party, *, used: bool = False, days: int = 7) -> Invite:
    now = dt.datetime.now(dt.UTC)
    row = Invite(
        token_hash=uuid.uuid4().bytes * 2,
        professional_id=by.id,
        expires_at=now + dt.timedelta(days=days),
        used_at=now if used else None,
    )
    db.add(row)
    await db.flush()
    return row


async def reads(db: AsyncSession, owner: Youth, actor: Party, section: str | None = None) -> int:
    """How many `section:read` events the youth's access log holds for this actor."""
    query = select(func.count()).where(
        LogEvent.dossier_id == owner.dossier_id,
        LogEvent.actor == str(actor.id),
        LogEvent.action == "section:read",
    )
    if section is not None:
        query = query.where(LogEvent.section == section)
    return int(await db.scalar(query) or 0)
