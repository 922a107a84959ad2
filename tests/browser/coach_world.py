"""A coach with a profile and a youth connected to them through an invite, made with Python
clients over real HTTP: the starting point of the coach's page tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from dossier.client import RugzakClient
from tests.browser.app_pages import PASSPHRASE, new_username

YOUTH_BIRTH = dt.date(2004, 5, 17)


def new_coach(app_url: str, organisation: str = "Jongerenloket Zwolle") -> tuple[RugzakClient, str]:
    """A signed-up professional with a profile card (so youths see a name); and the username
    to log in with on the pages."""
    coach = RugzakClient(app_url)
    username = new_username()
    coach.sign_up(username, PASSPHRASE, birth_date=None, kind="professional")
    coach.set_profile("Fatima Demir", organisation, "jobcoach", "06 98765432")
    return coach, username


def connected_youth(
    app_url: str, coach: RugzakClient, name: str = "Noor", contact: str = "WhatsApp"
) -> tuple[RugzakClient, str]:
    """A youth who accepted the coach's invite (telling the coach her name and how to reach
    her); and the id of that connection."""
    youth = RugzakClient(app_url)
    youth.sign_up(new_username(), PASSPHRASE, birth_date=YOUTH_BIRTH)
    return youth, youth.accept_invite(coach.create_invite().token, name, contact)


@dataclass(frozen=True)
class CoachAndYouth:
    coach: RugzakClient
    youth: RugzakClient
    username: str  # the coach's

    @property
    def dossier(self) -> str:
        return self.youth.unlocked().dossier_id

    @property
    def coach_id(self) -> str:
        return self.coach.unlocked().account_id


@contextmanager
def coach_and_youth(app_url: str) -> Iterator[CoachAndYouth]:
    coach, username = new_coach(app_url)
    youth, _ = connected_youth(app_url, coach)
    try:
        yield CoachAndYouth(coach, youth, username)
    finally:
        coach.close()
        youth.close()
