""" "Nieuw" on single entries, through the real pages: the youth's section page and the coach's
youth page mark the entries written by someone else since the last visit; opening the page
is the visit, so the next opening marks nothing. Other sections keep their own "Nieuw"."""

from __future__ import annotations

import re

from dossier.client import RugzakClient
from tests.browser.test_pro_access import pages_of
from tests.e2e.conftest import introduce
from tests.support.notices import make_notices

ENTRY = re.compile(r'data-entry="([0-9a-f-]{36})"[^>]*>\s*(<p class="[^"]*rz-new-line")?')


def new_entries(html: str) -> set[str]:
    """The entries the page marks "Nieuw" (the marker is an entry's first child)."""
    return {m.group(1) for m in ENTRY.finditer(html) if m.group(2)}


def shown(html: str) -> set[str]:
    return {m.group(1) for m in ENTRY.finditer(html)}


def sharing(youth: RugzakClient, coach: RugzakClient) -> str:
    introduce(youth, coach)
    youth.share(
        ["notities", "plan"],
        coach.unlocked().account_id,
        permissions=["read", "append"],
        purpose="Begeleiding",
    )
    return youth.unlocked().dossier_id


def test_the_youth_sees_the_coachs_note_new_once(server, settings, youth, coach):
    dossier = sharing(youth, coach)
    own = youth.write("notities", {"tekst": "Mijn eigen notitie"})
    first = coach.write("notities", {"tekst": "Gesprek over werk"}, dossier_id=dossier)
    second = coach.write("notities", {"tekst": "Gesprek over geld"}, dossier_id=dossier)
    plan = coach.write(
        "plan",
        {"doel": "Werk", "actie": "Cv maken", "wie": "ik", "wanneer": "2026-12-20", "klaar": False},
        dossier_id=dossier,
    )
    make_notices(settings.database_url)
    with pages_of(server, youth) as http:
        page = http.get("/rugzak/notities").text
        assert shown(page) >= {own, first, second}
        assert new_entries(page) == {first, second}  # her own note is never news to her
        assert new_entries(http.get("/rugzak/notities").text) == set()
        assert new_entries(http.get("/rugzak/plan").text) == {plan}  # kept its own "Nieuw"
        assert new_entries(http.get("/rugzak/plan").text) == set()


def test_the_coach_sees_what_the_youth_wrote_new_once(server, settings, youth, coach):
    dossier = sharing(youth, coach)
    mine = coach.write("notities", {"tekst": "Mijn verslag"}, dossier_id=dossier)
    reply = youth.write("notities", {"tekst": "Klopt niet", "soort": "reactie", "op": mine})
    make_notices(settings.database_url)
    with pages_of(server, coach) as http:
        page = http.get(f"/pro/jongeren/{dossier}").text
        assert shown(page) >= {mine, reply}
        assert new_entries(page) == {reply}
        assert new_entries(http.get(f"/pro/jongeren/{dossier}").text) == set()
