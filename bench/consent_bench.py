"""Consent engine costs, each against a baseline measured in the same run.

(a) Policy on the read path. In-process, against a real migrated SQLite database
    (tests/support/databases.Backend), one AsyncSession, no HTTP: HTTP, session auth and JSON
    would add the same constant to both sides and hide the difference. A grantee reads a
    section of ENTRIES entries that has GRANTS grants (the grantee holds one of them and is a
    member of two organisations):
      ours     = AccessService.section(...) (membership query, grant query, building the
                 facts, `consent.policy.may`) + DossierService.latest_entries(...)
      baseline = the same section query without grants or policy + latest_entries(...)
    Both skip the access-log write (log=False), which is measured separately as an
    informational row: it is a required write, not overhead of the decision. A third row
    times the in-memory part alone (building the facts and `may`) over pre-loaded rows, so
    the report separates the decision from its two extra database round trips (the
    caller's memberships and the section's grants). Target <= 1.2x.
(b) Owner-side revoke with rotation as entries grow (100, 1,000, 10,000 entries, 5 grantees):
    the client work of `GrantsClient._rotate_once` — a new section keypair and its signature,
    every data key re-wrapped (`rewrap_entry`: open + seal + owner signature), the new key
    sealed to 5 readers — timed in process with real crypto and no I/O. Reported per entry as
    a ratio to one raw `crypto_box_seal` (PyNaCl SealedBox.encrypt) in the same run; the time
    per entry must stay flat as the section grows (linear total).
(c) Verifying the access log. `dossier.crypto.verify_chain` over a 10,000-event chain, as the
    owner's client does after fetching it, against raw BLAKE2b-256 (hashlib) over exactly the
    bytes the chain hashes (`prev_hash || canonical(event)`, prepared before the clock
    starts). The difference is the per-event field checks, canonical JSON, base64url and the
    constant-time comparison. Target: the whole log verifies in < 1 s on a laptop; the
    ratio is reported, not a goal (raw hashing of ~250 bytes is nearly free).

Numbers are reported, not asserted: the exit code is 0.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import tempfile
import uuid
from pathlib import Path
from typing import Any

from _support import best_of, report
from nacl.public import PrivateKey, SealedBox
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import consent.models  # noqa: F401  (registers the consent tables)
import dossier.models  # noqa: F401  (registers the dossier tables)
from consent.authorisation import AccessService, grant_facts
from consent.grants.models import Grant
from consent.parties.models import Membership, Organisation
from consent.policy import Action, may
from dossier import crypto
from dossier.accounts.models import Account
from dossier.crypto.logchain import hashed_event
from dossier.db import make_engine
from dossier.sections.models import Dossier, Entry, Section
from dossier.sections.service import DossierService
from tests.support.databases import Backend

GRANTS = 20
ENTRIES = 20
READS = 200
EVENTS = 10_000
Row = tuple[str, float, float, str]


# -- (a) policy on the read path ----------------------------------------------------------------


GRANTEES = 5


def _account(name: str) -> Account:
    identity = crypto.Identity.generate()
    return Account(
        id=uuid.uuid4(),
        username=name,
        kind="youth",
        birth_date=None,
        kdf={},
        auth_hash="x",
        recovery_auth_hash="x",
        bundle={},
        recovery_bundle={},
        box_pk=identity.public.box_pk,
        sign_pk=identity.public.sign_pk,
    )


def _grant(section: Section, grantee: uuid.UUID, now: dt.datetime) -> Grant:
    return Grant(
        id=uuid.uuid4(),
        dossier_id=section.dossier_id,
        section_id=section.id,
        section=section.key,
        grantee_kind="person",
        grantee_id=grantee,
        can_read=True,
        can_append=False,
        purpose="begeleiding",
        issued_at=now - dt.timedelta(days=1),
        expires_at=now + dt.timedelta(days=365),
        receipt={},
    )


async def _seed(db: AsyncSession) -> tuple[uuid.UUID, uuid.UUID]:
    """A dossier with one section of ENTRIES entries and GRANTS grants; returns the dossier
    and a grantee who is also a member of two organisations."""
    now = dt.datetime.now(dt.UTC)
    owner, grantee = _account("eigenaar"), _account("coach")
    db.add_all([owner, grantee])
    await db.flush()
    dossier = Dossier(id=uuid.uuid4(), owner_id=owner.id)
    db.add(dossier)
    await db.flush()
    section = Section(
        dossier_id=dossier.id, key="verhaal", key_version=1, signed_key={}, owner_sealed_sk=b"x"
    )
    db.add(section)
    await db.flush()
    for i in range(2):
        org = Organisation(
            id=uuid.uuid4(), name=f"org {i}", kind="care", box_pk=bytes(32), sign_pk=bytes(32)
        )
        db.add(org)
        await db.flush()
        db.add(
            Membership(
                org_id=org.id,
                account_id=grantee.id,
                role="member",
                key_version=1,
                sealed_org_key=b"x",
            )
        )
    grantees = [grantee.id] + [uuid.uuid4() for _ in range(GRANTS - 1)]
    db.add_all(_grant(section, g, now) for g in grantees)
    payload = '{"v":1,"ciphertext":"' + "x" * 600 + '"}'
    db.add_all(
        Entry(
            dossier_id=dossier.id,
            section_id=section.id,
            entry_id=uuid.uuid4(),
            version=1,
            author_id=owner.id,
            key_version=1,
            payload=payload,
            size=len(payload),
        )
        for _ in range(ENTRIES)
    )
    await db.commit()
    return dossier.id, grantee.id


async def _read_with_policy(db: AsyncSession, dossier_id: uuid.UUID, reader: uuid.UUID) -> None:
    access, store = AccessService(db), DossierService(db)
    for _ in range(READS):
        allowed = await access.section(reader, dossier_id, "verhaal", Action.READ, log=False)
        await store.latest_entries(allowed.section)


async def _read_logged(db: AsyncSession, dossier_id: uuid.UUID, reader: uuid.UUID) -> None:
    access, store = AccessService(db), DossierService(db)
    for _ in range(READS):
        allowed = await access.section(reader, dossier_id, "verhaal", Action.READ)
        await store.latest_entries(allowed.section)
    await db.rollback()


async def _read_bare(db: AsyncSession, dossier_id: uuid.UUID) -> None:
    store = DossierService(db)
    for _ in range(READS):
        section = (
            await db.execute(
                select(Section, Dossier.owner_id)
                .join(Dossier, Dossier.id == Section.dossier_id)
                .where(Section.dossier_id == dossier_id, Section.key == "verhaal")
            )
        ).first()
        assert section is not None
        await store.latest_entries(section.Section)


async def _decide_only(db: AsyncSession, dossier_id: uuid.UUID, reader: uuid.UUID) -> float:
    """Seconds for READS in-memory decisions (facts + `may`) over already-loaded rows."""
    access = AccessService(db)
    actor = await access.actor(reader)
    section = await db.scalar(select(Section).where(Section.dossier_id == dossier_id))
    grants = tuple(grant_facts(g) for g in await db.scalars(select(Grant)))
    assert section is not None
    owner = uuid.uuid4()

    def decide() -> None:
        for _ in range(READS):
            assert may(actor, Action.READ, access._facts(section, owner, grants))  # noqa: SLF001

    return best_of(decide, rounds=7)


def bench_policy() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp, asyncio.Runner() as runner:
        backend = Backend.sqlite(Path(tmp))
        engine = make_engine(backend.fresh_url())
        db = AsyncSession(engine, expire_on_commit=False)
        try:
            dossier_id, reader = runner.run(_seed(db))
            runner.run(_read_bare(db, dossier_id))  # warm caches and statement compilation
            runner.run(_read_with_policy(db, dossier_id, reader))
            base = best_of(lambda: runner.run(_read_bare(db, dossier_id)), rounds=7)
            ours = best_of(lambda: runner.run(_read_with_policy(db, dossier_id, reader)), 7)
            logged = best_of(lambda: runner.run(_read_logged(db, dossier_id, reader)), 7)
            decide = runner.run(_decide_only(db, dossier_id, reader))
        finally:
            runner.run(db.close())
            runner.run(engine.dispose())
    label = f"sqlite: grantee read, {GRANTS} grants"
    return [
        (f"{label} (policy vs none)", ours / READS, base / READS, "<= 1.2x"),
        (f"{label} + log write (info)", logged / READS, base / READS, "info"),
        ("  of which facts + may() alone (info)", decide / READS, base / READS, "info"),
    ]


# -- (c) verifying the access log ---------------------------------------------------------------


def _chain(n: int) -> tuple[list[dict[str, Any]], list[bytes]]:
    """A valid log of `n` events as the API serves it, and the exact bytes each link hashes."""
    dossier, actor = str(uuid.uuid4()), str(uuid.uuid4())
    head, events, hashed = crypto.GENESIS, [], []
    for seq in range(1, n + 1):
        event = {
            "seq": seq,
            "dossier": dossier,
            "actor": actor,
            "action": "section:read",
            "section": "verhaal" if seq % 3 else None,
            "at": "2025-06-01T12:00:00Z",
        }
        hashed.append(head + crypto.canonical(hashed_event(head, event)))
        new = crypto.log_hash(head, event)
        events.append({**event, "prev_hash": crypto.b64e(head), "hash": crypto.b64e(new)})
        head = new
    return events, hashed


def _raw_blake2b(hashed: list[bytes]) -> None:
    for data in hashed:
        hashlib.blake2b(data, digest_size=32).digest()


def bench_log() -> list[Row]:
    events, hashed = _chain(EVENTS)
    owner = crypto.Identity.generate()
    head = crypto.b64d(events[-1]["hash"])
    checkpoint = crypto.sign_checkpoint(owner, events[0]["dossier"], EVENTS, head)
    pk = owner.public.sign_pk
    ours = best_of(lambda: crypto.verify_chain(events, checkpoint=checkpoint, owner_sign_pk=pk))
    base = best_of(lambda: _raw_blake2b(hashed))
    per_event_us = ours / EVENTS * 1e6
    print(f"verify_chain: {EVENTS} events in {ours * 1e3:.1f} ms, {per_event_us:.1f} us/event")
    return [(f"verify_chain, {EVENTS} events (< 1 s)", ours, base, "info")]


def _rotation_fixture(
    n: int,
) -> tuple[crypto.Identity, crypto.SectionKeyPair, list[crypto.SealedEntry]]:
    owner = crypto.Identity.generate()
    pair = crypto.SectionKeyPair.generate()
    signed = crypto.sign_section_key(owner, "d", "notities", 1, pair.pk)
    entries = [
        crypto.seal_entry(
            {"tekst": "x" * 200},
            dossier="d",
            section="notities",
            entry=str(i),
            version=1,
            author_id="o",
            author=owner,
            section_key=signed,
        )
        for i in range(n)
    ]
    return owner, pair, entries


def _rotate(owner: crypto.Identity, pair: crypto.SectionKeyPair, entries: list[Any]) -> None:
    fresh = crypto.SectionKeyPair.generate()
    signed = crypto.sign_section_key(owner, "d", "notities", 2, fresh.pk)
    for entry in entries:
        crypto.rewrap_entry(entry, old_section_sk=pair.sk, new_section_key=signed, owner=owner)
    for _ in range(GRANTEES):
        crypto.seal_to(bytes(crypto.Identity.generate().box.public_key), bytes(fresh.sk))


def bench_rotation() -> list[Row]:
    box = SealedBox(PrivateKey.generate().public_key)
    raw = best_of(lambda: [box.encrypt(b"k" * 32) for _ in range(1000)], rounds=5) / 1000
    rows: list[Row] = []
    for n in (100, 1_000, 10_000):
        fixture = _rotation_fixture(n)
        total = best_of(lambda f=fixture: _rotate(*f), rounds=3 if n < 10_000 else 1)
        rows.append((f"rotate {n} entries, {GRANTEES} readers: per entry", total / n, raw, "flat"))
    return rows


def main() -> int:
    rows = bench_policy()
    rows += bench_rotation()
    rows += bench_log()
    report(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
