"""Vectors for sealed boxes and what travels in them: read grants, organisation keys and
sign-then-seal profile cards."""

from __future__ import annotations

from typing import Any

import nacl.public

from dossier import crypto as c
from dossier.vectors._common import (
    Case,
    Json,
    bad,
    det,
    e,
    flip,
    ident,
    ok,
    script,
    section_key,
    with_,
)


def _seal_to(recipient_pk: str, data: bytes, seed: bytes) -> str:
    with script(seed):
        return e(c.seal_to(c.b64d(recipient_pk), data))


def gen_sealed_box() -> list[Case]:
    _, coach = ident("coach")
    _, other = ident("server")
    secret = det("box/secret")
    seed = det("box/seed")
    sealed = _seal_to(coach["box_pk"], secret, seed)
    return [
        ok(
            "seal",
            "seal_to",
            {"recipient_pk": coach["box_pk"], "secret": e(secret), "ephemeral_seed": e(seed)},
            {"sealed": sealed},
        ),
        ok(
            "open with crypto_box_seal_open",
            "open_sealed",
            {"recipient_sk": coach["box_sk"], "sealed": sealed},
            {"secret": e(secret)},
        ),
        bad(
            "flipped bit",
            "open_sealed",
            {"recipient_sk": coach["box_sk"], "sealed": flip(sealed)},
            "TamperedError",
        ),
        bad(
            "wrong recipient",
            "open_sealed",
            {"recipient_sk": other["box_sk"], "sealed": sealed},
            "TamperedError",
        ),
    ]


def gen_read_grant() -> list[Case]:
    owner, _ = ident("owner")
    _, coach = ident("coach")
    _, other = ident("server")
    sk, signed = section_key(owner, "dossier-1", "verhaal", 1)
    other_sk, _ = section_key(owner, "dossier-1", "verhaal", 2)
    seed = det("grant/seed")
    with script(seed):
        env = c.make_read_envelope(
            grant="grant-1",
            section_key=signed,
            section_sk=nacl.public.PrivateKey(sk),
            grantee_box_pk=c.b64d(coach["box_pk"]),
        ).to_json()
    # The right binding around another private key than the one the owner signed.
    binding = c.envelope_binding(
        grant="grant-1", dossier="dossier-1", section="verhaal", key_version=1
    )
    with script(det("grant/seed/2")):
        wrong_key = with_(env, sealed_sk=e(c.seal_to(c.b64d(coach["box_pk"]), other_sk + binding)))
    with script(det("grant/seed/other")):
        other_grant = c.make_read_envelope(
            grant="grant-2",
            section_key=signed,
            section_sk=nacl.public.PrivateKey(sk),
            grantee_box_pk=c.b64d(coach["box_pk"]),
        ).to_json()
    base = {"envelope": env, "grantee_sk": coach["box_sk"], "section_key": signed.to_json()}
    return [
        ok(
            "make",
            "make_read_envelope",
            {
                "grant": "grant-1",
                "section_key": signed.to_json(),
                "section_sk": e(sk),
                "grantee_pk": coach["box_pk"],
                "ephemeral_seed": e(seed),
            },
            {"envelope": env, "binding": e(binding)},
        ),
        ok("open", "open_read_envelope", base, {"section_sk": e(sk), "section_pk": e(signed.pk)}),
        bad(
            "other grantee",
            "open_read_envelope",
            with_(base, grantee_sk=other["box_sk"]),
            "TamperedError",
        ),
        bad(
            "flipped bit",
            "open_read_envelope",
            with_(base, envelope=with_(env, sealed_sk=flip(env["sealed_sk"]))),
            "TamperedError",
        ),
        bad(
            "envelope does not match the signed section key",
            "open_read_envelope",
            with_(base, envelope=wrong_key),
            "TamperedError",
        ),
        bad(
            "envelope of another grant",
            "open_read_envelope",
            with_(base, envelope=with_(other_grant, grant="grant-1")),
            "TamperedError",
        ),
        bad(
            "v true",
            "open_read_envelope",
            with_(base, envelope=with_(env, v=True)),
            "UnsupportedVersion",
        ),
        bad(
            "unknown v",
            "open_read_envelope",
            with_(base, envelope=with_(env, v=0)),
            "UnsupportedVersion",
        ),
    ]


def gen_org_key() -> list[Case]:
    _, coach = ident("coach")
    _, other = ident("server")
    org_sk = det("org/sk")
    org_key = c.OrgKey(nacl.public.PrivateKey(org_sk))
    seed = det("org/seed")
    with script(seed):
        sealed = c.seal_org_key(
            org_key,
            org="org-1",
            member="coach-1",
            key_version=1,
            member_box_pk=c.b64d(coach["box_pk"]),
        ).to_json()
    base = {"sealed": sealed, "member_sk": coach["box_sk"]}
    return [
        ok(
            "seal to member",
            "seal_org_key",
            {
                "org": "org-1",
                "member": "coach-1",
                "key_version": 1,
                "org_sk": e(org_sk),
                "member_pk": coach["box_pk"],
                "ephemeral_seed": e(seed),
            },
            {"sealed": sealed},
        ),
        ok("member opens", "open_org_key", base, {"org_sk": e(org_sk), "org_pk": e(org_key.pk)}),
        bad("non-member", "open_org_key", with_(base, member_sk=other["box_sk"]), "TamperedError"),
        bad(
            "short sealed key",
            "open_org_key",
            with_(base, sealed=with_(sealed, sealed_sk=e(bytes(60)))),
            "MalformedError",
        ),
    ]


def _card_payload(card: Json, **extra: Any) -> bytes:
    return c.canonical({"v": c.VERSION, "from": "youth-1", "to": "coach-1", "card": card, **extra})


def gen_profile_card() -> list[Case]:
    youth, yj = ident("owner")
    _, coach = ident("coach")
    _, other = ident("server")
    card = {"display_name": "Sam", "contact": "whatsapp"}
    seed = det("card/seed")
    with script(seed):
        sealed = e(
            c.seal_profile_card(
                card,
                sender_id="youth-1",
                sender=youth,
                recipient_id="coach-1",
                recipient_box_pk=c.b64d(coach["box_pk"]),
            )
        )
    base = {
        "sealed": sealed,
        "recipient_sk": coach["box_sk"],
        "recipient_id": "coach-1",
        "sender_id": "youth-1",
        "sender_sign_pk": yj["sign_pk"],
    }
    unsigned = _seal_to(
        coach["box_pk"], _card_payload(card, sig=e(bytes(64))), det("card/unsigned")
    )
    return [
        ok(
            "seal",
            "seal_profile_card",
            {
                "card": card,
                "sender_id": "youth-1",
                "sender": yj,
                "recipient_id": "coach-1",
                "recipient_pk": coach["box_pk"],
                "ephemeral_seed": e(seed),
            },
            {"sealed": sealed, "signed_utf8": _card_payload(card).decode()},
        ),
        ok("open", "open_profile_card", base, {"card": card}),
        bad(
            "claimed sender is someone else",
            "open_profile_card",
            with_(base, sender_id="coach-2"),
            "TamperedError",
        ),
        bad(
            "addressed to someone else",
            "open_profile_card",
            with_(base, recipient_id="coach-2"),
            "TamperedError",
        ),
        bad(
            "sender key does not match",
            "open_profile_card",
            with_(base, sender_sign_pk=other["sign_pk"]),
            "TamperedError",
        ),
        bad(
            "anyone can seal, nobody can sign",
            "open_profile_card",
            with_(base, sealed=unsigned),
            "TamperedError",
        ),
        bad("flipped bit", "open_profile_card", with_(base, sealed=flip(sealed)), "TamperedError"),
    ]
