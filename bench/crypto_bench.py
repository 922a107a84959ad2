"""Crypto layer overhead: our recipe API against the same libsodium calls made directly.

Run with `uv run python bench/crypto_bench.py`. Each row is the best of several runs
(time.perf_counter); the ratio is ours / raw, and the target is <= 1.3x. Numbers are reported,
not asserted, so the exit code is always 0. Argon2id is excluded (it is slow on purpose).
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Callable
from typing import Any

import nacl.bindings as b
import nacl.utils
from nacl.public import PublicKey, SealedBox
from nacl.signing import SigningKey

from dossier import crypto as c

TARGET = 1.3
DOC_SIZE = 10 * 1024 * 1024
ROTATION = 1000
OWNER = c.Identity.generate()
COACH = c.Identity.generate()
PAIR = c.SectionKeyPair.generate()
SKEY = c.sign_section_key(OWNER, "d", "notities", 1, PAIR.pk)
BODY = {"text": "Gesprek over werk en school. " * 10, "score": 3}
IDS: dict[str, Any] = {"dossier": "d", "section": "notities", "entry": "e", "version": 1}


def best(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def repeat(fn: Callable[[], Any], n: int) -> Callable[[], None]:
    def run() -> None:
        for _ in range(n):
            fn()

    return run


def ours_seal() -> c.SealedEntry:
    return c.seal_entry(BODY, author_id="coach", author=COACH, section_key=SKEY, **IDS)


def raw_seal() -> bytes:
    key = nacl.utils.random(32)
    nonce = nacl.utils.random(24)
    ad = json.dumps(IDS, sort_keys=True).encode()
    ct = b.crypto_aead_xchacha20poly1305_ietf_encrypt(json.dumps(BODY).encode(), ad, nonce, key)
    sealed = SealedBox(PublicKey(PAIR.pk)).encrypt(key)
    SealedBox(COACH.box.public_key).encrypt(key)
    digest = hashlib.sha256(ct).digest() + hashlib.sha256(sealed).digest()
    return COACH.sign.sign(digest).signature


SEALED = ours_seal()
RAW_AD = json.dumps(IDS, sort_keys=True).encode()
RAW_KEY = nacl.utils.random(32)
RAW_NONCE = nacl.utils.random(24)
RAW_CT = b.crypto_aead_xchacha20poly1305_ietf_encrypt(
    json.dumps(BODY).encode(), RAW_AD, RAW_NONCE, RAW_KEY
)
RAW_SEALED = SealedBox(PublicKey(PAIR.pk)).encrypt(RAW_KEY)
RAW_MSG = hashlib.sha256(RAW_CT).digest() + hashlib.sha256(RAW_SEALED).digest()
RAW_SIG = COACH.sign.sign(RAW_MSG).signature


def ours_open() -> dict[str, Any]:
    return c.open_entry(
        SEALED,
        box_key=PAIR.sk,
        author_sign_pk=COACH.public.sign_pk,
        dossier="d",
        section="notities",
        entry="e",
    )


def raw_open() -> Any:
    msg = hashlib.sha256(RAW_CT).digest() + hashlib.sha256(RAW_SEALED).digest()
    b.crypto_sign_open(RAW_SIG + msg, COACH.public.sign_pk)
    key = SealedBox(PAIR.sk).decrypt(RAW_SEALED)
    return json.loads(b.crypto_aead_xchacha20poly1305_ietf_decrypt(RAW_CT, RAW_AD, RAW_NONCE, key))


DOC = nacl.utils.random(DOC_SIZE)
DOC_KEY = nacl.utils.random(32)
DOC_CHUNKS = list(c.seal_document(io.BytesIO(DOC), DOC_KEY, **IDS))
DOC_BLOB = hashlib.sha256(b"".join(DOC_CHUNKS)).digest()


def ours_doc_seal() -> None:
    for _ in c.seal_document(io.BytesIO(DOC), DOC_KEY, **IDS):
        pass


def _raw_push() -> list[bytes]:
    # sha256 of the stream is part of the format (blob_sha256), so the baseline computes it too.
    state = b.crypto_secretstream_xchacha20poly1305_state()
    out = [b.crypto_secretstream_xchacha20poly1305_init_push(state, DOC_KEY)]
    digest = hashlib.sha256(out[0])
    reader = io.BytesIO(DOC)
    chunk = reader.read(c.CHUNK)
    while chunk:
        nxt = reader.read(c.CHUNK)
        tag = (
            b.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
            if nxt
            else b.crypto_secretstream_xchacha20poly1305_TAG_FINAL
        )
        out.append(b.crypto_secretstream_xchacha20poly1305_push(state, chunk, RAW_AD, tag))
        digest.update(out[-1])
        chunk = nxt
    digest.digest()
    return out


RAW_DOC = _raw_push()


def raw_doc_seal() -> None:
    _raw_push()


def ours_doc_open() -> None:
    for _ in c.open_document(DOC_CHUNKS, DOC_KEY, **IDS, blob_sha256=DOC_BLOB):
        pass


def raw_doc_open() -> None:
    state = b.crypto_secretstream_xchacha20poly1305_state()
    b.crypto_secretstream_xchacha20poly1305_init_pull(state, RAW_DOC[0], DOC_KEY)
    digest = hashlib.sha256(RAW_DOC[0])
    for chunk in RAW_DOC[1:]:
        digest.update(chunk)
        b.crypto_secretstream_xchacha20poly1305_pull(state, chunk, RAW_AD)
    digest.digest()


RECEIPT_FIELDS: dict[str, Any] = {
    "grant": "g",
    "dossier": "d",
    "section": "notities",
    "grantee": "coach",
    "grantee_key_fingerprint": COACH.public.fingerprint(),
    "permissions": ["append", "read"],
    "purpose": "begeleiding",
    "issued_at": "2025-01-01T00:00:00Z",
    "expires_at": "2026-01-01T00:00:00Z",
    "key_version": 1,
}
RECEIPT = c.sign_receipt(OWNER, **RECEIPT_FIELDS)
RECEIPT_BYTES = RECEIPT.payload()
RAW_SIGNER = SigningKey(bytes(OWNER.sign))


def ours_receipt_sign() -> c.ConsentReceipt:
    return c.sign_receipt(OWNER, **RECEIPT_FIELDS)


def raw_receipt_sign() -> bytes:
    return RAW_SIGNER.sign(RECEIPT_BYTES).signature


def ours_receipt_verify() -> None:
    RECEIPT.verify(OWNER.public.sign_pk)


def raw_receipt_verify() -> None:
    b.crypto_sign_open(RECEIPT.signature + RECEIPT_BYTES, OWNER.public.sign_pk)


ENTRIES = [ours_seal() for _ in range(ROTATION)]
NEW_PAIR = c.SectionKeyPair.generate()
NEW_KEY = c.sign_section_key(OWNER, "d", "notities", 2, NEW_PAIR.pk)
RAW_WRAPPED = [SealedBox(PublicKey(PAIR.pk)).encrypt(nacl.utils.random(32)) for _ in ENTRIES]


def ours_rotate() -> None:
    for sealed in ENTRIES:
        c.rewrap_entry(sealed, old_section_sk=PAIR.sk, new_section_key=NEW_KEY, owner=OWNER)


def raw_rotate() -> None:
    old, new = SealedBox(PAIR.sk), SealedBox(PublicKey(NEW_PAIR.pk))
    for wrapped in RAW_WRAPPED:
        sealed = new.encrypt(old.decrypt(wrapped))
        RAW_SIGNER.sign(hashlib.sha256(RAW_CT).digest() + hashlib.sha256(sealed).digest())


ROWS: list[tuple[str, Callable[[], Any], Callable[[], Any], int, int]] = [
    ("seal entry (x200)", ours_seal, raw_seal, 200, 7),
    ("open entry (x200)", ours_open, raw_open, 200, 7),
    ("seal 10 MB document", ours_doc_seal, raw_doc_seal, 1, 5),
    ("open 10 MB document", ours_doc_open, raw_doc_open, 1, 5),
    ("sign receipt (x500)", ours_receipt_sign, raw_receipt_sign, 500, 7),
    ("verify receipt (x500)", ours_receipt_verify, raw_receipt_verify, 500, 7),
    (f"rotate section ({ROTATION} entries)", ours_rotate, raw_rotate, 1, 3),
]


def main() -> int:
    print(f"{'operation':34} {'ours ms':>10} {'raw ms':>10} {'ratio':>7}  (target <= {TARGET}x)")
    for name, ours, raw, n, runs in ROWS:
        t_ours = best(repeat(ours, n), runs)
        t_raw = best(repeat(raw, n), runs)
        ratio = t_ours / t_raw
        flag = "" if ratio <= TARGET else "  over target"
        print(f"{name:34} {t_ours * 1e3:10.2f} {t_raw * 1e3:10.2f} {ratio:6.2f}x{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
