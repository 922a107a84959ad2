"""Vectors for batch-sealed values (a school's student names and groups): one ephemeral key
per batch, a random nonce per value, and the opener that also opens classic sealed boxes."""

from __future__ import annotations

from dossier import crypto as c
from dossier.vectors._common import Case, bad, det, e, flip, ident, ok, script


def _classic_starting_with_version(recipient_pk: bytes, secret: bytes) -> tuple[bytes, str]:
    """A classic sealed box whose first byte is 0x02, as one in 256 are: the opener tries
    it as a batch value first and must still open it."""
    for i in range(4096):
        seed = det(f"batch/classic-seed-{i}")
        with script(seed):
            sealed = c.seal_to(recipient_pk, secret)
        if sealed[0] == c.VERSION:
            return seed, e(sealed)
    raise AssertionError("no seed found")


def gen_batch_values() -> list[Case]:
    _, school = ident("coach")
    _, other = ident("server")
    pk = c.b64d(school["box_pk"])
    secrets = [b"Zo\xc3\xab van der Achterberg\xc3\xa9", b"Verpleegkunde-4A", b"x"]
    seed = det("batch/ephemeral-seed")
    nonces = [det(f"batch/nonce-{i}", 24) for i in range(len(secrets))]
    with script(seed, *nonces):
        sealed = [e(v) for v in c.seal_values(pk, secrets)]
    classic_seed, classic = _classic_starting_with_version(pk, b"Oud")
    with script(det("batch/classic-seed")):
        plain_classic = e(c.seal_to(pk, b"Ouder"))
    sk = school["box_sk"]
    return [
        ok(
            "seal a batch of three values under one ephemeral key",
            "seal_values",
            {
                "recipient_pk": school["box_pk"],
                "ephemeral_seed": e(seed),
                "nonces": [e(n) for n in nonces],
                "secrets": [e(s) for s in secrets],
            },
            {"sealed": sealed},
        ),
        ok(
            "open a batch (one shared key for all three)",
            "open_values",
            {"recipient_sk": sk, "sealed": sealed},
            {"secrets": [e(s) for s in secrets]},
        ),
        ok(
            "a classic sealed box still opens",
            "open_values",
            {"recipient_sk": sk, "sealed": [plain_classic]},
            {"secrets": [e(b"Ouder")]},
        ),
        ok(
            f"a classic sealed box starting with 0x02 still opens (seed {e(classic_seed)})",
            "open_values",
            {"recipient_sk": sk, "sealed": [sealed[0], classic]},
            {"secrets": [e(secrets[0]), e(b"Oud")]},
        ),
        bad(
            "flipped bit in the ciphertext",
            "open_values",
            {"recipient_sk": sk, "sealed": [flip(sealed[1])]},
            "TamperedError",
        ),
        bad(
            "flipped bit in the nonce",
            "open_values",
            {"recipient_sk": sk, "sealed": [flip(sealed[1], 40)]},
            "TamperedError",
        ),
        bad(
            "another ephemeral key",
            "open_values",
            {"recipient_sk": sk, "sealed": [flip(sealed[1], 5)]},
            "TamperedError",
        ),
        bad(
            "truncated to the header",
            "open_values",
            {"recipient_sk": sk, "sealed": [e(c.b64d(sealed[2])[: c.BATCH_OVERHEAD - 1])]},
            "TamperedError",
        ),
        bad(
            "wrong recipient",
            "open_values",
            {"recipient_sk": other["box_sk"], "sealed": [sealed[0]]},
            "TamperedError",
        ),
    ]
