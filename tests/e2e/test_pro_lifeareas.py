"""GET /api/v1/grants/mine/lifeareas (the ZRM strip, "Toon scores") over real HTTP with the
page cookie, as the caseload page's script calls it, on SQLite and PostgreSQL: only life areas
shared with read permission by a connected youth, one access-log read per life area per
request, no score or text in the answer, and 403 problem+json for a youth."""

from __future__ import annotations

from tests.e2e.test_pro_actions import client, get, pages_of, refused, with_plan

LIFE_AREAS = "/api/v1/grants/mine/lifeareas"
SECRET = "Ik slaap bij een vriend op de bank"


def reads(youth, coach, section):
    me = coach.unlocked().account_id
    return sum(
        1
        for e in youth.access_log()
        if e.actor == me and e.action == "section:read" and e.section == section
    )


def measure(youth, section, score):
    youth.write(
        section,
        {"soort": "meting", "datum": "2026-12-01", "score": score, "nu": SECRET, "door": "jongere"},
    )


def test_only_shared_readable_life_areas_each_read_logged(server):
    coach = client(server, "professional")
    me = coach.unlocked().account_id
    sharing = with_plan(server, coach)
    for section, score in (("wonen", 2), ("werk", 4)):
        measure(sharing, section, score)
    measure(sharing, "geld", 3)  # not shared
    sharing.share(["wonen", "werk", "plan"], me, purpose="Begeleiding")
    append_only = with_plan(server, coach)
    measure(append_only, "wonen", 1)
    append_only.share(["wonen"], me, permissions=("append",), purpose="Begeleiding")

    with pages_of(server, coach) as http:
        answer = get(http, LIFE_AREAS)
    assert answer.status_code == 200, answer.text[:300]
    found = answer.json()["plans"]
    assert sorted((a["dossier"], a["section"]) for a in found) == sorted(
        [(sharing.unlocked().dossier_id, "wonen"), (sharing.unlocked().dossier_id, "werk")]
    )
    assert SECRET not in answer.text
    assert all(len(a["entries"]) == 1 for a in found)
    assert [reads(sharing, coach, s) for s in ("wonen", "werk", "geld", "plan")] == [1, 1, 0, 0]
    assert reads(append_only, coach, "wonen") == 0
    # The other door to the same handler: the Python client with its bearer token.
    by_client = coach.shared_life_areas()
    assert sorted(a["section"] for a in by_client) == ["werk", "wonen"]
    assert [reads(sharing, coach, s) for s in ("wonen", "werk")] == [2, 2]


def test_a_youth_is_refused(server):
    youth = client(server)
    with pages_of(server, youth) as http:
        refused(get(http, LIFE_AREAS))
