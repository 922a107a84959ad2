"""Replay every committed vector (positive and negative) from its JSON alone, and check that a
fresh run of the generator reproduces the committed files byte for byte."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from nacl.public import PrivateKey

from dossier import crypto as c
from dossier import vectors
from dossier.crypto import recovery as r
from dossier.vectors import _rng

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
Inputs = dict[str, Any]


def d(text: str) -> bytes:
    return c.b64d(text)


def e(data: bytes) -> str:
    return c.b64e(data)


def identity(j: dict[str, str]) -> c.Identity:
    return c.Identity.from_secret(d(j["box_sk"]) + d(j["sign_seed"]))


def public(j: dict[str, Any]) -> c.PublicIdentity:
    return c.PublicIdentity.from_json(j)


def op_canonical(i: Inputs) -> dict[str, Any]:
    out = c.canonical(i["value"])
    return {"utf8": out.decode(), "b64": e(out)}


def op_b64decode(i: Inputs) -> dict[str, Any]:
    return {"hex": d(i["text"]).hex()}


def op_derive_master_key(i: Inputs) -> dict[str, Any]:
    return {
        "master_key": e(c.derive_master_key(i["passphrase"], c.KdfParams.from_json(i["params"])))
    }


def op_kdf_check(i: Inputs) -> dict[str, Any]:
    c.KdfParams.from_json(i["params"]).check()
    return {}


def _subkeys(keys: c.SubKeys) -> dict[str, Any]:
    return {"auth_key": e(keys.auth_key), "wrap_key": e(keys.wrap_key)}


def op_derive_subkeys(i: Inputs) -> dict[str, Any]:
    return _subkeys(c.derive_subkeys(d(i["master"])))


def op_recovery_subkeys(i: Inputs) -> dict[str, Any]:
    return _subkeys(c.recovery_subkeys(d(i["code"])))


def op_format_recovery_code(i: Inputs) -> dict[str, Any]:
    return {"text": c.format_recovery_code(d(i["code"]))}


def op_parse_recovery_code(i: Inputs) -> dict[str, Any]:
    return {"code": e(c.parse_recovery_code(i["text"]))}


def op_fingerprint(i: Inputs) -> dict[str, Any]:
    fp = public(i["public"]).fingerprint()
    return {"fingerprint": e(fp), "formatted": c.format_fingerprint(fp)}


def op_format_fingerprint(i: Inputs) -> dict[str, Any]:
    return {"formatted": c.format_fingerprint(d(i["fingerprint"]))}


def op_seal_bundle(i: Inputs) -> dict[str, Any]:
    with _rng.scripted([d(i["nonce"])]):
        sealed = c.seal_bundle(identity(i["identity"]), d(i["wrap_key"]), i["account"], i["kind"])
    return {"sealed": sealed.to_json()}


def op_open_bundle(i: Inputs) -> dict[str, Any]:
    sealed = c.SealedBundle.from_json(i["sealed"])
    ident = c.open_bundle(sealed, d(i["wrap_key"]), i["account"], i["kind"])
    return {"box_sk": e(bytes(ident.box)), "sign_seed": e(bytes(ident.sign))}


def op_sign_section_key(i: Inputs) -> dict[str, Any]:
    signed = c.sign_section_key(
        identity(i["owner"]), i["dossier"], i["section"], i["version"], d(i["pk"])
    )
    assert bytes(PrivateKey(d(i["section_sk"])).public_key) == d(i["pk"])
    return {"signed": signed.to_json()}


def op_verify_section_key(i: Inputs) -> dict[str, Any]:
    c.SignedSectionKey.from_json(i["signed"]).verify(d(i["owner_sign_pk"]))
    return {}


def op_seal_entry(i: Inputs) -> dict[str, Any]:
    draws = [d(i[k]) for k in ("data_key", "nonce", "sealed_key_seed", "author_sealed_key_seed")]
    with _rng.scripted(draws):
        sealed = c.seal_entry(
            i["body"],
            dossier=i["dossier"],
            section=i["section"],
            entry=i["entry"],
            version=i["version"],
            author_id=i["author_id"],
            author=identity(i["author"]),
            section_key=c.SignedSectionKey.from_json(i["section_key"]),
            at=i["at"],
        )
    ad = c.canonical(
        {k: i[k] for k in ("dossier", "section", "entry", "version")}
        | {"author": i["author_id"], "v": c.VERSION}
    )
    return {"entry": sealed.to_json(), "ad_utf8": ad.decode()}


def op_open_entry(i: Inputs) -> dict[str, Any]:
    sealed = c.SealedEntry.from_json(i["entry"])
    owner_pk = i["owner_sign_pk"]
    body = c.open_entry(
        sealed,
        box_key=PrivateKey(d(i["box_sk"])),
        author_sign_pk=d(i["author_sign_pk"]),
        owner_sign_pk=None if owner_pk is None else d(owner_pk),
        use_author_copy=i["use_author_copy"],
        **i["expect"],
    )
    return {"body": body}


def op_rewrap_entry(i: Inputs) -> dict[str, Any]:
    with _rng.scripted([d(i["sealed_key_seed"])]):
        out = c.rewrap_entry(
            c.SealedEntry.from_json(i["entry"]),
            old_section_sk=PrivateKey(d(i["old_section_sk"])),
            new_section_key=c.SignedSectionKey.from_json(i["new_section_key"]),
            owner=identity(i["owner"]),
        )
    return {"entry": out.to_json()}


def _ids(i: Inputs) -> dict[str, Any]:
    return {k: i[k] for k in ("dossier", "section", "entry", "version")}


def op_seal_document(i: Inputs) -> dict[str, Any]:
    data_key = d(i["data_key"])
    with _rng.scripted([d(i["header"])]):
        chunks = list(c.seal_document(io.BytesIO(d(i["plaintext"])), data_key, **_ids(i)))
    blob = c.encoding.sha256(b"".join(chunks))
    opened = b"".join(c.open_document(chunks, data_key, **_ids(i), blob_sha256=blob))
    assert opened == d(i["plaintext"])
    return {
        "document_key": e(c.document_key(data_key)),
        "ad_utf8": c.canonical({"v": c.VERSION, **_ids(i)}).decode(),
        "chunks": [e(x) for x in chunks],
        "blob_sha256": e(blob),
    }


def op_open_document(i: Inputs) -> dict[str, Any]:
    chunks = (d(x) for x in i["chunks"])
    plain = c.open_document(chunks, d(i["data_key"]), **_ids(i), blob_sha256=d(i["blob_sha256"]))
    return {"plaintext": e(b"".join(plain))}


def op_seal_to(i: Inputs) -> dict[str, Any]:
    with _rng.scripted([d(i["ephemeral_seed"])]):
        return {"sealed": e(c.seal_to(d(i["recipient_pk"]), d(i["secret"])))}


def op_open_sealed(i: Inputs) -> dict[str, Any]:
    return {"secret": e(c.open_sealed(PrivateKey(d(i["recipient_sk"])), d(i["sealed"])))}


def op_seal_values(i: Inputs) -> dict[str, Any]:
    draws = [d(i["ephemeral_seed"]), *(d(n) for n in i["nonces"])]
    with _rng.scripted(draws):
        sealed = c.seal_values(d(i["recipient_pk"]), [d(s) for s in i["secrets"]])
    return {"sealed": [e(v) for v in sealed]}


def op_open_values(i: Inputs) -> dict[str, Any]:
    opener = c.ValueOpener(PrivateKey(d(i["recipient_sk"])))
    return {"secrets": [e(opener.open(d(v))) for v in i["sealed"]]}


def op_make_read_envelope(i: Inputs) -> dict[str, Any]:
    signed = c.SignedSectionKey.from_json(i["section_key"])
    with _rng.scripted([d(i["ephemeral_seed"])]):
        env = c.make_read_envelope(
            grant=i["grant"],
            section_key=signed,
            section_sk=PrivateKey(d(i["section_sk"])),
            grantee_box_pk=d(i["grantee_pk"]),
        )
    binding = c.envelope_binding(
        grant=i["grant"], dossier=signed.dossier, section=signed.section, key_version=signed.version
    )
    return {"envelope": env.to_json(), "binding": e(binding)}


def op_open_read_envelope(i: Inputs) -> dict[str, Any]:
    env = c.ReadGrantEnvelope.from_json(i["envelope"])
    signed = c.SignedSectionKey.from_json(i["section_key"])
    sk = c.open_read_envelope(env, PrivateKey(d(i["grantee_sk"])), signed)
    return {"section_sk": e(bytes(sk)), "section_pk": e(bytes(sk.public_key))}


def op_seal_org_key(i: Inputs) -> dict[str, Any]:
    with _rng.scripted([d(i["ephemeral_seed"])]):
        sealed = c.seal_org_key(
            c.OrgKey(PrivateKey(d(i["org_sk"]))),
            org=i["org"],
            member=i["member"],
            key_version=i["key_version"],
            member_box_pk=d(i["member_pk"]),
        )
    return {"sealed": sealed.to_json()}


def op_open_org_key(i: Inputs) -> dict[str, Any]:
    key = c.open_org_key(c.SealedOrgKey.from_json(i["sealed"]), PrivateKey(d(i["member_sk"])))
    return {"org_sk": e(bytes(key.sk)), "org_pk": e(key.pk)}


def op_seal_profile_card(i: Inputs) -> dict[str, Any]:
    with _rng.scripted([d(i["ephemeral_seed"])]):
        sealed = c.seal_profile_card(
            i["card"],
            sender_id=i["sender_id"],
            sender=identity(i["sender"]),
            recipient_id=i["recipient_id"],
            recipient_box_pk=d(i["recipient_pk"]),
        )
    signed = {"v": c.VERSION, "from": i["sender_id"], "to": i["recipient_id"], "card": i["card"]}
    return {"sealed": e(sealed), "signed_utf8": c.canonical(signed).decode()}


def op_open_profile_card(i: Inputs) -> dict[str, Any]:
    card = c.open_profile_card(
        d(i["sealed"]),
        box_key=PrivateKey(d(i["recipient_sk"])),
        recipient_id=i["recipient_id"],
        sender_id=i["sender_id"],
        sender_sign_pk=d(i["sender_sign_pk"]),
    )
    return {"card": card}


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


def op_from_wire_text(i: Inputs) -> dict[str, Any]:
    value = json.loads(i["text"])
    if i["kind"] == "entry":
        c.SealedEntry.from_json(value)
    elif i["kind"] == "receipt":
        c.ConsentReceipt.from_json(value)
    else:
        c.canonical(value)
    return {}


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


def op_canonical_text(i: Inputs) -> dict[str, Any]:
    return {"utf8": c.canonical(json.loads(i["text"])).decode()}


def op_verify_auth_key(i: Inputs) -> dict[str, Any]:
    return {"valid": c.verify_auth_key(i["stored"], d(i["auth_key"]))}


def _public(j: dict[str, Any]) -> c.PublicIdentity:
    return c.PublicIdentity.from_json(j)


def op_sign_membership(i: Inputs) -> dict[str, Any]:
    statement = c.sign_membership(
        identity(i["org"]), i["org_id"], i["account"], _public(i["member"]), i["key_version"]
    )
    return {"statement": statement}


def op_sign_succession(i: Inputs) -> dict[str, Any]:
    statement = c.sign_succession(
        identity(i["old"]), i["org_id"], _public(i["new"]), i["key_version"]
    )
    return {"statement": statement}


def op_verify_org_member(i: Inputs) -> dict[str, Any]:
    keys = [(k["version"], _public(k["identity"]), k["succession"]) for k in i["org_keys"]]
    c.verify_org_member(
        i["org"], _public(i["granted"]), keys, i["account"], _public(i["member"]), i["attestation"]
    )
    return {}


def op_recovery_split(i: Inputs) -> dict[str, Any]:
    with _rng.scripted([d(i["server_share"]), d(i["contact_share"])]):
        split = r.new_recovery_split()
    assert r.xor_shares(split.key, split.server_share) == split.contact_share
    return {"key": e(split.key)}


def op_seal_contact_bundle(i: Inputs) -> dict[str, Any]:
    key = d(i["recovery_key"])
    with _rng.scripted([d(i["nonce"])]):
        sealed = r.seal_contact_bundle(identity(i["identity"]), key, i["account"])
    return {"sealed": sealed.to_json(), "wrap_key": e(r.contact_wrap_key(key))}


def op_open_contact_bundle(i: Inputs) -> dict[str, Any]:
    sealed = c.SealedBundle.from_json(i["sealed"])
    ident = r.open_contact_bundle(sealed, d(i["server_share"]), d(i["contact_share"]), i["account"])
    return {"box_sk": e(bytes(ident.box)), "sign_seed": e(bytes(ident.sign))}


def op_seal_contact_share(i: Inputs) -> dict[str, Any]:
    with _rng.scripted([d(i["ephemeral_seed"])]):
        sealed = r.seal_contact_share(d(i["contact_pk"]), d(i["contact_share"]))
    return {"sealed": e(sealed), "share_sha256": e(r.share_hash(sealed))}


def op_reseal_share(i: Inputs) -> dict[str, Any]:
    with _rng.scripted([d(i["ephemeral_seed"])]):
        out = r.reseal_share(PrivateKey(d(i["contact_sk"])), d(i["sealed"]), d(i["device_pk"]))
    return {"resealed": e(out)}


def op_open_share(i: Inputs) -> dict[str, Any]:
    return {"share": e(r.open_share(PrivateKey(d(i["box_sk"])), d(i["sealed"])))}


def op_sign_recovery_setup(i: Inputs) -> dict[str, Any]:
    setup = r.sign_recovery_setup(
        identity(i["youth"]),
        account=i["account"],
        setup=i["setup"],
        contacts=[r.RecoveryContact.from_json(x) for x in i["contacts"]],
        wait_seconds=i["wait_seconds"],
    )
    return {"setup": setup.to_json(), "signed_utf8": setup.payload().decode()}


def op_verify_recovery_setup(i: Inputs) -> dict[str, Any]:
    r.RecoverySetup.from_json(i["setup"]).verify(d(i["youth_sign_pk"]))
    return {}


def op_check_share_for(i: Inputs) -> dict[str, Any]:
    r.check_share_for(
        r.RecoverySetup.from_json(i["setup"]),
        d(i["youth_sign_pk"]),
        account=i["account"],
        contact_id=i["contact"],
        sealed_share=d(i["sealed"]),
    )
    return {}


def op_recovery_short_code(i: Inputs) -> dict[str, Any]:
    return {"code": r.short_code(d(i["device_pk"]), i["request"], d(i["challenge"]))}


OPS: dict[str, Callable[[Inputs], dict[str, Any]]] = {
    name.removeprefix("op_"): fn for name, fn in globals().items() if name.startswith("op_")
}


def _cases() -> list[Any]:
    out = []
    for path in sorted(VECTORS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["v"] == c.VERSION
        out += [pytest.param(case, id=f"{path.stem}:{case['name']}") for case in doc["cases"]]
    return out


@pytest.mark.parametrize("case", _cases())
def test_vector(case: dict[str, Any]) -> None:
    run = OPS[case["op"]]
    if "error" in case:
        with pytest.raises(c.CryptoError) as info:
            run(case["inputs"])
        assert type(info.value).__name__ == case["error"]
        assert case.get("reason", "") in str(info.value)
        return
    got = run(case["inputs"])
    expected = case["expected"]
    assert got == expected


def test_every_file_has_positive_and_negative_cases() -> None:
    for path in VECTORS.glob("*.json"):
        cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
        assert any("expected" in x for x in cases), path
        errors = {x["error"] for x in cases if "error" in x}
        if path.stem not in {"subkeys", "sealed_box"}:
            assert errors, path
        assert errors <= {
            "TamperedError",
            "UnsupportedVersion",
            "MalformedError",
            "WeakParameters",
            "UnauthorisedAuthor",
            "UnlistedEntry",
        }


def test_required_negative_kinds_are_present() -> None:
    names = " ".join(
        case["name"]
        for path in VECTORS.glob("*.json")
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]
    )
    for needle in (
        "wrong AD",
        "moved to another entry",
        "moved to another section",
        "moved to another dossier",
        "flipped bit",
        "wrong section key",
        "unknown v",
        "weak",
        "truncated",
    ):
        assert needle in names, needle


def test_generator_reproduces_committed_files(tmp_path: Path) -> None:
    assert vectors.main([str(tmp_path)]) == 0
    fresh = sorted(p.name for p in tmp_path.glob("*.json"))
    assert fresh == sorted(p.name for p in VECTORS.glob("*.json"))
    for name in fresh:
        assert (tmp_path / name).read_bytes() == (VECTORS / name).read_bytes(), name


def test_vector_times_are_utc() -> None:
    doc = json.loads((VECTORS / "receipt.json").read_text(encoding="utf-8"))
    receipt = doc["cases"][0]["expected"]["receipt"]
    assert c.parse_time(receipt["issued_at"]).tzinfo is not None
    assert isinstance(c.parse_time(receipt["issued_at"]), datetime)
