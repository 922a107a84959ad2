"""The policy table: every way a grant check can allow, and every way it must deny."""

import datetime as dt
import itertools
import uuid

import pytest

from consent.policy import Action, Actor, Decision, GrantFacts, Reason, SectionFacts, may

NOW = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)
OWNER, COACH, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
ORG = uuid.uuid4()
DOSSIER = uuid.uuid4()


def grant(grantee=COACH, section="verhaal", *, read=True, append=False, **times):
    return GrantFacts(
        id=uuid.uuid4(),
        grantee_id=grantee,
        section=section,
        can_read=read,
        can_append=append,
        issued_at=times.get("issued_at", NOW - dt.timedelta(days=1)),
        expires_at=times.get("expires_at", NOW + dt.timedelta(days=30)),
        revoked_at=times.get("revoked_at"),
    )


def facts(*grants, section="verhaal", owner=OWNER):
    return SectionFacts(DOSSIER, owner, section, tuple(grants), NOW)


@pytest.mark.parametrize("action", list(Action))
def test_the_owner_may_do_everything(action):
    assert may(Actor(OWNER), action, facts()) == Decision(True, Reason.OWNER)


@pytest.mark.parametrize(
    ("read", "append", "action", "allowed"),
    [
        (r, a, act, (act is Action.READ and r) or (act is Action.APPEND and a))
        for r, a, act in itertools.product(
            [True, False], [True, False], [Action.READ, Action.APPEND]
        )
    ],
)
def test_a_valid_grant_allows_exactly_its_permissions(read, append, action, allowed):
    g = grant(read=read, append=append)
    decision = may(Actor(COACH), action, facts(g))
    assert decision.allowed is allowed
    assert decision.reason is (Reason.GRANT if allowed else Reason.NOT_PERMITTED)
    assert decision.grant_id == (g.id if allowed else None)


def test_append_only_may_not_read():
    assert may(Actor(COACH), Action.READ, facts(grant(read=False, append=True))).reason is (
        Reason.NOT_PERMITTED
    )


def test_revoked_grant_denies_at_once():
    g = grant(revoked_at=NOW - dt.timedelta(seconds=1))
    assert may(Actor(COACH), Action.READ, facts(g)) == Decision(False, Reason.REVOKED)


def test_expired_grant_denies():
    g = grant(expires_at=NOW)
    assert may(Actor(COACH), Action.READ, facts(g)) == Decision(False, Reason.EXPIRED)


def test_grant_not_yet_valid_denies():
    g = grant(issued_at=NOW + dt.timedelta(hours=1))
    assert may(Actor(COACH), Action.READ, facts(g)).reason is Reason.NOT_YET_VALID


def test_grant_for_another_section_denies():
    assert may(Actor(COACH), Action.READ, facts(grant(section="geld"))) == Decision(
        False, Reason.NO_GRANT
    )


def test_grant_to_another_party_denies():
    assert may(Actor(OTHER), Action.READ, facts(grant())).reason is Reason.NO_GRANT


def test_grant_of_another_dossier_never_reaches_this_one():
    # The server loads grants per section of one dossier; a grant of another youth's dossier
    # for the same section name is simply not in the facts.
    assert may(Actor(COACH), Action.READ, facts()).reason is Reason.NO_GRANT


def test_no_one_but_the_owner_manages():
    g = grant(read=True, append=True)
    assert may(Actor(COACH), Action.MANAGE, facts(g)) == Decision(False, Reason.OWNER_ONLY)


def test_organisation_grant_allows_active_members_only():
    g = grant(grantee=ORG)
    assert may(Actor(COACH, frozenset({ORG})), Action.READ, facts(g)).allowed
    removed = Actor(COACH, frozenset())  # the server leaves removed memberships out
    assert may(removed, Action.READ, facts(g)).reason is Reason.NO_GRANT


def test_one_valid_grant_among_refused_ones_allows():
    old = grant(revoked_at=NOW - dt.timedelta(days=2))
    new = grant()
    assert may(Actor(COACH), Action.READ, facts(old, new)).grant_id == new.id


def test_the_most_telling_reason_is_given():
    revoked = grant(revoked_at=NOW - dt.timedelta(days=2))
    expired = grant(expires_at=NOW - dt.timedelta(days=1))
    assert may(Actor(COACH), Action.READ, facts(expired, revoked)).reason is Reason.REVOKED
    wrong = grant(read=False, append=True)
    assert may(Actor(COACH), Action.READ, facts(wrong, expired)).reason is Reason.EXPIRED


def test_decision_is_falsy_when_denied():
    assert not may(Actor(OTHER), Action.READ, facts())
    assert may(Actor(OWNER), Action.READ, facts())
