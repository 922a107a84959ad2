"""Web Push end to end: the app with a VAPID key, a youth's device subscribed over the API, a
coach's note, the real worker sending through pywebpush to a local receiver that decrypts the
`aes128gcm` payload with the device's keys and checks the VAPID signature. A 410 from the push
service removes the subscription."""

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from dossier.client import ApiError
from dossier.db import make_engine
from dossier.notify.models import PushSubscription
from dossier.notify.push import PushSender
from tests.conftest import make_settings
from tests.e2e.conftest import introduce, professional, signed_up
from tests.support.push_receiver import push_receiver
from tests.support.server import live_server
from tests.support.smtp import drain

MARKER = "Zq7-push-geheim"


@pytest.fixture
def push_app(backend, tmp_path, vapid_pem):
    settings = make_settings(
        backend.fresh_url(),
        tmp_path,
        vapid_private_key=vapid_pem,
        vapid_subject="mailto:beheer@rugzak.test",
        push_loopback_http=True,
    )
    with live_server(settings) as url:
        yield settings, url


def devices_left(database_url):
    import asyncio  # noqa: PLC0415

    async def count():
        engine = make_engine(database_url)
        try:
            async with async_sessionmaker(engine)() as db:
                return await db.scalar(select(func.count()).select_from(PushSubscription))
        finally:
            await engine.dispose()

    return asyncio.run(count())


def test_a_note_reaches_the_device_encrypted_signed_and_without_content(push_app, vapid_pem):
    settings, url = push_app
    sender = PushSender(vapid_pem, settings.vapid_subject)
    with push_receiver() as receiver:
        youth, coach = signed_up(url), professional(url)
        introduce(youth, coach)
        youth.share(
            ["notities"], coach.unlocked().account_id, permissions=["append"], purpose=MARKER
        )
        phone, laptop = receiver.device("telefoon"), receiver.device("laptop")
        key = youth.api.call("GET", "/api/v1/push/key")["public_key"]
        for device in (phone, laptop):
            youth.api.call(
                "POST", "/api/v1/push/subscriptions", json=device.subscription(receiver.base)
            )
        coach.write("notities", {"tekst": MARKER}, dossier_id=youth.unlocked().dossier_id)
        assert drain(settings.database_url, 9, url, push=sender) == 1
        assert drain(settings.database_url, 9, url, push=sender) == 0
        assert receiver.errors == []
        assert sorted(r.device for r in receiver.received) == ["laptop", "telefoon"]
        for got in receiver.received:
            assert json.loads(got.payload) == {"v": 1, "type": "news"}
            assert got.vapid_key == key
            assert got.claims["sub"] == "mailto:beheer@rugzak.test"
            assert MARKER.encode() not in got.raw_body + got.payload

        receiver.gone.add("telefoon")
        coach.write("notities", {"tekst": "nog een"}, dossier_id=youth.unlocked().dossier_id)
        drain(settings.database_url, 9, url, push=sender)
        assert devices_left(settings.database_url) == 1
        youth.api.call(
            "POST",
            "/api/v1/push/subscriptions/remove",
            json={"endpoint": laptop.subscription(receiver.base)["endpoint"]},
        )
        assert devices_left(settings.database_url) == 0
        youth.close()
        coach.close()


def test_only_https_endpoints_with_a_host_name_are_taken(push_app):
    """The worker POSTs to the endpoint: it must not be a way into the server's own network."""
    _, url = push_app
    with signed_up(url) as youth:
        for endpoint in (
            "http://127.0.0.1.example:9/push/x",
            "https://10.0.0.1/push",
            "https://[::1]/push",
            "file:///etc/passwd",
        ):
            body = {"endpoint": endpoint, "keys": {"p256dh": "BA" + "A" * 85, "auth": "A" * 22}}
            with pytest.raises(ApiError) as refused:
                youth.api.call("POST", "/api/v1/push/subscriptions", json=body)
            assert refused.value.problem["type"].endswith("/bad-push-subscription"), endpoint


def test_without_a_vapid_key_push_is_not_offered(youth):
    with pytest.raises(ApiError) as refused:
        youth.api.call("GET", "/api/v1/push/key")
    assert refused.value.problem["type"].endswith("/push-off")
