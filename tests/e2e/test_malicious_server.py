"""A malicious server edits the database behind the client's back; the client refuses each
trick with a named error instead of showing forged or stale content."""

import base64
import json
import uuid

import pytest

from dossier import crypto
from dossier.client import RollbackError
from tests.support.sql import sql

# The server's rows are changed by section key, in the whole database: one of its own per test.
pytestmark = pytest.mark.own_database


def payloads(url, section):
    return sql(
        url,
        "SELECT e.id, e.payload FROM entry e JOIN section s ON s.id = e.section_id "
        "WHERE s.key = :key ORDER BY e.version",
        {"key": section},
    )


def as_dict(payload):
    return payload if isinstance(payload, dict) else json.loads(payload)


def set_payload(url, row_id, payload):
    sql(
        url,
        "UPDATE entry SET payload = :p WHERE id = :id",
        {"p": json.dumps(payload), "id": row_id},
    )


def test_swapped_ciphertexts_are_refused(youth, settings):
    youth.write("verhaal", {"tekst": "een"})
    youth.write("verhaal", {"tekst": "twee"})
    (id_a, a), (id_b, b) = payloads(settings.database_url, "verhaal")
    a, b = as_dict(a), as_dict(b)
    a["ciphertext"], b["ciphertext"] = b["ciphertext"], a["ciphertext"]
    set_payload(settings.database_url, id_a, a)
    set_payload(settings.database_url, id_b, b)
    with pytest.raises(crypto.TamperedError):
        youth.entries("verhaal")


def test_a_section_key_the_owner_did_not_sign_is_refused_before_sealing(youth, settings):
    forged = crypto.SectionKeyPair.generate()
    [(section_id, signed)] = sql(
        settings.database_url, "SELECT id, signed_key FROM section WHERE key = 'contact'"
    )
    signed = as_dict(signed)
    signed["pk"] = crypto.b64e(forged.pk)
    sql(
        settings.database_url,
        "UPDATE section SET signed_key = :s WHERE id = :id",
        {"s": json.dumps(signed), "id": section_id},
    )
    with pytest.raises(crypto.TamperedError):
        youth.write("contact", {"telefoon": "0612345678"})
    assert payloads(settings.database_url, "contact") == []


def test_a_planted_entry_from_an_unauthorised_author_is_refused(youth, settings):
    youth.write("notities", {"tekst": "echte notitie"})
    view = youth.section("notities")
    stranger = crypto.Identity.generate()
    stranger_id = str(uuid.uuid4())
    planted = crypto.seal_entry(
        {"tekst": "Bel dit nummer voor je uitkering"},
        dossier=view.dossier,
        section="notities",
        entry=str(uuid.uuid4()),
        version=1,
        author_id=stranger_id,
        author=stranger,
        section_key=view.signed_key,
    )
    [(source_id, _)] = payloads(settings.database_url, "notities")
    pg = settings.database_url.startswith("postgresql")
    as_id = str if pg else (lambda u: u.bytes)
    sql(
        settings.database_url,
        "INSERT INTO entry (id, dossier_id, section_id, entry_id, version, author_id, key_version,"
        " payload, size, created_at) SELECT :id, dossier_id, section_id, :e, 1, :a, key_version,"
        " :p, size, created_at FROM entry WHERE id = :src",
        {
            "id": as_id(uuid.uuid4()),
            "e": as_id(uuid.UUID(planted.entry)),
            "a": as_id(uuid.UUID(stranger_id)),
            "p": json.dumps(planted.to_json()),
            "src": source_id,
        },
    )
    with pytest.raises(crypto.UnauthorisedAuthor):
        youth.entries("notities")


def test_an_entry_signed_by_a_stranger_under_the_owners_name_is_refused(youth, settings):
    youth.write("plan", {"doel": "werk vinden"})
    [(row_id, payload)] = payloads(settings.database_url, "plan")
    payload = as_dict(payload)
    payload["signature"] = crypto.b64e(crypto.Identity.generate().sign_bytes("entry", b"anything"))
    set_payload(settings.database_url, row_id, payload)
    with pytest.raises(crypto.TamperedError):
        youth.entries("plan")


def test_rolling_an_entry_back_to_an_older_version_is_refused(youth, settings):
    entry_id = youth.write("verhaal", {"tekst": "oud"})
    youth.write("verhaal", {"tekst": "nieuw"}, entry_id=entry_id)
    assert youth.entries("verhaal")[0].version == 2
    sql(settings.database_url, "DELETE FROM entry WHERE version = 2")
    with pytest.raises(RollbackError):
        youth.entries("verhaal")


def test_an_old_version_served_as_the_new_one_is_refused(youth, settings):
    entry_id = youth.write("verhaal", {"tekst": "oud"})
    youth.write("verhaal", {"tekst": "nieuw"}, entry_id=entry_id)
    (_, old), (new_id, _) = payloads(settings.database_url, "verhaal")
    set_payload(settings.database_url, new_id, as_dict(old))
    with pytest.raises(RollbackError):
        youth.entries("verhaal")


def test_b64_helpers_agree_with_the_standard_library():
    raw = bytes(range(40))
    assert crypto.b64e(raw) == base64.urlsafe_b64encode(raw).decode().rstrip("=")
