"""Invites over real HTTP: a random token stored only as its hash, the Dutch WhatsApp text and
its QR code, one uniform answer for a token that does not work, an invite for an organisation,
no invite before the profile card, and the inviter's card for whoever holds the link."""

import datetime as dt
import hashlib
import uuid

import httpx
import pytest

from consent.parties.models import Membership, Organisation
from dossier import crypto
from dossier.client import RugzakClient
from dossier.client.api import ApiError
from dossier.client.connections import _invite_card
from tests.e2e.conftest import PASSPHRASE, PRO_CARD, new_username, person
from tests.e2e.connection_support import problem_of, qr_modules, segno_modules
from tests.support.sql import add_rows, sql


def anonymous_get(server, path):
    return httpx.get(server + path, headers={"accept": "application/json"})


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
