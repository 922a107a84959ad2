"""Organisations over real HTTP on SQLite and PostgreSQL: members share one org key, a removed
member is refused at once, and the admin's client rotates the org key and re-wraps every
grant the organisation holds."""

import datetime as dt
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from nacl.public import PrivateKey
from sqlalchemy import insert as insert_into
from sqlalchemy import select

from consent.grants.models import Grant
from consent.parties.models import Membership, OrgKeyVersion
from dossier import crypto
from dossier.client import RugzakClient
from dossier.client.api import ApiError
from dossier.sections.models import Section
from tests.e2e.conftest import professional
from tests.support.sql import add_rows, on_db

# -- helpers ------------------------------------------------------------------------------


@pytest.fixture
def pros(server):
    """Three professionals: an admin of a fresh organisation and two members."""
    clients = [professional(server) for _ in range(3)]
    yield clients
    for client in clients:
        client.close()


@pytest.fixture
def org(pros):
    admin, one, two = pros
    org_id = admin.create_organisation("Jobcoach Zwolle", "jobcoach")
    admin.add_member(org_id, one.unlocked().username)
    admin.add_member(org_id, two.unlocked().account_id)
    return org_id


def grant_to_org(settings, youth: RugzakClient, key: str, org: dict) -> str:
    """Stands in for the grants API: the youth's section private key sealed to the org."""
    section = youth.section(key)
    assert section.private_key is not None
    box_pk = crypto.PublicIdentity.from_json(org["identity"]).box_pk
    envelope = crypto.seal_to(box_pk, bytes(section.private_key))
    dossier_id = uuid.UUID(youth.unlocked().dossier_id)
    grant_id = uuid.uuid4()
    now = dt.datetime.now(dt.UTC)

    async def insert(connection):
        section_id = await connection.scalar(
            select(Section.id).where(Section.dossier_id == dossier_id, Section.key == key)
        )
        await connection.execute(
            insert_into(Grant).values(
                id=grant_id,
                dossier_id=dossier_id,
                section_id=section_id,
                section=key,
                grantee_kind="organisation",
                grantee_id=uuid.UUID(org["id"]),
                can_read=True,
                can_append=False,
                purpose="warme overdracht",
                issued_at=now - dt.timedelta(minutes=1),
                expires_at=now + dt.timedelta(days=365),
                rotated_out=False,
                receipt={},
                envelope=envelope,
                envelope_key_version=section.key_version,
                created_at=now,
            )
        )

    on_db(settings.database_url, insert)
    return str(grant_id)


def envelope_of(settings, grant_id: str) -> bytes:
    query = select(Grant.envelope).where(Grant.id == uuid.UUID(grant_id))
    return on_db(settings.database_url, lambda c: c.scalar(query))


def key_versions(settings, org_id: str) -> list[int]:
    query = (
        select(OrgKeyVersion.version)
        .where(OrgKeyVersion.org_id == uuid.UUID(org_id))
        .order_by(OrgKeyVersion.version)
    )

    async def versions(connection):
        return list(await connection.scalars(query))

    return on_db(settings.database_url, versions)


def opens_section(org_key: crypto.Identity, envelope: bytes, youth, key: str) -> bool:
    try:
        sk = PrivateKey(crypto.open_sealed(org_key.box, envelope))
    except crypto.TamperedError:
        return False
    return bytes(sk.public_key) == youth.section(key).signed_key.pk


def entries_path(youth, key: str) -> str:
    return f"/api/v1/dossiers/{youth.unlocked().dossier_id}/sections/{key}/entries"


def status_of(call) -> int:
    try:
        call()
    except ApiError as exc:
        return exc.status
    return 200


# -- organisations and members ------------------------------------------------------------


def test_members_open_the_same_org_key(pros, org):
    admin, one, two = pros
    keys = [c.organisation_key(org) for c in pros]
    assert keys[0].secret() == keys[1].secret() == keys[2].secret()
    public = admin.organisation(org)
    assert keys[0].public == crypto.PublicIdentity.from_json(public["identity"])
    assert public["key_version"] == 1
    mine = one.organisations()
    assert [(o["id"], o["role"], o["kind"], o["rotation_due"]) for o in mine] == [
        (org, "member", "jobcoach", False)
    ]
    roles = {m["username"]: m["role"] for m in two.members(org)}
    assert roles == {
        admin.unlocked().username: "admin",
        one.unlocked().username: "member",
        two.unlocked().username: "member",
    }


def test_outsiders_and_youths_are_refused(server, pros, org, youth):
    with professional(server) as outsider:
        for call in (
            lambda: outsider.organisation_key(org),
            lambda: outsider.members(org),
            lambda: outsider.org_grants_summary(org),
            lambda: outsider.add_member(org, outsider.unlocked().username),
        ):
            assert status_of(call) == 403
    assert status_of(lambda: youth.create_organisation("Mijn club", "zorg")) == 403
    admin = pros[0]
    # Only professional accounts can be members.
    assert status_of(lambda: admin.add_member(org, youth.unlocked().username)) == 404
    assert status_of(lambda: admin.add_member(org, pros[1].unlocked().username)) == 409


def test_bad_organisation_input_is_a_problem(pros):
    admin = pros[0]
    with pytest.raises(ApiError) as bad_kind:
        admin.create_organisation("Iets", "bank")
    assert bad_kind.value.status in {400, 422}
    body = {
        "id": str(uuid.uuid4()),
        "name": "Halve sleutel",
        "kind": "school",
        "identity": crypto.Identity.generate().public.to_json(),
        "sealed_org_key": crypto.b64e(b"x" * 80),
        "attestation": {},
    }
    with pytest.raises(ApiError) as short:
        admin.api.call("POST", "/api/v1/organisations", json=body)
    assert short.value.status == 400
    assert short.value.code == "invalid-input"


def test_roles_and_admin_only_management(pros, org):
    admin, one, two = pros
    one_id, two_id = one.unlocked().account_id, two.unlocked().account_id
    for call in (
        lambda: one.add_member(org, two_id),
        lambda: one.set_role(org, two_id, "admin"),
        lambda: one.remove_member(org, two_id),
        lambda: one.rotate_org_key(org),
    ):
        assert status_of(call) == 403
    admin.set_role(org, one_id, "admin")
    one.set_role(org, two_id, "admin")
    assert {m["role"] for m in admin.members(org)} == {"admin"}
    one.set_role(org, two_id, "member")
    assert {m["username"]: m["role"] for m in one.members(org)}[two.unlocked().username] == (
        "member"
    )


def test_the_last_admin_stays(pros, org):
    admin, one, _ = pros
    admin_id = admin.unlocked().account_id
    for call in (
        lambda: admin.set_role(org, admin_id, "member"),
        lambda: admin.remove_member(org, admin_id),
    ):
        with pytest.raises(ApiError) as refused:
            call()
        assert (refused.value.status, refused.value.code) == (409, "last-admin")
    admin.set_role(org, one.unlocked().account_id, "admin")
    admin.set_role(org, admin_id, "member")  # now allowed: one is admin
    assert {m["role"] for m in one.members(org)} == {"admin", "member"}


# -- removal and rotation -----------------------------------------------------------------


def test_removed_member_is_refused_at_once_and_the_key_rotates(settings, pros, org, youth):
    admin, leaver, stayer = pros
    youth.write("verhaal", {"tekst": "Ik wil graag werken in de zorg."})
    grant_id = grant_to_org(settings, youth, "verhaal", admin.organisation(org))
    old_key = leaver.organisation_key(org)
    assert leaver.api.call("GET", entries_path(youth, "verhaal"))["entries"]
    assert stayer.org_grants_summary(org) == {"verhaal": 1}

    leaver_id = leaver.unlocked().account_id
    admin.api.call("DELETE", f"/api/v1/organisations/{org}/members/{leaver_id}")
    # Refused at once, before any rotation happened.
    assert status_of(lambda: leaver.api.call("GET", entries_path(youth, "verhaal"))) == 403
    assert status_of(lambda: leaver.organisation_key(org)) == 403
    assert [o["rotation_due"] for o in admin.organisations()] == [True]
    assert stayer.organisation_key(org).secret() == old_key.secret()  # not yet rotated

    assert admin.rotate_org_key(org) == 2
    assert [o["rotation_due"] for o in admin.organisations()] == [False]
    new_key = stayer.organisation_key(org)
    assert new_key.secret() == admin.organisation_key(org).secret()
    assert new_key.secret() != old_key.secret()
    assert new_key.public == crypto.PublicIdentity.from_json(admin.organisation(org)["identity"])
    envelope = envelope_of(settings, grant_id)
    assert opens_section(new_key, envelope, youth, "verhaal")
    assert not opens_section(old_key, envelope, youth, "verhaal")
    # A grant made after the rotation is sealed to the new identity the server now shows.
    later = envelope_of(settings, grant_to_org(settings, youth, "plan", admin.organisation(org)))
    assert opens_section(new_key, later, youth, "plan")
    assert not opens_section(old_key, later, youth, "plan")
    assert stayer.api.call("GET", entries_path(youth, "verhaal"))["entries"]
    assert {m["username"]: m["state"] for m in admin.members(org)}[
        leaver.unlocked().username
    ] == "removed"
    assert leaver.unlocked().username not in {m["username"] for m in stayer.members(org)}
    assert key_versions(settings, org) == [1, 2]


def test_remove_member_is_one_action_and_a_member_can_return(settings, pros, org, youth):
    admin, leaver, stayer = pros
    grant_to_org(settings, youth, "werk", admin.organisation(org))
    old = leaver.organisation_key(org)
    assert admin.remove_member(org, leaver.unlocked().account_id) == 2
    assert status_of(lambda: leaver.organisation_key(org)) == 403
    admin.add_member(org, leaver.unlocked().username)
    again = leaver.organisation_key(org)
    assert again.secret() == stayer.organisation_key(org).secret() != old.secret()


# -- concurrency and incomplete uploads ---------------------------------------------------


def test_concurrent_rotations_one_wins_the_other_retries(settings, pros, org, youth):
    admin, second, member = pros
    admin.set_role(org, second.unlocked().account_id, "admin")
    grants = [grant_to_org(settings, youth, k, admin.organisation(org)) for k in ("werk", "wonen")]
    uploads = [admin.rotation_upload(org), second.rotation_upload(org)]
    start = threading.Barrier(2)

    def send(client, body):
        start.wait()
        return status_of(
            lambda: client.api.call("POST", f"/api/v1/organisations/{org}/rotation", json=body)
        )

    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(send, [admin, second], uploads))
    assert sorted(statuses) == [200, 409]
    loser = second if statuses[1] == 409 else admin
    assert loser.rotate_org_key(org) == 3

    final = member.organisation_key(org)
    assert all(c.organisation_key(org).secret() == final.secret() for c in pros)
    assert final.public == crypto.PublicIdentity.from_json(admin.organisation(org)["identity"])
    for grant_id, key in zip(grants, ("werk", "wonen"), strict=True):
        assert opens_section(final, envelope_of(settings, grant_id), youth, key)


def test_simultaneous_rotations_both_land(settings, pros, org, youth):
    admin, second, member = pros
    admin.set_role(org, second.unlocked().account_id, "admin")
    grant_id = grant_to_org(settings, youth, "geld", admin.organisation(org))
    start = threading.Barrier(2)

    def rotate(client):
        start.wait()
        return client.rotate_org_key(org)

    with ThreadPoolExecutor(2) as pool:
        versions = sorted(pool.map(rotate, [admin, second]))
    assert versions == [2, 3]
    final = member.organisation_key(org)
    assert opens_section(final, envelope_of(settings, grant_id), youth, "geld")


@pytest.mark.parametrize("drop", ["members", "grants"])
def test_upload_that_leaves_something_out_changes_nothing(settings, pros, org, youth, drop):
    admin, one, _ = pros
    grant_id = grant_to_org(settings, youth, "school", admin.organisation(org))
    envelope = envelope_of(settings, grant_id)
    before = one.organisation_key(org)
    body = admin.rotation_upload(org)
    assert body is not None
    body[drop] = body[drop][1:]
    with pytest.raises(ApiError) as refused:
        admin.api.call("POST", f"/api/v1/organisations/{org}/rotation", json=body)
    assert (refused.value.status, refused.value.code) == (400, "rotation-incomplete")
    assert admin.organisation(org)["key_version"] == 1
    assert one.organisation_key(org).secret() == before.secret()
    assert envelope_of(settings, grant_id) == envelope
    assert [o["rotation_due"] for o in admin.organisations()] == [False]


def test_stale_or_reused_rotation_is_refused(pros, org):
    admin = pros[0]
    body = admin.rotation_upload(org)
    assert body is not None
    assert admin.rotate_org_key(org) == 2
    with pytest.raises(ApiError) as stale:
        admin.api.call("POST", f"/api/v1/organisations/{org}/rotation", json=body)
    assert (stale.value.status, stale.value.code) == (409, "version-conflict")
    fresh = admin.rotation_upload(org)
    assert fresh is not None
    fresh["identity"] = admin.organisation(org)["identity"]  # the same key again
    with pytest.raises(ApiError) as reused:
        admin.api.call("POST", f"/api/v1/organisations/{org}/rotation", json=fresh)
    assert reused.value.status == 400


def test_admin_refuses_a_member_identity_other_than_the_pinned_one(server, pros, org):
    admin = pros[0]
    with professional(server) as newcomer:
        newcomer_id = newcomer.unlocked().account_id
        admin.pin(newcomer_id, crypto.Identity.generate().public)  # compared "in person"
        with pytest.raises(crypto.TamperedError):
            admin.add_member(org, newcomer_id)
        assert newcomer.unlocked().username not in {m["username"] for m in admin.members(org)}
        admin.pin(newcomer_id, newcomer.unlocked().identity.public)
        admin.add_member(org, newcomer_id)
        assert newcomer.organisation_key(org).secret() == admin.organisation_key(org).secret()


# -- a server that slips in a member ------------------------------------------------------


@pytest.mark.parametrize("forged", ["none", "own-key", "another-member"])
def test_a_member_the_server_slipped_in_gets_no_new_key(settings, server, pros, org, forged):
    """The server adds an account of its choosing as an active member (with no attestation,
    one signed with that account's own key, or a real member's attestation). The admin's
    client refuses the rotation instead of sealing the new org key to it; the removal it asked
    for still stands."""
    admin, leaver, _ = pros
    spy = professional(server)
    spy_id = spy.unlocked().account_id
    attestation = {
        "none": None,
        "own-key": crypto.sign_membership(
            spy.unlocked().identity, org, spy_id, spy.unlocked().identity.public, 1
        ),
        "another-member": admin.api.call("GET", f"/api/v1/organisations/{org}/rotation")["members"][
            0
        ]["attestation"],
    }[forged]
    add_rows(
        settings.database_url,
        Membership(
            org_id=uuid.UUID(org),
            account_id=uuid.UUID(spy_id),
            role="member",
            state="active",
            key_version=1,
            sealed_org_key=b"\0" * 112,
            attestation=attestation,
        ),
    )
    with pytest.raises(crypto.TamperedError):
        admin.remove_member(org, leaver.unlocked().account_id)
    assert key_versions(settings, org) == [1]  # nothing sealed to anyone
    assert status_of(lambda: leaver.organisation_key(org)) == 403  # the removal stands
    assert spy.api.call("GET", f"/api/v1/organisations/{org}/key")["sealed_org_key"] == (
        crypto.b64e(b"\0" * 112)
    )
    spy.close()
