"""Vectors for owner-signed consent receipts and the reader-side author check they drive."""

from __future__ import annotations

from typing import Any

from dossier import crypto as c
from dossier.vectors._common import Case, Json, Keys, bad, e, ident, ok, pub, with_


def receipt_for(owner: c.Identity, keys: Keys, **over: Any) -> c.ConsentReceipt:
    grantee = c.PublicIdentity.from_json(pub(keys))
    fields: dict[str, Any] = {
        "grant": "grant-1",
        "dossier": "dossier-1",
        "section": "notities",
        "grantee": "coach-1",
        "grantee_key_fingerprint": grantee.fingerprint(),
        "permissions": ["append", "read"],
        "purpose": "begeleiding naar werk",
        "issued_at": "2025-01-01T00:00:00Z",
        "expires_at": "2026-01-01T00:00:00Z",
        "key_version": 1,
    }
    return c.sign_receipt(owner, **{**fields, **over})


def _without(j: Json, *names: str) -> Json:
    return {k: v for k, v in j.items() if k not in names}


def _signed_anyway(owner: c.Identity, receipt: Json) -> Json:
    """A receipt with a valid owner signature over malformed fields: a verifier must refuse
    it when parsing, before the signature (docs/crypto.md, "Consent receipt")."""
    unsigned = _without(receipt, "signature")
    return {**unsigned, "signature": e(owner.sign_bytes("receipt", c.canonical(unsigned)))}


def gen_receipt() -> list[Case]:
    owner, oj = ident("owner")
    _, coach = ident("coach")
    rj = receipt_for(owner, coach).to_json()
    base = {"receipt": rj, "owner_sign_pk": oj["sign_pk"]}

    def edited(**changes: Any) -> Json:
        return with_(base, receipt=with_(rj, **changes))

    return [
        ok(
            "sign",
            "sign_receipt",
            {"owner": oj, "fields": _without(rj, "signature", "v")},
            {"receipt": rj, "signed_utf8": c.canonical(_without(rj, "signature")).decode()},
        ),
        ok("verify", "verify_receipt", base, {}),
        bad(
            "expires_at == issued_at (signed, refused when parsed)",
            "verify_receipt",
            with_(base, receipt=_signed_anyway(owner, with_(rj, expires_at=rj["issued_at"]))),
            "MalformedError",
        ),
        bad("purpose changed", "verify_receipt", edited(purpose="iets anders"), "TamperedError"),
        bad(
            "expiry extended",
            "verify_receipt",
            edited(expires_at="2030-01-01T00:00:00Z"),
            "TamperedError",
        ),
        bad("permission dropped", "verify_receipt", edited(permissions=["read"]), "TamperedError"),
        bad(
            "other grantee key",
            "verify_receipt",
            edited(grantee_key_fingerprint=e(bytes(20))),
            "TamperedError",
        ),
        bad("other section", "verify_receipt", edited(section="verhaal"), "TamperedError"),
        bad(
            "not the owner's key",
            "verify_receipt",
            with_(base, owner_sign_pk=coach["sign_pk"]),
            "TamperedError",
        ),
        bad("dropped v 1", "verify_receipt", edited(v=1), "UnsupportedVersion"),
        bad(
            "permissions not sorted",
            "verify_receipt",
            edited(permissions=["read", "append"]),
            "MalformedError",
        ),
        bad(
            "unknown permission", "verify_receipt", edited(permissions=["delete"]), "MalformedError"
        ),
        bad(
            "time with offset",
            "verify_receipt",
            edited(issued_at="2025-01-01T01:00:00+01:00"),
            "MalformedError",
        ),
        bad(
            "expires before issued",
            "verify_receipt",
            edited(expires_at="2024-01-01T00:00:00Z"),
            "MalformedError",
        ),
    ]


def gen_authorisation() -> list[Case]:
    owner, oj = ident("owner")
    _, coach = ident("coach")
    _, member = ident("member")
    server_identity, server = ident("server")
    _, org = ident("org")

    def held(receipt: c.ConsentReceipt, grantee: Keys) -> list[Json]:
        return [{"receipt": receipt.to_json(), "grantee": pub(grantee)}]

    good = receipt_for(owner, coach)
    by_org = held(receipt_for(owner, org, grantee="org-1"), org)
    base = {
        "entry_author": "coach-1",
        "at": "2025-06-01T12:00:00Z",
        "dossier": "dossier-1",
        "section": "notities",
        "owner_id": "youth-1",
        "owner": pub(oj),
        "receipts": held(good, coach),
        "member_of": {},
        "author_identity": None,
    }
    via_org = with_(base, entry_author="member-1", receipts=by_org, author_identity=pub(member))
    return [
        ok(
            "owner",
            "authorised_signer",
            with_(base, entry_author="youth-1", receipts=[]),
            {"signer": pub(oj)},
        ),
        ok("append grantee", "authorised_signer", base, {"signer": pub(coach)}),
        ok(
            "first second of the grant",
            "authorised_signer",
            with_(base, at="2025-01-01T00:00:00Z"),
            {"signer": pub(coach)},
        ),
        ok(
            "member of an organisation grantee",
            "authorised_signer",
            with_(via_org, member_of={"member-1": "org-1"}),
            {"signer": pub(member)},
        ),
        bad(
            "planted by the server",
            "authorised_signer",
            with_(base, entry_author="server"),
            "UnauthorisedAuthor",
        ),
        bad(
            "receipt expired",
            "authorised_signer",
            with_(base, at="2026-01-01T00:00:00Z"),
            "UnauthorisedAuthor",
        ),
        bad(
            "before the grant",
            "authorised_signer",
            with_(base, at="2024-12-31T23:59:59Z"),
            "UnauthorisedAuthor",
        ),
        bad(
            "read-only receipt",
            "authorised_signer",
            with_(base, receipts=held(receipt_for(owner, coach, permissions=["read"]), coach)),
            "UnauthorisedAuthor",
        ),
        bad(
            "receipt for another section",
            "authorised_signer",
            with_(base, receipts=held(receipt_for(owner, coach, section="verhaal"), coach)),
            "UnauthorisedAuthor",
        ),
        bad(
            "receipt not signed by the owner",
            "authorised_signer",
            with_(base, receipts=held(receipt_for(server_identity, coach), coach)),
            "UnauthorisedAuthor",
        ),
        bad(
            "grantee key swapped by the server",
            "authorised_signer",
            with_(base, receipts=held(good, server)),
            "UnauthorisedAuthor",
        ),
        bad(
            "not a member of the organisation",
            "authorised_signer",
            via_org,
            "UnauthorisedAuthor",
        ),
    ]
