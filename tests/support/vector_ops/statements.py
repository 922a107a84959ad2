"""Vector ops for what owners and organisations sign: consent receipts and the reader's author
check, grant ends, section manifests, the access log chain, memberships and successions."""

from __future__ import annotations

from typing import Any

from dossier import crypto as c
from tests.support.vector_ops.common import Inputs, d, e, identity, public


def op_sign_receipt(i: Inputs) -> dict[str, Any]:
    f = dict(i["fields"])
    f["grantee_key_fingerprint"] = d(f["grantee_key_fingerprint"])
    receipt = c.sign_receipt(identity(i["owner"]), **f)
    return {"receipt": receipt.to_json(), "signed_utf8": receipt.payload().decode()}


def op_verify_receipt(i: Inputs) -> dict[str, Any]:
    c.ConsentReceipt.from_json(i["receipt"]).verify(d(i["owner_sign_pk"]))
    return {}


def op_authorised_signer(i: Inputs) -> dict[str, Any]:
    author = i["author_identity"]
    signer = c.authorised_signer(
        i["entry_author"],
        c.parse_time(i["at"]),
        dossier=i["dossier"],
        section=i["section"],
        owner_id=i["owner_id"],
        owner=public(i["owner"]),
        receipts=[
            (c.ConsentReceipt.from_json(r["receipt"]), public(r["grantee"])) for r in i["receipts"]
        ],
        member_of=i["member_of"],
        author_identity=None if author is None else public(author),
        ends={r["receipt"]["grant"]: r["end"] for r in i["receipts"] if "end" in r},
        listed_ends={g: c.parse_time(t) for g, t in i.get("listed_ends", {}).items()},
    )
    return {"signer": signer.to_json()}


def op_sign_grant_end(i: Inputs) -> dict[str, Any]:
    place = {k: i[k] for k in ("grant", "dossier", "section", "at")}
    statement = c.sign_grant_end(identity(i["owner"]), **place)
    unsigned = {k: v for k, v in statement.items() if k != "signature"}
    return {"statement": statement, "signed_utf8": c.canonical(unsigned).decode()}


def op_verify_grant_end(i: Inputs) -> dict[str, Any]:
    place = {k: i[k] for k in ("grant", "dossier", "section")}
    at = c.verify_grant_end(i["statement"], d(i["owner_sign_pk"]), **place)
    return {"at": c.format_time(at)}


def _manifest(i: Inputs) -> c.Manifest:
    place = {k: i[k] for k in ("dossier", "section")}
    return c.verify_manifest(i["manifest"], d(i["owner_sign_pk"]), **place)


def op_sign_manifest(i: Inputs) -> dict[str, Any]:
    entries = [c.SealedEntry.from_json(j) for j in i["entries"]]
    place = {k: i[k] for k in ("dossier", "section", "seq", "at")}
    statement = c.sign_manifest(identity(i["owner"]), **place, entries=entries, ends=i["ends"])
    unsigned = {k: v for k, v in statement.items() if k != "signature"}
    return {"statement": statement, "signed_utf8": c.canonical(unsigned).decode()}


def op_verify_manifest(i: Inputs) -> dict[str, Any]:
    place = {k: i[k] for k in ("dossier", "section")}
    m = c.verify_manifest(i["statement"], d(i["owner_sign_pk"]), **place)
    entries = {k: {"version": v, "signature_sha256": e(h)} for k, (v, h) in m.entries.items()}
    ends = {g: c.format_time(t) for g, t in m.ends.items()}
    return {"seq": m.seq, "at": c.format_time(m.at), "entries": entries, "ends": ends}


def op_check_listed(i: Inputs) -> dict[str, Any]:
    c.check_listed(_manifest(i), c.SealedEntry.from_json(i["entry"]))
    return {}


def op_withheld(i: Inputs) -> dict[str, Any]:
    return {"entries": c.withheld(_manifest(i), i["shown"])}


def op_log_hash(i: Inputs) -> dict[str, Any]:
    prev = d(i["prev_hash"])
    hashed = c.canonical(c.logchain.hashed_event(prev, i["event"]))
    return {"hash": e(c.log_hash(prev, i["event"])), "hashed_utf8": hashed.decode()}


def op_sign_checkpoint(i: Inputs) -> dict[str, Any]:
    cp = c.sign_checkpoint(identity(i["owner"]), i["dossier"], i["seq"], d(i["hash"]))
    return {"checkpoint": cp.to_json()}


def op_verify_chain(i: Inputs) -> dict[str, Any]:
    cp, pk = i["checkpoint"], i["owner_sign_pk"]
    head = c.verify_chain(
        i["events"],
        checkpoint=None if cp is None else c.Checkpoint.from_json(cp),
        owner_sign_pk=None if pk is None else d(pk),
    )
    return {"head": e(head)}


def op_sign_membership(i: Inputs) -> dict[str, Any]:
    statement = c.sign_membership(
        identity(i["org"]), i["org_id"], i["account"], public(i["member"]), i["key_version"]
    )
    return {"statement": statement}


def op_sign_succession(i: Inputs) -> dict[str, Any]:
    statement = c.sign_succession(
        identity(i["old"]), i["org_id"], public(i["new"]), i["key_version"]
    )
    return {"statement": statement}


def op_verify_org_member(i: Inputs) -> dict[str, Any]:
    keys = [(k["version"], public(k["identity"]), k["succession"]) for k in i["org_keys"]]
    c.verify_org_member(
        i["org"], public(i["granted"]), keys, i["account"], public(i["member"]), i["attestation"]
    )
    return {}
