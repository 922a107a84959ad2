import contextlib
import datetime as dt
import itertools

import pytest

from dossier.client import RugzakClient
from tests.conftest import make_settings
from tests.e2e.handover_support import SECTIONS, org_name
from tests.support.clock import MovableClock
from tests.support.server import live_server

PASSPHRASE = "paarse-fiets-onder-de-brug-42"
ADULT = dt.date(2004, 5, 17)
_names = itertools.count()


def new_username(prefix: str = "jongere") -> str:
    return f"{prefix}{next(_names)}"


def signed_up(server: str, kind: str = "youth", passphrase: str = PASSPHRASE) -> RugzakClient:
    """A signed-up, unlocked account of this kind (close it when done): a youth is an adult,
    a professional has no birth date."""
    client = RugzakClient(server)
    youth = kind == "youth"
    client.sign_up(
        new_username("jongere" if youth else "coach"),
        passphrase,
        birth_date=ADULT if youth else None,
        kind=kind,
    )
    if not youth:  # profile before invite
        client.set_profile("Fatima Demir", "Jongerenloket Noord", "jobcoach", "06 98765432")
    return client


def professional(server: str) -> RugzakClient:
    return signed_up(server, "professional")


@pytest.fixture
def orgs(server):
    """A school with one staff member (admin) and a job coach organisation with one coach
    (the school-campaign journeys)."""
    staff, coach = professional(server), professional(server)
    school = staff.create_organisation("ROC Zwolle", "school")
    jobcoach = coach.create_organisation("Jobcoach Zwolle", "jobcoach")
    yield staff, school, coach, jobcoach
    staff.close()
    coach.close()


@pytest.fixture
def youth(server):
    with RugzakClient(server) as client:
        client.recovery_code = client.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
        yield client


@pytest.fixture
def coach(server):
    with RugzakClient(server) as client:
        client.sign_up(new_username("coach"), PASSPHRASE, birth_date=None, kind="professional")
        client.set_profile("Fatima Demir", "Jongerenloket Noord", "jobcoach", "06 98765432")
        yield client


def introduce(youth, professional):
    """Stand-in for comparing fingerprints in person: each side pins the other's key."""
    professional.pin(youth.unlocked().account_id, youth.unlocked().identity.public)
    youth.pin(professional.unlocked().account_id, professional.unlocked().identity.public)


def connect(youth, professional):
    """The real first step: an invite link, accepted by the youth, cards both ways."""
    invite = professional.create_invite()
    connection = youth.accept_invite(invite.token, "Sam", "WhatsApp")
    professional.send_card(connection, "Fatima", "Jongerenloket", "coach", "06 98765432")
    return connection


@pytest.fixture
def clocked(backend, tmp_path):
    """A live server of its own, on a fresh database, whose clock the test moves."""
    clock = MovableClock()
    settings = make_settings(backend.fresh_url(), tmp_path)
    with live_server(settings, clock=clock) as url:
        yield url, clock, settings


# -- connecting (tests/e2e/test_connection_*.py, tests/e2e/connection_support.py) -------------

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
    """A professional whose profile card is PRO_CARD."""
    with person(server, "professional") as client:
        yield client


# -- recovery through a contact (tests/e2e/test_recovery_*.py, tests/e2e/recovery_support.py) --

OPENED: list[RugzakClient] = []


@pytest.fixture
def close_opened():
    """Every client a recovery journey opened (listed in OPENED) is closed after the test, also
    when it fails half-way."""
    yield
    while OPENED:
        OPENED.pop().close()


# -- the warm handover (tests/e2e/handover_support.py) ----------------------------------------


@pytest.fixture
def coach_b(server):
    """The next professional: a job coach with a profile card, admin of a "Werkplein Zwolle"
    of its own (numbered: the test database is shared and a search answers ten at most)."""
    client = professional(server)
    client.create_organisation(new_username("Werkplein Zwolle "), "jobcoach")
    yield client
    client.close()


@pytest.fixture
def trajectory(youth, coach):
    """Coach A is connected and reads contact, plan and verhaal."""
    connect(youth, coach)
    for key in SECTIONS:
        youth.write(key, {"tekst": key})
    youth.share(SECTIONS, coach.unlocked().account_id, purpose="Traject")
    return youth.unlocked().dossier_id


@pytest.fixture
def org_b(server, coach_b):
    """Organisation B (coach_b's Werkplein Zwolle) with one more member, who has no profile
    card and is not connected to anyone: they find the youth through B's grants."""
    [org] = [o["id"] for o in coach_b.organisations()]
    member = professional(server)
    coach_b.add_member(org, member.unlocked().username)
    yield org, org_name(coach_b), member
    member.close()
