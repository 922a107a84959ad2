"""The ZRM strip in real Chromium (1280 px): a youth shares two life areas with measurements
(an older and a newer score for wonen) and one without; another youth shares none. The coach
presses "Toon scores" on Mijn jongeren and sees the newest score per shared life area in the
first youth's row, nothing for the other; each shared life area is one logged read; no score
left the browser in plain. axe-core finds nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from dossier.client import RugzakClient
from tests.browser.app_pages import PASSPHRASE
from tests.browser.test_pro_invite import logged_in
from tests.e2e.conftest import signed_up

SECRET = "Ik slaap bij een vriend op de bank"
NONE, NOT_SHARED = "\N{EN DASH}", "\N{MIDDLE DOT}"


def meting(score: int, day: str) -> dict[str, object]:
    return {"soort": "meting", "datum": day, "score": score, "nu": SECRET, "door": "jongere"}


@pytest.fixture
def world(app_url: str) -> Iterator[tuple[RugzakClient, RugzakClient, RugzakClient]]:
    coach = signed_up(app_url, "professional", PASSPHRASE)
    youth, other = signed_up(app_url, passphrase=PASSPHRASE), signed_up(app_url)
    for client, name in ((youth, "Noor"), (other, "Sem")):
        client.accept_invite(coach.create_invite().token, name, "WhatsApp")
    youth.write("wonen", meting(2, "2026-10-01"))
    youth.write("wonen", meting(4, "2026-11-20"))
    youth.write("werk", meting(3, "2026-11-01"))
    youth.write("geld", {"soort": "doel", "tekst": "Sparen"})
    youth.share(["wonen", "werk", "geld"], coach.unlocked().account_id, purpose="Begeleiding")
    other.write("plan", {"doel": "Huis", "actie": "Bellen", "wanneer": "2030-01-01"})
    other.share(["plan"], coach.unlocked().account_id, purpose="Begeleiding")
    yield coach, youth, other
    for client in (coach, youth, other):
        client.close()


def reads(youth: RugzakClient, coach: RugzakClient) -> list[str]:
    me = coach.unlocked().account_id
    return sorted(
        e.section or "" for e in youth.access_log() if e.actor == me and e.action == "section:read"
    )


def test_the_strip_shows_the_newest_score_per_shared_life_area(
    browser: Browser, app_url: str, world
) -> None:
    coach, youth, other = world
    pro = logged_in(browser, app_url, coach.unlocked().username, "/pro")
    page = pro.page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_selector("#jongeren[data-ready]")
    assert reads(youth, coach) == []  # nothing read before the button
    page.click("#toon-scores")
    page.wait_for_selector("#jongeren[data-zrm-ready]")
    row = page.locator(f"tr[data-dossier='{youth.unlocked().dossier_id}'] [data-zrm]")
    cells = row.locator(".rz-zrm > span").all_text_contents()
    # wonen, geld, werk, school, gezondheid, netwerk, dagbesteding
    assert cells == ["4", NONE, "3", *[NOT_SHARED] * 4]
    assert "Wonen 4, Werk 3" in (row.text_content() or "")
    other_row = page.locator(f"tr[data-dossier='{other.unlocked().dossier_id}'] [data-zrm]")
    assert (other_row.text_content() or "").strip() == NONE
    assert reads(youth, coach) == ["geld", "werk", "wonen"]
    assert reads(other, coach) == []
    assert not pro.sent.contains(SECRET.encode())
    pro.clean("pro-zrm")
    page.context.close()
