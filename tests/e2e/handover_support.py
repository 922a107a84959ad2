"""The warm handover's shared parts for the e2e tests: the sections and note of a trajectory,
and coach A's proposal to coach B (a person) or to organisation B, as the Python client makes
it. The fixtures (`coach_b`, `trajectory`, `org_b`) are in tests/e2e/conftest.py."""

from __future__ import annotations

SECTIONS = ("contact", "plan", "verhaal")
NOTE = "Sam wil werken in de zorg. Fatima helpt daarbij; ik heb haar alles verteld."


def org_name(coach_b) -> str:
    [org] = coach_b.organisations()
    return str(org["name"])


def propose(coach, youth, coach_b, *, step_down=False, **changes):
    [candidate] = [
        c
        for c in coach.handover_candidates(org_name(coach_b))
        if c["id"] == coach_b.unlocked().account_id
    ]
    assert candidate["org_name"] == org_name(coach_b)
    return coach.propose_handover(
        youth.unlocked().dossier_id,
        candidate | changes,
        SECTIONS,
        name="Karin de Boer",
        note=NOTE,
        purpose="Begeleiding naar werk",
        days=365,
        step_down=step_down,
        youth_identity=youth.unlocked().identity.public,
    )


def propose_to_org(coach, youth, org_b, *, step_down=False, **changes):
    org, name, _ = org_b
    [candidate] = [c for c in coach.handover_candidates(name) if c["id"] == org]
    assert (candidate["kind"], candidate["org_name"], candidate["username"]) == (
        "organisation",
        name,
        "",
    )
    return coach.propose_handover(
        youth.unlocked().dossier_id,
        candidate | changes,
        SECTIONS,
        name=f"het team van {name}",
        note=NOTE,
        purpose="Begeleiding naar werk",
        step_down=step_down,
        youth_identity=youth.unlocked().identity.public,
    )
