"""Vector ops for sealed boxes, values sealed in a batch, read-grant envelopes, organisation
keys and profile cards."""

from __future__ import annotations

from typing import Any

from nacl.public import PrivateKey

from dossier import crypto as c
from dossier.vectors import _rng
from tests.support.vector_ops.common import Inputs, d, e, identity


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
