"""E-mail notices end to end: the real app over HTTP, the real outbox worker, and a real SMTP
server process (aiosmtpd) that stores what it receives. Each test has a database of its own
(the worker drains the whole outbox)."""

import datetime as dt
import os
import re
import subprocess
import sys
from email import message_from_bytes, policy

import httpx
import pytest
from click.testing import CliRunner

from dossier.client import RugzakClient
from dossier.client.api import ApiError
from tests.e2e.conftest import introduce
from tests.support.smtp import drain, smtp_server
from web.cli import main

pytestmark = pytest.mark.own_database

MARKERS = ("Zq7-geheim-gesprek", "Zq7-doel-schulden", "notities", "Fatima", "Jongerenloket")


def mail_of(youth):
    return youth.api.call("GET", "/api/v1/account/mail")


def opted_in(youth, smtp, server, address, mode="direct", *, add=True):
    """Add an address, let the worker send the confirmation, follow the link's token."""
    if add:
        youth.api.call("PUT", "/api/v1/account/mail", json={"address": address})
    assert drain_to(smtp, server) == 1
    [confirm] = smtp.messages(to=address)
    token = re.search(r"/e-mail/bevestigen/(\S+)", confirm.get_content()).group(1)
    httpx.post(f"{server}/api/v1/mail/confirm", json={"token": token}).raise_for_status()
    if mode != "direct":
        youth.api.call("PATCH", "/api/v1/account/mail", json={"mode": mode})
    return mail_of(youth)


@pytest.fixture
def smtp(tmp_path, settings):
    """The SMTP server process; `smtp.drain(now)` runs the worker once against it."""
    with smtp_server(tmp_path / "maildir") as server:
        server.database_url = settings.database_url
        yield server


def drain_to(smtp, server, now=None):
    return drain(smtp.database_url, smtp.port, server, now)


@pytest.fixture
def writing_coach(youth, coach):
    """The coach may append notes to the youth's `notities` (not read them)."""
    introduce(youth, coach)
    youth.share(
        ["notities"], coach.unlocked().account_id, permissions=["append"], purpose=MARKERS[1]
    )
    return lambda text: coach.write(
        "notities", {"tekst": text}, dossier_id=youth.unlocked().dossier_id
    )


def assert_no_content(smtp):
    for raw in smtp.raw():
        text = raw.decode("utf-8", "replace")
        for marker in MARKERS:
            assert marker not in text


def test_opt_in_is_confirmed_by_the_link_in_the_mail(youth, smtp, server):
    youth.api.call("PUT", "/api/v1/account/mail", json={"address": "sam@example.test"})
    assert mail_of(youth) == {"address": "sam@example.test", "confirmed": False, "mode": "direct"}
    assert opted_in(youth, smtp, server, "sam@example.test", add=False)["confirmed"] is True


def test_an_unconfirmed_address_gets_no_notice(youth, writing_coach, smtp, server):
    youth.api.call("PUT", "/api/v1/account/mail", json={"address": "niet@example.test"})
    writing_coach("Gesprek " + MARKERS[0])
    assert drain_to(smtp, server) == 1  # the confirmation only
    assert [m["Subject"] for m in smtp.messages()] == ["Bevestig je e-mailadres voor Rugzak"]


def test_a_coach_note_sends_exactly_one_mail_without_content(youth, writing_coach, smtp, server):
    opted_in(youth, smtp, server, "sam@example.test")
    writing_coach("Gesprek " + MARKERS[0])
    assert drain_to(smtp, server) == 1
    assert drain_to(smtp, server) == 0
    news = [m for m in smtp.messages() if m["Subject"].startswith("Er staat iets nieuws")]
    assert len(news) == 1
    [mail] = news
    assert mail["To"] == "sam@example.test"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["List-Unsubscribe"].startswith(f"<{server}/api/v1/mail/unsubscribe/")
    assert_no_content(smtp)


def test_daily_digest_groups_the_day_in_one_mail(youth, writing_coach, smtp, server):
    opted_in(youth, smtp, server, "sam@example.test", mode="daily")
    for n in range(3):
        writing_coach(f"Gesprek {n} {MARKERS[0]}")
    assert drain_to(smtp, server) == 0
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1, hours=1)
    assert drain_to(smtp, server, tomorrow) == 1
    [digest] = [m for m in smtp.messages() if m["Subject"].startswith("Er staat")]
    assert "Er staan 3 nieuwe dingen" in digest.get_content()
    assert_no_content(smtp)


def test_one_post_unsubscribes_and_nothing_follows(youth, writing_coach, smtp, server):
    opted_in(youth, smtp, server, "sam@example.test")
    writing_coach("eerste " + MARKERS[0])
    drain_to(smtp, server)
    [news] = [m for m in smtp.messages() if m["Subject"].startswith("Er staat")]
    link = news["List-Unsubscribe"].strip("<>")
    answer = httpx.post(link, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert mail_of(youth) == {"address": None, "confirmed": False, "mode": "direct"}
    writing_coach("tweede " + MARKERS[0])
    assert drain_to(smtp, server) == 0
    assert httpx.post(link, data={"List-Unsubscribe": "One-Click"}).status_code == 404


def test_smtp_down_delays_and_delivers_once(youth, writing_coach, smtp, server, tmp_path):
    opted_in(youth, smtp, server, "sam@example.test")
    smtp.stop()
    writing_coach("tijdens storing " + MARKERS[0])
    assert drain_to(smtp, server) == 0  # refused: stays queued
    assert drain_to(smtp, server) == 0  # backing off: not retried yet
    smtp.start()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    assert drain_to(smtp, server, later) == 1
    assert drain_to(smtp, server, later) == 0
    assert len([m for m in smtp.messages() if m["Subject"].startswith("Er staat")]) == 1


def test_security_notice_goes_out_even_with_news_mail_off(youth, smtp, server):
    opted_in(youth, smtp, server, "sam@example.test", mode="never")
    other = httpx.Client(base_url=server, headers={"user-agent": "Nieuwe telefoon"})
    with RugzakClient(server, http=other) as again:
        again.login(youth.unlocked().username, "paarse-fiets-onder-de-brug-42")
    assert drain_to(smtp, server) == 1
    [warning] = [m for m in smtp.messages() if m["Subject"] == "Beveiligingsmelding van Rugzak"]
    assert "nieuw apparaat" in warning.get_content()


def test_a_bad_address_is_refused_at_the_field(youth):
    with pytest.raises(ApiError) as refused:
        youth.api.call("PUT", "/api/v1/account/mail", json={"address": "geen adres"})
    assert refused.value.problem["type"].endswith("/bad-mail-address")


def test_without_smtp_the_worker_command_writes_eml_files(youth, settings, server, tmp_path):
    youth.set_mail("sam@example.test")
    env = {
        "RUGZAK_DATABASE_URL": settings.database_url,
        "RUGZAK_MAIL_DIR": str(tmp_path / "mail"),
        "RUGZAK_BASE_URL": server,
        "RUGZAK_SMTP_URL": "",
    }
    result = CliRunner().invoke(main, ["worker", "--once"], env=env)
    assert result.exit_code == 0, result.output
    [eml] = (tmp_path / "mail").glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["To"] == "sam@example.test"
    assert f"{server}/e-mail/bevestigen/" in message.get_content()
    assert "sam@example.test" not in result.output


def test_a_new_address_at_most_once_a_minute(youth):
    """Each address queues a mail to whoever owns it: no stream of confirmations to a stranger."""
    youth.set_mail("een@example.test")
    with pytest.raises(ApiError) as refused:
        youth.set_mail("twee@example.test")
    assert refused.value.status == 429
    assert youth.mail()["address"] == "een@example.test"


def test_the_worker_command_works_in_a_process_of_its_own(
    youth, writing_coach, smtp, server, settings
):
    """`rugzak worker` as `make run` and a deployment start it: a fresh process with only the
    modules the command imports. It once failed on every drain there (a table its ORM flush had
    not loaded), while the in-process worker of the other tests worked. Here it makes the
    notice of a coach's note (the youth's inbox) and sends a mail confirmation."""
    writing_coach("Zq7-geheim-gesprek")
    youth.api.call("PUT", "/api/v1/account/mail", json={"address": "eigen@rugzak.test"})
    env = {
        **os.environ,
        "RUGZAK_DATABASE_URL": settings.database_url,
        "RUGZAK_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        "RUGZAK_BASE_URL": server,
    }
    done = subprocess.run(
        [sys.executable, "-m", "web.cli", "worker", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    unread = youth.api.call("GET", "/api/v1/notices")
    assert [(n["kind"], n["section"]) for n in unread["notices"]] == [("entry", "notities")]
    [confirm] = smtp.messages(to="eigen@rugzak.test")
    assert "/e-mail/bevestigen/" in confirm.get_content()
