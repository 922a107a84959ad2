"""Vectors for owner-signed grant ends and the reader's author check they cap."""

from __future__ import annotations

from typing import Any

from dossier import crypto as c
from dossier.vectors._common import Case, Json, bad, ident, ok, pub, with_
from dossier.vectors.receipts import receipt_for

PLACE = {"grant": "grant-1", "dossier": "dossier-1", "section": "notities"}
END_AT = "2025-06-01T12:00:00Z"


def _end(owner: c.Identity, **over: Any) -> Json:
    return c.sign_grant_end(owner, **{**PLACE, "at": END_AT, **over})


def gen_grant_end() -> list[Case]:
    owner, oj = ident("owner")
    coach_identity, coach = ident("coach")
    server_identity, _ = ident("server")
    end = _end(owner)
    verify = {"statement": end, "owner_sign_pk": oj["sign_pk"], **PLACE}
    item = {"receipt": receipt_for(owner, coach).to_json(), "grantee": pub(coach)}
    signer = {
        "entry_author": "coach-1",
        "at": "2025-06-01T11:59:59Z",
        "dossier": "dossier-1",
        "section": "notities",
        "owner_id": "youth-1",
        "owner": pub(oj),
        "receipts": [{**item, "end": end}],
        "member_of": {},
        "author_identity": None,
    }

    def with_end(statement: Json) -> Json:
        return with_(signer, at=END_AT, receipts=[{**item, "end": statement}])

    unsigned = {k: v for k, v in end.items() if k != "signature"}
    extra = {**{k: v for k, v in unsigned.items() if k != "v"}, "reason": "misconduct"}
    return [
        ok(
            "sign",
            "sign_grant_end",
            {"owner": oj, **PLACE, "at": END_AT},
            {"statement": end, "signed_utf8": c.canonical(unsigned).decode()},
        ),
        ok("verify", "verify_grant_end", verify, {"at": END_AT}),
        bad(
            "signed by the server, not the owner",
            "verify_grant_end",
            with_(verify, statement=_end(server_identity)),
            "TamperedError",
        ),
        bad(
            "signed by the grantee, not the owner",
            "verify_grant_end",
            with_(verify, statement=_end(coach_identity)),
            "TamperedError",
        ),
        bad(
            "unsigned",
            "verify_grant_end",
            with_(verify, statement=unsigned),
            "MalformedError",
        ),
        bad(
            "another grant's end",
            "verify_grant_end",
            with_(verify, statement=_end(owner, grant="grant-2")),
            "MalformedError",
            "another grant",
        ),
        bad(
            "an extra field",
            "verify_grant_end",
            with_(verify, statement=c.sign_statement(owner, extra)),
            "MalformedError",
            "not a grant end",
        ),
        ok("a second before the end", "authorised_signer", signer, {"signer": pub(coach)}),
        ok("in the second of the end", "authorised_signer", with_end(end), {"signer": pub(coach)}),
        bad(
            "a second after the end (revoked appender, current time)",
            "authorised_signer",
            with_(with_end(end), at="2025-06-01T12:00:01Z"),
            "UnauthorisedAuthor",
        ),
        bad(
            "a year after the end, inside the receipt",
            "authorised_signer",
            with_(with_end(end), at="2025-12-31T00:00:00Z"),
            "UnauthorisedAuthor",
        ),
        bad(
            "withheld end, listed in the owner's manifest",
            "authorised_signer",
            with_(
                signer, at="2025-06-01T12:00:01Z", receipts=[item], listed_ends={"grant-1": END_AT}
            ),
            "UnauthorisedAuthor",
        ),
        ok(
            "the listed end of another grant",
            "authorised_signer",
            with_(
                signer, at="2025-06-01T12:00:01Z", receipts=[item], listed_ends={"grant-2": END_AT}
            ),
            {"signer": pub(coach)},
        ),
        ok(
            "a forged end is ignored, not obeyed",
            "authorised_signer",
            with_end(_end(server_identity, at="2025-01-02T00:00:00Z")),
            {"signer": pub(coach)},
        ),
        ok(
            "another grant's end does not cap this receipt",
            "authorised_signer",
            with_end(_end(owner, grant="grant-2", at="2025-01-02T00:00:00Z")),
            {"signer": pub(coach)},
        ),
    ]
