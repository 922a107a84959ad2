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
