"""EntryService.append, the one "check access, then append" behind the API, the youth's section
form and the professional's note, against SQLite and PostgreSQL: who may append, which refusal
names the rule, and that a refusal stores nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from consent.authorisation import AccessDenied
from consent.entries import EntryService
from consent.grants.service import GrantService
from consent.log.actions import LogAction
from consent.log.models import LogEvent
from dossier import crypto
from dossier.errors import InvalidInput, NotFound, VersionConflict
from dossier.sections.models import Entry
from tests.consent.caseload.world import Party, Youth, expire, organisation, pro, share, youth


def sealed(
    owner: Youth, key: str, author: Party, *, entry: str | None = None, version: int = 1
) -> dict[str, Any]:
    """An entry as the author's client seals it for the section's current key."""
    return crypto.seal_entry(
        {"tekst": "Ik heb een afspraak bij de woningcorporatie"},
        dossier=str(owner.dossier_id),
        section=key,
        entry=entry or str(uuid.uuid4()),
        version=version,
        author_id=str(author.id),
        author=author.identity,
        section_key=crypto.SignedSectionKey.from_json(owner.sections[key].signed_key),
    ).to_json()


async def append(db, author: Party, owner: Youth, key: str, data: dict[str, Any]) -> Entry:
    return await EntryService(db).append(
        author.id, author.account.sign_pk, owner.dossier_id, key, data
    )


async def stored(db, owner: Youth) -> int:
    query = select(func.count()).where(Entry.dossier_id == owner.dossier_id)
    return int(await db.scalar(query) or 0)


async def appends_logged(db, owner: Youth, actor: Party) -> int:
    query = select(func.count()).where(
        LogEvent.dossier_id == owner.dossier_id,
        LogEvent.actor == str(actor.id),
        LogEvent.action == LogAction.APPEND.value,
    )
    return int(await db.scalar(query) or 0)


async def test_the_owner_appends_and_the_append_is_logged(db):
    who = await youth(db)
    row = await append(db, who, who, "plan", sealed(who, "plan", who))
    assert row.author_id == who.id
    assert row.version == 1
    assert await stored(db, who) == 1
    assert await appends_logged(db, who, who) == 1


async def test_a_grantee_with_append_appends_directly_or_through_an_organisation(db):
    coach, admin, member = await pro(db), await pro(db), await pro(db)
    who = await youth(db)
    await share(db, who, "notities", coach, permissions=("append",))
    org = await organisation(db, admin, member)
    await share(db, who, "plan", org, permissions=("append", "read"))
    mine = await append(db, coach, who, "notities", sealed(who, "notities", coach))
    theirs = await append(db, member, who, "plan", sealed(who, "plan", member))
    assert (mine.author_id, theirs.author_id) == (coach.id, member.id)
    assert await stored(db, who) == 2
    assert await appends_logged(db, who, coach) == 1
    assert await appends_logged(db, who, member) == 1


async def test_a_new_version_of_an_entry_appends(db):
    who = await youth(db)
    entry = str(uuid.uuid4())
    await append(db, who, who, "plan", sealed(who, "plan", who, entry=entry))
    row = await append(db, who, who, "plan", sealed(who, "plan", who, entry=entry, version=2))
    assert row.version == 2


async def test_without_a_grant_the_append_is_refused(db):
    stranger = await pro(db)
    who = await youth(db)
    with pytest.raises(AccessDenied, match="no-grant"):
        await append(db, stranger, who, "plan", sealed(who, "plan", stranger))
    assert await stored(db, who) == 0


async def test_a_grant_on_another_section_does_not_count(db):
    coach = await pro(db)
    who = await youth(db)
    await share(db, who, "werk", coach, permissions=("append",))
    with pytest.raises(AccessDenied, match="no-grant"):
        await append(db, coach, who, "plan", sealed(who, "plan", coach))
    assert await stored(db, who) == 0


async def test_a_revoked_grant_is_refused(db):
    coach = await pro(db)
    who = await youth(db)
    grant = await share(db, who, "notities", coach, permissions=("append",))
    await GrantService(db).revoke(who.account, who.dossier_id, [str(grant.id)], LogAction.REVOKE)
    with pytest.raises(AccessDenied, match="revoked"):
        await append(db, coach, who, "notities", sealed(who, "notities", coach))
    assert await stored(db, who) == 0


async def test_an_expired_grant_is_refused(db):
    coach = await pro(db)
    who = await youth(db)
    grant = await share(db, who, "notities", coach, permissions=("append",))
    await expire(db, grant)
    with pytest.raises(AccessDenied, match="expired"):
        await append(db, coach, who, "notities", sealed(who, "notities", coach))
    assert await stored(db, who) == 0


async def test_a_read_only_grant_is_refused(db):
    coach = await pro(db)
    who = await youth(db)
    await share(db, who, "plan", coach, permissions=("read",))
    with pytest.raises(AccessDenied, match="not-permitted"):
        await append(db, coach, who, "plan", sealed(who, "plan", coach))
    assert await stored(db, who) == 0


async def test_a_wrong_version_is_refused(db):
    who = await youth(db)
    entry = str(uuid.uuid4())
    with pytest.raises(VersionConflict):  # a first version must be 1
        await append(db, who, who, "plan", sealed(who, "plan", who, entry=entry, version=2))
    await append(db, who, who, "plan", sealed(who, "plan", who, entry=entry))
    with pytest.raises(VersionConflict):  # the same version twice
        await append(db, who, who, "plan", sealed(who, "plan", who, entry=entry))
    assert await stored(db, who) == 1


async def test_an_entry_for_another_place_or_author_is_refused(db):
    coach = await pro(db)
    who = await youth(db)
    await share(db, who, "notities", coach, permissions=("append",))
    with pytest.raises(InvalidInput):  # sealed for "plan", sent to "notities"
        await append(db, who, who, "notities", sealed(who, "plan", who))
    with pytest.raises(InvalidInput):  # signed by the youth, sent as the coach
        await append(db, coach, who, "notities", sealed(who, "notities", who))
    with pytest.raises(NotFound):
        await append(db, who, who, "geheim", sealed(who, "plan", who))
    assert await stored(db, who) == 0


async def test_a_bad_signature_or_form_is_refused_after_the_access_decision(db):
    """The form and the signature are checked before the dossier is locked, but the answer
    is the same as before: no access first, then the entry's faults in their usual order."""
    stranger = await pro(db)
    who = await youth(db)
    forged = sealed(who, "plan", stranger)
    forged["ciphertext"] = crypto.b64e(b"\0" * 48)  # the author's signature no longer covers it
    with pytest.raises(AccessDenied, match="no-grant"):
        await append(db, stranger, who, "plan", forged)
    with pytest.raises(AccessDenied, match="no-grant"):
        await append(db, stranger, who, "plan", {"v": 1, "garbage": True})
    with pytest.raises(InvalidInput, match="signature"):
        await append(
            db, who, who, "plan", {**sealed(who, "plan", who), "ciphertext": forged["ciphertext"]}
        )
    with pytest.raises(InvalidInput, match="malformed"):
        await append(db, who, who, "plan", {"v": 1, "garbage": True})
    elsewhere = {**sealed(who, "notities", who), "ciphertext": forged["ciphertext"]}
    with pytest.raises(InvalidInput, match="another dossier or section"):  # before the signature
        await append(db, who, who, "plan", elsewhere)
    assert await stored(db, who) == 0
