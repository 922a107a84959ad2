import pytest

from dossier import crypto

OWNER = crypto.Identity.generate()


def test_a_statement_verifies_with_the_owners_key_and_returns_its_fields():
    signed = crypto.sign_statement(
        OWNER, {"kind": "decline", "request": "r1", "sections": ["geld"]}
    )
    assert signed["v"] == crypto.VERSION
    fields = crypto.verify_statement(signed, OWNER.public.sign_pk)
    assert fields == {"kind": "decline", "request": "r1", "sections": ["geld"]}


@pytest.mark.parametrize("field", ["kind", "request", "sections"])
def test_any_changed_field_fails(field):
    signed = crypto.sign_statement(
        OWNER, {"kind": "decline", "request": "r1", "sections": ["geld"]}
    )
    signed[field] = "anders"
    with pytest.raises(crypto.TamperedError):
        crypto.verify_statement(signed, OWNER.public.sign_pk)


def test_another_key_fails_and_unknown_version_is_refused():
    signed = crypto.sign_statement(OWNER, {"kind": "withdraw"})
    with pytest.raises(crypto.TamperedError):
        crypto.verify_statement(signed, crypto.Identity.generate().public.sign_pk)
    with pytest.raises(crypto.UnsupportedVersion):
        crypto.verify_statement({**signed, "v": 1}, OWNER.public.sign_pk)


def test_reserved_names_are_refused():
    with pytest.raises(crypto.MalformedError):
        crypto.sign_statement(OWNER, {"signature": "x"})


ORG = crypto.Identity.generate()
MEMBER = crypto.Identity.generate().public


def test_a_membership_attestation_verifies_for_exactly_its_member_key_and_version():
    signed = crypto.sign_membership(ORG, "org-1", "acc-1", MEMBER, 3)
    crypto.verify_membership(signed, ORG.public.sign_pk, "org-1", "acc-1", MEMBER, 3)
    other = crypto.Identity.generate()
    for args in (
        (other.public.sign_pk, "org-1", "acc-1", MEMBER, 3),  # signed by someone else
        (ORG.public.sign_pk, "org-2", "acc-1", MEMBER, 3),  # another organisation
        (ORG.public.sign_pk, "org-1", "acc-2", MEMBER, 3),  # another account
        (ORG.public.sign_pk, "org-1", "acc-1", other.public, 3),  # a swapped key
        (ORG.public.sign_pk, "org-1", "acc-1", MEMBER, 4),  # another key version
    ):
        with pytest.raises(crypto.TamperedError):
            crypto.verify_membership(signed, *args)


def test_a_statement_signed_by_the_org_is_no_attestation_unless_it_says_so():
    signed = crypto.sign_statement(ORG, {"kind": "consent-answer", "org": "org-1"})
    with pytest.raises(crypto.TamperedError):
        crypto.verify_membership(signed, ORG.public.sign_pk, "org-1", "acc-1", MEMBER, 1)


def org_history(versions: int) -> list[crypto.Identity]:
    return [crypto.Identity.generate() for _ in range(versions)]


def listed(keys: list[crypto.Identity], org_id: str = "org-1") -> list:
    """(version, identity, succession) as the server lists them: each key named by the one
    before it."""
    out = [(1, keys[0].public, None)]
    for i in range(1, len(keys)):
        succession = crypto.sign_succession(keys[i - 1], org_id, keys[i].public, i + 1)
        out.append((i + 1, keys[i].public, succession))
    return out


def test_a_member_attested_after_two_rotations_follows_from_the_granted_key():
    keys = org_history(3)
    attestation = crypto.sign_membership(keys[2], "org-1", "acc-1", MEMBER, 3)
    for granted in keys:  # a grant made at any version leads to version 3
        crypto.verify_org_member(
            "org-1", granted.public, listed(keys), "acc-1", MEMBER, attestation
        )


def test_a_chain_the_server_bent_or_an_old_member_is_refused():
    keys = org_history(3)
    good = listed(keys)
    attestation = crypto.sign_membership(keys[2], "org-1", "acc-1", MEMBER, 3)
    spy = crypto.Identity.generate()
    bent = [*good[:2], (3, spy.public, crypto.sign_succession(spy, "org-1", spy.public, 3))]
    early = crypto.sign_membership(keys[0], "org-1", "acc-1", MEMBER, 1)
    cases = [
        (keys[0].public, bent, attestation),  # version 3 not named by version 2
        (keys[0].public, good[:2], attestation),  # version 3 missing
        (keys[0].public, [*good[:2], (3, keys[2].public, None)], attestation),
        (spy.public, good, attestation),  # the grant names a key the org never had
        (keys[2].public, good, early),  # attested before the grant's key: not a member then
        (keys[0].public, good, None),
        (keys[0].public, good, attestation | {"key_version": "3"}),
    ]
    for granted, chain, attested in cases:
        with pytest.raises(crypto.TamperedError):
            crypto.verify_org_member("org-1", granted, chain, "acc-1", MEMBER, attested)
    with pytest.raises(crypto.TamperedError):  # another account, same attestation
        crypto.verify_org_member("org-1", keys[0].public, good, "acc-2", MEMBER, attestation)


def test_a_succession_names_exactly_one_key_and_version():
    old, new = crypto.Identity.generate(), crypto.Identity.generate()
    signed = crypto.sign_succession(old, "org-1", new.public, 2)
    crypto.verify_succession(signed, old.public.sign_pk, "org-1", new.public, 2)
    for args in (
        (new.public.sign_pk, "org-1", new.public, 2),
        (old.public.sign_pk, "org-1", old.public, 2),
        (old.public.sign_pk, "org-1", new.public, 3),
    ):
        with pytest.raises(crypto.TamperedError):
            crypto.verify_succession(signed, *args)
