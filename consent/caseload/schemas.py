"""Wire shapes of the caseload: ciphertext and public keys only."""

from __future__ import annotations

import msgspec

from consent.caseload.views import SharedPlan


class PlanEntryOut(msgspec.Struct):
    """`first`: a later version's first version, for the same-author check (issue 19)."""

    ciphertext: str
    entry: str
    version: int
    at: str
    first: str | None = None


class PlanOut(msgspec.Struct):
    """The same facts the youth view puts in data attributes: the owner's identity and card,
    the signed section key and its version, the append receipts, my receipt and envelope, my
    sealed organisation key, and the sealed plan entries."""

    dossier: str
    owner_id: str
    owner_identity: str
    card: str | None
    section_key: str
    key_version: int
    receipts: str
    receipt: str
    envelope: str | None
    org_key: str | None
    entries: list[PlanEntryOut]
    section: str = "plan"


class PlansOut(msgspec.Struct):
    plans: list[PlanOut]


def plan_out(plan: SharedPlan) -> PlanOut:
    keys = plan.keys
    return PlanOut(
        dossier=plan.dossier_id,
        owner_id=plan.owner_id,
        owner_identity=plan.owner_identity,
        card=plan.card,
        section_key=keys.signed_key,
        key_version=keys.key_version,
        receipts=keys.receipts,
        receipt=keys.receipt,
        envelope=keys.envelope,
        org_key=keys.org_key,
        section=plan.section,
        entries=[
            PlanEntryOut(
                ciphertext=e.ciphertext, entry=e.entry_id, version=e.version, at=e.at, first=e.first
            )
            for e in plan.entries
        ],
    )
