"""Vector ops for recovery through a contact: the 2-of-2 split, the bundle copy, shares sealed
to a contact and re-sealed to a device, the signed setup and the short code."""

from __future__ import annotations

from typing import Any

from nacl.public import PrivateKey

from dossier import crypto as c
from dossier.crypto import recovery as r
from dossier.vectors import _rng
from tests.support.vector_ops.common import Inputs, d, e, identity


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
