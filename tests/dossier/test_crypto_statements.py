import pytest

from dossier import crypto

OWNER = crypto.Identity.generate()


def test_a_statement_verifies_with_the_owners_key_and_returns_its_fields():
    signed = crypto.sign_statement(
        OWNER, {"kind": "decline", "request": "r1", "sections": ["geld"]}
    )
    assert signed["v"] == 1
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
        crypto.verify_statement({**signed, "v": 2}, OWNER.public.sign_pk)


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
