"""SsoService against a real database (SQLite and PostgreSQL), inside a rolled-back transaction:
who configures an organisation's provider, which subject signs in as which professional, and
how links are made, replaced and dropped. The protocol itself is tested against a real
provider in tests/e2e/test_oidc.py."""

import uuid

import pytest
from sqlalchemy import select

from consent.parties.service import PartiesService
from consent.sso.errors import (
    InvalidIssuer,
    SsoLinkedElsewhere,
    SsoNotConfigured,
    SsoUnknownSubject,
)
from consent.sso.models import OidcLink
from consent.sso.service import SsoService, check_issuer_url
from dossier.errors import Forbidden, InvalidInput
from tests.consent.test_parties_service import add, new_org, person

ISSUER = "https://login.jongerenloket.example"
CLIENT = "rugzak"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://login.example.org", True),
        ("https://login.example.org/realms/zwolle", True),
        (" https://login.example.org ", True),
        ("http://127.0.0.1:9090", True),
        ("http://localhost:9090", True),
        ("http://[::1]:9090", True),
        ("http://login.example.org", False),
        ("http://127.0.0.2:9090", False),
        ("ftp://login.example.org", False),
        ("https://login.example.org?tenant=1", False),
        ("https://login.example.org#x", False),
        ("https://", False),
        ("login.example.org", False),
    ],
)
def test_issuer_is_https_or_allowed_loopback_without_query(url, ok):
    if ok:
        assert check_issuer_url(url, loopback_http=True) == url.strip()
    else:
        with pytest.raises(InvalidIssuer):
            check_issuer_url(url, loopback_http=True)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9090", "http://localhost:5432", "http://[::1]"])
def test_plain_http_loopback_is_refused_unless_the_deployment_allows_it(url):
    """Off by default: an organisation admin must not make the server call its own local
    services (RUGZAK_OIDC_LOOPBACK_HTTP is for the demo provider and tests)."""
    with pytest.raises(InvalidIssuer):
        check_issuer_url(url)


async def test_the_service_refuses_a_loopback_issuer_by_default(db):
    admin = await person(db)
    org_id, _ = await new_org(db, admin)
    with pytest.raises(InvalidIssuer):
        await SsoService(db).configure(admin.id, org_id, "http://127.0.0.1:5432", CLIENT)
    allowed = SsoService(db, loopback_http=True)
    org = await allowed.configure(admin.id, org_id, "http://127.0.0.1:9090", CLIENT)
    assert org.oidc_issuer == "http://127.0.0.1:9090"


async def org_with_provider(db, issuer=ISSUER):
    admin = await person(db)
    org_id, org_key = await new_org(db, admin)
    await SsoService(db).configure(admin.id, org_id, issuer, CLIENT)
    return admin, org_id, org_key


async def test_only_an_admin_configures_with_a_safe_issuer_and_a_client_id(db):
    sso = SsoService(db)
    admin = await person(db)
    org_id, org_key = await new_org(db, admin)
    member, outsider = await person(db), await person(db)
    await add(db, admin, org_id, member, org_key)
    for caller in (member, outsider):
        with pytest.raises(Forbidden):
            await sso.configure(caller.id, org_id, ISSUER, CLIENT)
    with pytest.raises(InvalidIssuer):
        await sso.configure(admin.id, org_id, "http://login.jongerenloket.example", CLIENT)
    for client in ("", " ", "x" * 201):
        with pytest.raises(InvalidInput):
            await sso.configure(admin.id, org_id, ISSUER, client)
    assert await sso.configured() == []

    org = await sso.configure(admin.id, org_id, f" {ISSUER} ", f" {CLIENT} ")
    assert (org.oidc_issuer, org.oidc_client_id) == (ISSUER, CLIENT)
    assert [o.id for o in await sso.configured()] == [org_id]
    assert (await sso.for_sign_in(org_id)).id == org_id

    cleared = await sso.configure(admin.id, org_id, "", "")
    assert (cleared.oidc_issuer, cleared.oidc_client_id) == (None, None)
    assert await sso.configured() == []
    with pytest.raises(SsoNotConfigured):
        await sso.for_sign_in(org_id)
    with pytest.raises(SsoNotConfigured):
        await sso.for_sign_in(uuid.uuid4())


async def test_a_linked_active_member_signs_in_and_nobody_else(db):
    sso = SsoService(db)
    admin, org_id, org_key = await org_with_provider(db)
    member = await person(db)
    await add(db, admin, org_id, member, org_key)
    org = await sso.for_sign_in(org_id)
    await sso.link(org, "sub-kim", member.id)
    await sso.link(org, "sub-admin", admin.id)

    assert (await sso.account_for(org, "sub-kim")).id == member.id
    assert (await sso.account_for(org, "sub-admin")).id == admin.id
    with pytest.raises(SsoUnknownSubject):
        await sso.account_for(org, "sub-niemand")

    other_admin = await person(db)
    other_id, _ = await new_org(db, other_admin)
    await sso.configure(other_admin.id, other_id, ISSUER, CLIENT)
    with pytest.raises(SsoUnknownSubject):  # same issuer, same subject: another organisation
        await sso.account_for(await sso.for_sign_in(other_id), "sub-kim")

    await PartiesService(db).remove_member(admin.id, org_id, member.id)
    with pytest.raises(SsoUnknownSubject):
        await sso.account_for(org, "sub-kim")
    assert (await sso.account_for(org, "sub-admin")).id == admin.id


async def test_only_a_member_links_once_per_subject_and_relinking_replaces(db):
    sso = SsoService(db)
    admin, org_id, org_key = await org_with_provider(db)
    member, outsider = await person(db), await person(db)
    await add(db, admin, org_id, member, org_key)
    org = await sso.for_sign_in(org_id)

    with pytest.raises(Forbidden):
        await sso.link(org, "sub-outsider", outsider.id)
    await sso.link(org, "sub-kim", member.id)
    with pytest.raises(SsoLinkedElsewhere):
        await sso.link(org, "sub-kim", admin.id)
    await sso.link(org, "sub-kim", member.id)  # the same link again is fine

    await sso.link(org, "sub-kim-nieuw", member.id)
    with pytest.raises(SsoUnknownSubject):
        await sso.account_for(org, "sub-kim")
    assert (await sso.account_for(org, "sub-kim-nieuw")).id == member.id
    links = await db.scalars(select(OidcLink).where(OidcLink.org_id == org_id))
    assert [(x.subject, x.account_id, x.issuer) for x in links] == [
        ("sub-kim-nieuw", member.id, ISSUER)
    ]

    assert [(o.id, role, linked) for o, role, linked in await sso.mine(member.id)] == [
        (org_id, "member", True)
    ]
    assert [(o.id, role, linked) for o, role, linked in await sso.mine(admin.id)] == [
        (org_id, "admin", False)
    ]
    await sso.unlink(org_id, member.id)
    assert [linked for _, _, linked in await sso.mine(member.id)] == [False]
    with pytest.raises(SsoUnknownSubject):
        await sso.account_for(org, "sub-kim-nieuw")


async def test_a_new_issuer_drops_every_link_and_the_same_issuer_keeps_them(db):
    sso = SsoService(db)
    admin, org_id, _ = await org_with_provider(db)
    org = await sso.for_sign_in(org_id)
    await sso.link(org, "sub-admin", admin.id)

    await sso.configure(admin.id, org_id, ISSUER, "een-andere-client")
    assert (await sso.account_for(org, "sub-admin")).id == admin.id

    await sso.configure(admin.id, org_id, "https://login.ander.example", CLIENT)
    assert await db.scalar(select(OidcLink).where(OidcLink.org_id == org_id)) is None
    with pytest.raises(SsoUnknownSubject):
        await sso.account_for(org, "sub-admin")
