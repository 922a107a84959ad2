"""Connecting a youth and a professional over real HTTP: invite link, WhatsApp text and QR code,
the uniform answer for a token that does not work, sealed profile cards, fingerprints, the
fixed contact person and ending a connection."""

import contextlib
import datetime as dt
import hashlib
import re
import uuid

import httpx
import pytest
import segno

from consent.parties.models import Membership, Organisation
from dossier import crypto
from dossier.client import RugzakClient
from dossier.client.api import ApiError
from dossier.client.connections import _invite_card
from tests.e2e.conftest import ADULT, PASSPHRASE, new_username
from tests.support.sql import add_rows, sql

PRO_CARD = {
    "name": "Sanne de Vries",
    "organisation": "Jongerenloket Noord",
    "role": "jobcoach",
    "phone": "0612345678",
}


@contextlib.contextmanager
def person(server, kind="youth"):
    with RugzakClient(server) as client:
        if kind == "youth":
            client.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
        else:
            client.sign_up(new_username("coach"), PASSPHRASE, birth_date=None, kind=kind)
            client.set_profile(**PRO_CARD)
        yield client


@pytest.fixture
def pro(server):
    with person(server, "professional") as client:
        yield client


def connect(youth, pro, name="Kim", preference="WhatsApp na 16 uur"):
    invite = pro.create_invite()
    return youth.accept_invite(invite.token, name, preference)


def anonymous_get(server, path):
    return httpx.get(server + path, headers={"accept": "application/json"})


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


@pytest.mark.own_database
def test_the_token_is_random_and_stored_only_as_its_hash(pro, settings):
    invite = pro.create_invite()
    assert len(crypto.b64d(invite.token)) >= 16
    assert invite.link == f"{settings.base_url}/uitnodiging/{invite.token}"
    [(stored,)] = sql(settings.database_url, "SELECT token_hash FROM invite")
    assert bytes(stored) == hashlib.sha256(invite.token.encode()).digest()
    rows = sql(settings.database_url, "SELECT * FROM invite")
    assert all(invite.token not in str(v) for v in rows[0])
    expires = invite.expires_at - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=6, hours=23) < expires <= dt.timedelta(days=7)


def qr_modules(svg):
    """Read the dark modules back from segno's SVG path (`M x y`, `m dx dy`, `h n`)."""
    [path] = re.findall(r' d="([^"]+)"', svg)
    dark, x, y = set(), 0.0, 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark.update((int(y), int(x) + i) for i in range(int(a)))
            x += float(a)
    return dark


def segno_modules(text, border=4):
    matrix = segno.make(text, error="m").matrix
    return {
        (r + border, c + border)
        for r, row in enumerate(matrix)
        for c, dark in enumerate(row)
        if dark
    }


def test_whatsapp_text_is_dutch_and_the_qr_code_is_the_link(pro):
    invite = pro.create_invite()
    text = invite.whatsapp_text
    assert text.startswith("Hoi! Dit is je uitnodiging voor Rugzak van ")
    assert f"Open deze link om te verbinden: {invite.link}" in text
    assert text.endswith("de link werkt 7 dagen.")
    assert invite.qr_svg.startswith("<svg")
    assert invite.qr_svg.rstrip().endswith("</svg>")
    assert 'xmlns="http://www.w3.org/2000/svg"' in invite.qr_svg
    assert "<path" in invite.qr_svg
    assert qr_modules(invite.qr_svg) == segno_modules(invite.link)


def problem_of(call):
    with pytest.raises(ApiError) as caught:
        call()
    return caught.value.status, caught.value.problem


@pytest.mark.own_database
def test_used_unknown_and_expired_tokens_get_one_uniform_404(youth, pro, server, settings):
    used = pro.create_invite()
    youth.accept_invite(used.token, "Kim", "sms")
    expired = pro.create_invite()
    sql(
        settings.database_url,
        "UPDATE invite SET expires_at = :at WHERE token_hash = :h",
        {
            "at": dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1),
            "h": hashlib.sha256(expired.token.encode()).digest(),
        },
    )
    unknown = crypto.b64e(uuid.uuid4().bytes + uuid.uuid4().bytes)

    with person(server) as other:
        answers = [
            problem_of(lambda t=token: other.accept_invite(t, "Sam", "mail"))
            for token in (used.token, unknown, expired.token)
        ]
        # accept_invite reads the invite first; the accept endpoint answers the same way.
        answers += [
            problem_of(
                lambda t=token: other.api.call(
                    "POST", "/api/v1/connections", json={"token": t, "card": "A" * 200}
                )
            )
            for token in (used.token, unknown, expired.token, "x" * 64)
        ]
    anonymous = [
        anonymous_get(server, f"/api/v1/invites/{t}") for t in (used.token, unknown, expired.token)
    ]
    answers += [(r.status_code, r.json()) for r in anonymous]
    assert all(r.headers["content-type"].startswith("application/problem+json") for r in anonymous)

    first = answers[0]
    assert first[0] == 404
    assert first[1]["detail"] == "Deze uitnodiging werkt niet meer."
    assert first[1]["type"].endswith("/invite-unavailable")
    assert all(answer == first for answer in answers)
    assert len(sql(settings.database_url, "SELECT id FROM connection")) == 1


def test_a_used_invite_stays_readable_for_its_own_parties(youth, pro):
    invite = pro.create_invite()
    connection_id = youth.accept_invite(invite.token, "Kim", "sms")
    for client in (youth, pro):
        info = client.invite_info(invite.token)
        assert info.used
        assert info.connection_id == connection_id


def test_who_may_invite_accept_and_change_a_connection(youth, pro, server):
    with pytest.raises(ApiError) as caught:
        youth.create_invite()
    assert caught.value.status == 403
    invite = pro.create_invite()
    with person(server, "professional") as other_pro:
        with pytest.raises(ApiError) as caught:
            other_pro.accept_invite(invite.token, "Sam", "mail")
        assert caught.value.status == 403
        connection_id = youth.accept_invite(invite.token, "Kim", "sms")
        with pytest.raises(KeyError):
            other_pro.send_card(connection_id, **PRO_CARD)  # not theirs: not even listed
        with pytest.raises(ApiError) as caught:
            other_pro.api.call(
                "PUT", f"/api/v1/connections/{connection_id}/card", json={"card": "A" * 200}
            )
        assert caught.value.status == 403
    with person(server) as stranger:
        for call in (
            lambda: stranger.api.call(
                "PUT", f"/api/v1/connections/{connection_id}/card", json={"card": "A" * 200}
            ),
            lambda: stranger.set_contact_person(connection_id),
            lambda: stranger.end_connection(connection_id),
            lambda: stranger.set_contact_person(str(uuid.uuid4())),
        ):
            with pytest.raises(ApiError) as caught:
                call()
            assert caught.value.status == 403
    # The youth sends no professional's card, and the professional picks no contact person.
    with pytest.raises(ApiError) as caught:
        youth.api.call("PUT", f"/api/v1/connections/{connection_id}/card", json={"card": "A" * 200})
    assert caught.value.status == 403
    for call in (
        lambda: pro.set_contact_person(connection_id),
        lambda: pro.end_connection(connection_id),
    ):
        with pytest.raises(ApiError) as caught:
            call()
        assert caught.value.status == 403
    assert not youth.connections()[0].contact_person


def test_one_fixed_contact_person_visible_to_the_professional(youth, pro, server):
    first = connect(youth, pro)
    with person(server, "professional") as other_pro:
        second = connect(youth, other_pro)
        youth.set_contact_person(first)
        assert {c.id: c.contact_person for c in youth.connections()} == {first: True, second: False}
        assert pro.connections()[0].contact_person
        assert not other_pro.connections()[0].contact_person

        youth.set_contact_person(second)
        assert {c.id: c.contact_person for c in youth.connections()} == {first: False, second: True}
        assert not pro.connections()[0].contact_person
        assert other_pro.connections()[0].contact_person

        youth.clear_contact_person(second)
        assert not any(c.contact_person for c in youth.connections())


@pytest.mark.own_database
def test_ending_a_connection_and_connecting_again(youth, pro, settings):
    connection_id = connect(youth, pro)
    youth.set_contact_person(connection_id)
    pro.send_card(connection_id, **PRO_CARD)
    youth.end_connection(connection_id)

    assert youth.connections() == []
    [ended] = pro.connections(include_ended=True)
    assert ended.ended_at is not None
    assert not ended.contact_person
    with pytest.raises(ApiError) as caught:
        pro.send_card(connection_id, **PRO_CARD)
    assert caught.value.status == 403

    again = connect(youth, pro, name="Kim B.")
    assert again == connection_id  # one row per pair, reopened with fresh cards
    [reopened] = pro.connections()
    assert reopened.active
    assert reopened.card["display_name"] == "Kim B."
    assert youth.connections()[0].card is None
    with pytest.raises(ApiError) as caught:
        connect(youth, pro)
    assert caught.value.status == 409
    events = sql(
        settings.database_url, "SELECT count(*) FROM log_event WHERE action = 'connection:accept'"
    )
    assert events[0][0] == 2


def add_organisation(url, member_id, state="active"):
    """An organisation with the professional as a member, straight into the database (the
    parties API is not what is under test here)."""
    org = Organisation(
        id=uuid.uuid4(),
        name="Jongerenloket Noord",
        kind="zorg",
        box_pk=bytes(32),
        sign_pk=bytes(32),
    )
    member = Membership(
        org_id=org.id,
        account_id=uuid.UUID(member_id),
        role="member",
        state=state,
        key_version=1,
        sealed_org_key=b"sealed",
    )
    add_rows(url, org)
    add_rows(url, member)
    return str(org.id)


def test_an_invite_for_an_organisation_needs_active_membership(youth, pro, settings):
    url = settings.database_url
    org_id = add_organisation(url, pro.unlocked().account_id)
    invite = pro.create_invite(org_id)
    assert invite.org_id == org_id
    assert "Rugzak van Jongerenloket Noord." in invite.whatsapp_text
    assert youth.invite_info(invite.token).org_name == "Jongerenloket Noord"
    youth.accept_invite(invite.token, "Kim", "sms")
    assert youth.connections()[0].org_id == org_id
    assert pro.connections()[0].org_id == org_id

    removed = add_organisation(url, pro.unlocked().account_id, state="removed")
    for org in (removed, str(uuid.uuid4())):
        with pytest.raises(ApiError) as caught:
            pro.create_invite(org)
        assert caught.value.status == 403
    with pytest.raises(ApiError) as caught:
        pro.create_invite("not-a-uuid")
    assert caught.value.status == 400


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


def test_no_invite_before_the_profile_card(server):
    """Profile before invite, enforced by the server: a professional without a card gets a
    409 problem with a Dutch title, and no invite exists; with a card the invite works."""
    with RugzakClient(server) as bare:
        bare.sign_up(new_username("coach"), PASSPHRASE, birth_date=None, kind="professional")
        assert bare.profile() is None
        status, problem = problem_of(bare.create_invite)
        assert status == 409
        assert problem["type"].endswith("/profile-missing")
        assert problem["title"].startswith("Maak eerst je profielkaart")
        bare.set_profile(**PRO_CARD)
        assert bare.profile() == PRO_CARD
        assert bare.create_invite().token


def test_the_invite_shows_who_invites_to_whoever_holds_the_link(pro, youth, server):
    """The card on the invite opens with the link's token and carries the professional's
    signature; the server's copy is ciphertext, and a card of someone else is refused."""
    invite = pro.create_invite()
    info = youth.invite_info(invite.token)
    assert info.card == PRO_CARD
    with RugzakClient(server) as anonymous:
        assert anonymous.invite_info(invite.token).card == PRO_CARD
    raw = anonymous_get(server, f"/api/v1/invites/{invite.token}").json()
    assert PRO_CARD["name"].encode() not in crypto.b64d(raw["card"])
    # the same card under another invite's token does not open
    other = pro.create_invite()
    with RugzakClient(server) as anonymous:
        data = anonymous.api.call("GET", f"/api/v1/invites/{other.token}")
        assert _invite_card(invite.token, data) is None


def test_a_professional_profile_is_only_for_professionals(youth):
    card = crypto.b64e(bytes(200))
    status, _ = problem_of(lambda: youth.api.call("PUT", "/api/v1/profile", json={"card": card}))
    assert status == 403
