"""Sealed profile cards and fingerprints over real HTTP: the server holds only ciphertext, both
sides see matching fingerprints, and a swapped key or a card signed by someone else is refused."""

import re

import pytest

from dossier import crypto
from tests.e2e.conftest import PRO_CARD
from tests.e2e.connection_support import connect, problem_of, qr_modules, segno_modules
from tests.support.sql import sql


def test_full_flow_with_sealed_cards_and_matching_fingerprints(youth, pro, server, settings):
    invite = pro.create_invite()
    info = youth.invite_info(invite.token)
    assert info.professional_id == pro.unlocked().account_id
    assert info.fingerprint == pro.my_fingerprint()
    assert re.fullmatch(r"\d{5}( \d{5}){5}", info.fingerprint)
    assert not info.used

    connection_id = youth.accept_invite(invite.token, "Kim van de Bovenkamp", "bel na 16 uur")

    [seen_by_pro] = pro.connections()
    assert seen_by_pro.id == connection_id
    assert seen_by_pro.role == "professional"
    assert seen_by_pro.card == {
        "display_name": "Kim van de Bovenkamp",
        "contact_preference": "bel na 16 uur",
    }
    assert seen_by_pro.other_id == youth.unlocked().account_id
    assert seen_by_pro.fingerprint == youth.my_fingerprint()
    assert seen_by_pro.dossier_id == youth.unlocked().dossier_id
    assert qr_modules(seen_by_pro.fingerprint_qr_svg) == segno_modules(youth.my_fingerprint())
    # The server only ever held ciphertext: the name is in no column of the connection row.
    for row in sql(settings.database_url, "SELECT * FROM connection"):
        for value in row:
            raw = value if isinstance(value, bytes) else str(value).encode()
            assert b"Kim van de Bovenkamp" not in raw
            assert b"bel na 16 uur" not in raw

    [before_card] = youth.connections()
    assert before_card.card is None
    pro.send_card(connection_id, **PRO_CARD)
    [seen_by_youth] = youth.connections()
    assert seen_by_youth.card == PRO_CARD
    assert seen_by_youth.role == "youth"
    assert seen_by_youth.fingerprint == pro.my_fingerprint()
    assert seen_by_youth.other_id == pro.unlocked().account_id
    for row in sql(settings.database_url, "SELECT * FROM connection"):
        assert all(
            b"Sanne de Vries" not in (v if isinstance(v, bytes) else str(v).encode()) for v in row
        )

    events = sql(
        settings.database_url,
        "SELECT actor, action FROM log_event WHERE action = 'connection:accept'",
    )
    # The database is shared with other tests' connections: this youth accepted exactly once.
    me = youth.unlocked().account_id
    assert [(str(a), b) for a, b in events if str(a) == me] == [(me, "connection:accept")]


def test_a_swapped_identity_after_pinning_is_refused(youth, pro, settings):
    connection_id = connect(youth, pro)
    pro.send_card(connection_id, **PRO_CARD)
    assert youth.connections()[0].card == PRO_CARD
    impostor = crypto.Identity.generate().public
    sql(
        settings.database_url,
        "UPDATE account SET box_pk = :box, sign_pk = :sign WHERE username = :name",
        {
            "box": impostor.box_pk,
            "sign": impostor.sign_pk,
            "name": pro.unlocked().username,
        },
    )
    with pytest.raises(crypto.TamperedError):
        youth.connections()


def test_a_card_signed_by_someone_else_is_refused(youth, pro, settings):
    connect(youth, pro)
    forger = crypto.Identity.generate()
    forged = crypto.seal_profile_card(
        {"name": "Nep Coach", "organisation": "?", "role": "?", "phone": "0900"},
        sender_id=pro.unlocked().account_id,
        sender=forger,
        recipient_id=youth.unlocked().account_id,
        recipient_box_pk=youth.unlocked().identity.public.box_pk,
    )
    sql(
        settings.database_url,
        "UPDATE connection SET professional_card = :card",
        {"card": forged},
    )
    with pytest.raises(crypto.TamperedError):
        youth.connections()


def test_a_professional_profile_is_only_for_professionals(youth):
    card = crypto.b64e(bytes(200))
    status, _ = problem_of(lambda: youth.api.call("PUT", "/api/v1/profile", json={"card": card}))
    assert status == 403
