"""Vectors for recovery through a contact: the 2-of-2 split, the bundle copy under the
recovery key, shares sealed to a contact and re-sealed to a new device, the youth-signed setup
record and the short code people compare."""

from __future__ import annotations

from nacl.public import PrivateKey

from dossier import crypto as c
from dossier.crypto import recovery as r
from dossier.vectors._common import Case, Json, bad, det, e, flip, ident, ok, script, with_

ACCOUNT = "acct-owner"
SETUP = "setup-1"


def _split() -> r.RecoverySplit:
    server, contact = det("recovery/server-share"), det("recovery/contact-share")
    with script(server, contact):
        return r.new_recovery_split()


def gen_contact_recovery() -> list[Case]:
    return [*_split_cases(), *_share_cases(), *_setup_cases(), *_code_cases()]


def _split_cases() -> list[Case]:
    split = _split()
    identity, ij = ident("owner")
    nonce = det("recovery/bundle-nonce", 24)
    with script(nonce):
        sealed = r.seal_contact_bundle(identity, split.key, ACCOUNT).to_json()
    shares = {"server_share": e(split.server_share), "contact_share": e(split.contact_share)}
    base: Json = {"sealed": sealed, **shares, "account": ACCOUNT}
    return [
        ok("split", "recovery_split", shares, {"key": e(split.key)}),
        ok(
            "seal the bundle copy",
            "seal_contact_bundle",
            {"identity": ij, "recovery_key": e(split.key), "account": ACCOUNT, "nonce": e(nonce)},
            {"sealed": sealed, "wrap_key": e(r.contact_wrap_key(split.key))},
        ),
        ok(
            "open with both shares",
            "open_contact_bundle",
            base,
            {"box_sk": ij["box_sk"], "sign_seed": ij["sign_seed"]},
        ),
        bad(
            "server share alone (contact share zero)",
            "open_contact_bundle",
            with_(base, contact_share=e(bytes(32))),
            "TamperedError",
        ),
        bad(
            "contact share alone (server share zero)",
            "open_contact_bundle",
            with_(base, server_share=e(bytes(32))),
            "TamperedError",
        ),
        bad(
            "wrong AD: other account",
            "open_contact_bundle",
            with_(base, account="acct-other"),
            "TamperedError",
        ),
        bad(
            "flipped bit",
            "open_contact_bundle",
            with_(base, sealed=with_(sealed, ciphertext=flip(sealed["ciphertext"]))),
            "TamperedError",
        ),
        bad(
            "short share",
            "open_contact_bundle",
            with_(base, server_share=e(bytes(31))),
            "MalformedError",
        ),
        bad(
            "wrong AD: opened as the recovery-code copy",
            "open_bundle",
            {
                "sealed": sealed,
                "wrap_key": e(r.contact_wrap_key(split.key)),
                "account": ACCOUNT,
                "kind": "recovery",
            },
            "TamperedError",
        ),
    ]


def _share_cases() -> list[Case]:
    split = _split()
    _, coach = ident("coach")
    _, device = ident("device")
    _, other = ident("server")
    seed, reseed = det("recovery/share-seed"), det("recovery/reseal-seed")
    with script(seed):
        sealed = r.seal_contact_share(c.b64d(coach["box_pk"]), split.contact_share)
    with script(reseed):
        resealed = r.reseal_share(
            PrivateKey(c.b64d(coach["box_sk"])), sealed, c.b64d(device["box_pk"])
        )
    return [
        ok(
            "seal to the contact",
            "seal_contact_share",
            {
                "contact_pk": coach["box_pk"],
                "contact_share": e(split.contact_share),
                "ephemeral_seed": e(seed),
            },
            {"sealed": e(sealed), "share_sha256": e(r.share_hash(sealed))},
        ),
        ok(
            "contact re-seals to the new device",
            "reseal_share",
            {
                "contact_sk": coach["box_sk"],
                "sealed": e(sealed),
                "device_pk": device["box_pk"],
                "ephemeral_seed": e(reseed),
            },
            {"resealed": e(resealed)},
        ),
        ok(
            "new device opens",
            "open_share",
            {"box_sk": device["box_sk"], "sealed": e(resealed)},
            {"share": e(split.contact_share)},
        ),
        bad(
            "another device cannot open",
            "open_share",
            {"box_sk": other["box_sk"], "sealed": e(resealed)},
            "TamperedError",
        ),
        bad(
            "flipped bit",
            "open_share",
            {"box_sk": device["box_sk"], "sealed": flip(e(resealed))},
            "TamperedError",
        ),
        bad(
            "truncated share",
            "open_share",
            {"box_sk": device["box_sk"], "sealed": e(resealed[:-1])},
            "MalformedError",
        ),
    ]


def _contacts() -> tuple[list[r.RecoveryContact], bytes]:
    _, coach = ident("coach")
    _, aunt = ident("aunt")
    sealed = {}
    for label, keys in (("coach", coach), ("aunt", aunt)):
        with script(det(f"recovery/{label}-seed")):
            sealed[label] = r.seal_contact_share(c.b64d(keys["box_pk"]), _split().contact_share)
    contacts = [
        r.RecoveryContact(
            account=f"acct-{label}",
            fingerprint=c.PublicIdentity.from_json(
                {"v": c.VERSION, "box_pk": keys["box_pk"], "sign_pk": keys["sign_pk"]}
            ).fingerprint(),
            share_sha256=r.share_hash(sealed[label]),
        )
        for label, keys in (("coach", coach), ("aunt", aunt))
    ]
    return contacts, sealed["aunt"]


def _setup_cases() -> list[Case]:
    youth, yj = ident("owner")
    _, other = ident("server")
    contacts, aunt_share = _contacts()
    setup = r.sign_recovery_setup(
        youth, account=ACCOUNT, setup=SETUP, contacts=contacts, wait_seconds=r.DEFAULT_WAIT
    )
    sj = setup.to_json()
    base: Json = {"setup": sj, "youth_sign_pk": yj["sign_pk"]}
    check: Json = {**base, "account": ACCOUNT, "contact": "acct-aunt", "sealed": e(aunt_share)}
    three = [*sj["contacts"], with_(sj["contacts"][0], account="acct-third")]
    return [
        ok(
            "sign",
            "sign_recovery_setup",
            {
                "youth": yj,
                "account": ACCOUNT,
                "setup": SETUP,
                "contacts": sj["contacts"],
                "wait_seconds": r.DEFAULT_WAIT,
            },
            {"setup": sj, "signed_utf8": setup.payload().decode()},
        ),
        ok("verify", "verify_recovery_setup", base, {}),
        bad(
            "changed waiting period",
            "verify_recovery_setup",
            with_(base, setup=with_(sj, wait_seconds=r.MIN_WAIT)),
            "TamperedError",
        ),
        bad(
            "swapped contact key",
            "verify_recovery_setup",
            with_(
                base,
                setup=with_(
                    sj,
                    contacts=[
                        with_(sj["contacts"][0], fingerprint=e(bytes(20))),
                        sj["contacts"][1],
                    ],
                ),
            ),
            "TamperedError",
        ),
        bad(
            "not the youth's key",
            "verify_recovery_setup",
            with_(base, youth_sign_pk=other["sign_pk"]),
            "TamperedError",
        ),
        bad(
            "three contacts",
            "verify_recovery_setup",
            with_(base, setup=with_(sj, contacts=three)),
            "MalformedError",
        ),
        bad(
            "the same contact twice",
            "verify_recovery_setup",
            with_(base, setup=with_(sj, contacts=[sj["contacts"][0], sj["contacts"][0]])),
            "MalformedError",
        ),
        bad(
            "waiting period of one hour",
            "verify_recovery_setup",
            with_(base, setup=with_(sj, wait_seconds=3600)),
            "MalformedError",
        ),
        bad(
            "dropped v 1",
            "verify_recovery_setup",
            with_(base, setup=with_(sj, v=1)),
            "UnsupportedVersion",
        ),
        ok("the contact's share is the signed one", "check_share_for", check, {}),
        bad(
            "another sealed share",
            "check_share_for",
            with_(check, sealed=flip(check["sealed"])),
            "TamperedError",
        ),
        bad(
            "a setup of another account",
            "check_share_for",
            with_(check, account="acct-other"),
            "TamperedError",
        ),
        bad(
            "not named as contact",
            "check_share_for",
            with_(check, contact="acct-third"),
            "TamperedError",
        ),
    ]


def _code_cases() -> list[Case]:
    _, device = ident("device")
    _, other = ident("server")
    challenge = det("recovery/challenge", 16)
    base: Json = {"device_pk": device["box_pk"], "request": "request-1", "challenge": e(challenge)}

    def code(i: Json) -> Json:
        return {"code": r.short_code(c.b64d(i["device_pk"]), i["request"], c.b64d(i["challenge"]))}

    other_device = with_(base, device_pk=other["box_pk"])
    other_challenge = with_(base, challenge=e(det("recovery/challenge-2", 16)))
    return [
        ok("short code", "recovery_short_code", base, code(base)),
        ok("another device key", "recovery_short_code", other_device, code(other_device)),
        ok("another challenge", "recovery_short_code", other_challenge, code(other_challenge)),
        bad(
            "short challenge",
            "recovery_short_code",
            with_(base, challenge=e(challenge[:8])),
            "MalformedError",
        ),
    ]
