"""Vectors for organisation statements: membership attestations and key successions, and the
reader's walk from the org key a grant receipt names to the key that attested a member."""

from __future__ import annotations

from dossier import crypto as c
from dossier.vectors._common import Case, Json, bad, ident, ok, pub, with_

ORG = "org-1"


def gen_statements() -> list[Case]:
    org1, o1 = ident("org/1")
    org2, o2 = ident("org/2")
    _, member = ident("coach")
    _, other = ident("server")
    mpub = c.PublicIdentity.from_json(pub(member))
    attested = c.sign_membership(org2, ORG, "coach-1", mpub, 2)
    succession = c.sign_succession(org1, ORG, org2.public, 2)
    keys: list[Json] = [
        {"version": 1, "identity": pub(o1), "succession": None},
        {"version": 2, "identity": pub(o2), "succession": succession},
    ]
    walk: Json = {
        "org": ORG,
        "granted": pub(o1),
        "org_keys": keys,
        "account": "coach-1",
        "member": pub(member),
        "attestation": attested,
    }
    return [
        ok(
            "sign membership",
            "sign_membership",
            {
                "org": o2,
                "org_id": ORG,
                "account": "coach-1",
                "member": pub(member),
                "key_version": 2,
            },
            {"statement": attested},
        ),
        ok(
            "sign succession",
            "sign_succession",
            {"old": o1, "org_id": ORG, "new": pub(o2), "key_version": 2},
            {"statement": succession},
        ),
        ok("member attested along the succession", "verify_org_member", walk, {}),
        bad(
            "attestation for another member",
            "verify_org_member",
            with_(walk, member=pub(other)),
            "TamperedError",
            "the attestation names another member, key or version",
        ),
        bad(
            "a later key without succession",
            "verify_org_member",
            with_(walk, org_keys=[keys[0], with_(keys[1], succession=None)]),
            "TamperedError",
            "a key without succession",
        ),
        bad(
            "succession signed by another key",
            "verify_org_member",
            with_(
                walk,
                org_keys=[
                    keys[0],
                    with_(keys[1], succession=c.sign_succession(org2, ORG, org2.public, 2)),
                ],
            ),
            "TamperedError",
        ),
        bad(
            "no attestation",
            "verify_org_member",
            with_(walk, attestation=None),
            "TamperedError",
            "no attestation",
        ),
        bad(
            "attestation older than the granted key",
            "verify_org_member",
            with_(
                walk, granted=pub(o2), attestation=c.sign_membership(org1, ORG, "coach-1", mpub, 1)
            ),
            "TamperedError",
            "the attestation is not for a key the grant leads to",
        ),
    ]
