"""Who may invite, accept and change a connection over real HTTP; the one fixed contact person;
ending a connection and connecting again."""

import uuid

import pytest

from dossier.client.api import ApiError
from tests.e2e.conftest import PRO_CARD, person
from tests.e2e.connection_support import connect
from tests.support.sql import sql


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
