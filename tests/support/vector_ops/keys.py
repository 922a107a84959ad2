"""Vector ops for canonical JSON and base64url, wire numbers, the key derivations, recovery
code text, fingerprints, key bundles, section keys and the login proof's hash."""

from __future__ import annotations

import json
from typing import Any

from nacl.public import PrivateKey

from dossier import crypto as c
from dossier.vectors import _rng
from tests.support.vector_ops.common import Inputs, d, e, identity, public


def op_canonical(i: Inputs) -> dict[str, Any]:
    out = c.canonical(i["value"])
    return {"utf8": out.decode(), "b64": e(out)}


def op_canonical_text(i: Inputs) -> dict[str, Any]:
    return {"utf8": c.canonical(json.loads(i["text"])).decode()}


def op_b64decode(i: Inputs) -> dict[str, Any]:
    return {"hex": d(i["text"]).hex()}


def op_from_wire_text(i: Inputs) -> dict[str, Any]:
    value = json.loads(i["text"])
    if i["kind"] == "entry":
        c.SealedEntry.from_json(value)
    elif i["kind"] == "receipt":
        c.ConsentReceipt.from_json(value)
    else:
        c.canonical(value)
    return {}


def op_derive_master_key(i: Inputs) -> dict[str, Any]:
    return {
        "master_key": e(c.derive_master_key(i["passphrase"], c.KdfParams.from_json(i["params"])))
    }


def op_kdf_check(i: Inputs) -> dict[str, Any]:
    c.KdfParams.from_json(i["params"]).check()
    return {}


def op_verify_auth_key(i: Inputs) -> dict[str, Any]:
    return {"valid": c.verify_auth_key(i["stored"], d(i["auth_key"]))}


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
