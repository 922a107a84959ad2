"""`authors_of` against SQLite and PostgreSQL: every append receipt of a section with the
identities that may sign under it, so a reader can accept or refuse an entry itself."""

from consent.grants.authors import authors_of, receipt_items
from consent.grants.service import GrantService
from consent.log.actions import LogAction
from dossier import crypto
from tests.consent.caseload.world import organisation, pro, share, youth


async def test_a_section_nobody_may_append_to_lists_no_authors(db):
    owner, reader = await youth(db), await pro(db)
    await share(db, owner, "plan", reader)  # read only: never an author
    assert await authors_of(db, owner.sections["plan"]) == []
    assert receipt_items([]) == []


async def test_a_person_with_an_append_receipt_is_listed_with_their_identity(db):
    owner, coach = await youth(db), await pro(db)
    grant = await share(db, owner, "notities", coach, permissions=("append", "read"))
    [author] = await authors_of(db, owner.sections["notities"])
    assert author.receipt == grant.receipt
    assert author.grantee_kind == "person"
    assert author.identities == [coach.identity.public.to_json()]
    assert author.members == {}
    receipt = crypto.ConsentReceipt.from_json(author.receipt)
    receipt.verify(owner.account.sign_pk)
    assert receipt.grantee_key_fingerprint == coach.identity.public.fingerprint()
    assert receipt_items([author]) == [
        {"receipt": grant.receipt, "grantee": coach.identity.public.to_json()}
    ]


async def test_a_revoked_appender_stays_listed_for_what_they_wrote_while_valid(db):
    owner, coach = await youth(db), await pro(db)
    grant = await share(db, owner, "notities", coach, permissions=("append",))
    await GrantService(db).revoke(
        owner.account, owner.dossier_id, [str(grant.id)], LogAction.REVOKE
    )
    [author] = await authors_of(db, owner.sections["notities"])
    assert author.receipt == grant.receipt


async def test_authors_of_one_section_are_not_listed_for_another(db):
    owner, coach = await youth(db), await pro(db)
    await share(db, owner, "notities", coach, permissions=("append",))
    assert await authors_of(db, owner.sections["plan"]) == []


async def test_an_organisation_is_listed_with_its_keys_members_and_their_attestations(db):
    owner, admin, member = await youth(db), await pro(db), await pro(db)
    org = await organisation(db, admin, member)
    grant = await share(db, owner, "notities", org, permissions=("append",))
    [author] = await authors_of(db, owner.sections["notities"])
    assert author.grantee_kind == "organisation"
    assert author.identities == [org.identity.public.to_json()]
    assert author.members == {
        str(admin.id): admin.identity.public.to_json(),
        str(member.id): member.identity.public.to_json(),
    }
    keys = [(1, org.identity.public, None)]
    for party in (admin, member):
        # what a reader checks: the organisation itself attested this member
        crypto.verify_org_member(
            str(org.id),
            org.identity.public,
            keys,
            str(party.id),
            party.identity.public,
            author.attestations[str(party.id)],
        )
    assert [k["version"] for k in author.org_keys] == [1]
    [item] = receipt_items([author])
    assert item["receipt"] == grant.receipt
    assert item["grantee"] == org.identity.public.to_json()
    assert set(item) == {"receipt", "grantee", "members", "attestations", "org_keys"}
