"""Generate the crypto wire-format test vectors: `python -m dossier.vectors [outdir]`.

Every random draw (data keys, nonces, ephemeral seeds, stream headers) is an explicit input of
its case and is replayed through the private scripted-randomness hook, so the files are
byte-for-byte reproducible and a JavaScript implementation can check every expected output.
Each file is `{"v": 2, "description", "cases": [...]}`; a case is `{name, op, inputs}` plus
either `expected` or `error` (the name of the error class a conforming implementation raises).
One module per group of structures writes the cases; `_common` holds what they share.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from dossier import crypto as c
from dossier.vectors._common import Case
from dossier.vectors.batches import gen_batch_values
from dossier.vectors.boxes import gen_org_key, gen_profile_card, gen_read_grant, gen_sealed_box
from dossier.vectors.documents import gen_document
from dossier.vectors.encoding import gen_canonical
from dossier.vectors.entries import gen_entry, gen_rewrap
from dossier.vectors.keys import (
    gen_auth_hash,
    gen_bundle,
    gen_fingerprint,
    gen_kdf,
    gen_recovery,
    gen_section_key,
    gen_subkeys,
)
from dossier.vectors.logchain import gen_log_chain
from dossier.vectors.manifests import gen_manifest
from dossier.vectors.receipts import gen_authorisation, gen_receipt
from dossier.vectors.recovery import gen_contact_recovery
from dossier.vectors.revocations import gen_grant_end
from dossier.vectors.statements import gen_statements
from dossier.vectors.wire_numbers import gen_wire_numbers

__all__ = ["FILES", "OUT", "main", "render"]

OUT = Path(__file__).resolve().parents[2] / "tests" / "vectors"

FILES: dict[str, tuple[str, Callable[[], list[Case]]]] = {
    "canonical": ("Canonical JSON and strict unpadded base64url.", gen_canonical),
    "kdf": ("Argon2id master key (v1 parameters) and the parameter floor.", gen_kdf),
    "subkeys": (
        "Keyed BLAKE2b sub-keys from the master key and from the recovery code.",
        gen_subkeys,
    ),
    "recovery": ("Recovery code text form.", gen_recovery),
    "fingerprint": ("Identity key fingerprint and its digit rendering.", gen_fingerprint),
    "bundle": (
        "Key bundle sealed with XChaCha20-Poly1305 under the (recovery) wrap key.",
        gen_bundle,
    ),
    "section_key": ("Owner-signed section public keys.", gen_section_key),
    "entry": ("Sealed entries: AEAD body, sealed data keys and the author's signature.", gen_entry),
    "rewrap": ("Section rotation: owner re-seals the data key and signs the new wrap.", gen_rewrap),
    "document": (
        (
            "Document blobs as secretstream in 64 KiB chunks; every seal_document case must"
            " also open its expected chunks back to the plaintext."
        ),
        gen_document,
    ),
    "sealed_box": ("crypto_box_seal built from a given ephemeral seed.", gen_sealed_box),
    "batch_values": (
        (
            "Values sealed in a batch: one ephemeral key, crypto_box_beforenm once, a random"
            " nonce per value; the opener also opens classic sealed boxes."
        ),
        gen_batch_values,
    ),
    "read_grant": ("Section private key sealed to a grantee.", gen_read_grant),
    "org_key": ("Organisation private key sealed to a member.", gen_org_key),
    "profile_card": ("Sign-then-seal profile cards.", gen_profile_card),
    "receipt": ("Owner-signed consent receipts.", gen_receipt),
    "authorisation": (
        "Which key must have signed an entry (reader-side author check).",
        gen_authorisation,
    ),
    "grant_end": (
        "Owner-signed grant ends (revocations, step-downs) and the receipt validity they cap.",
        gen_grant_end,
    ),
    "manifest": (
        "Owner-signed section manifests: planted, withheld and rolled-back entries.",
        gen_manifest,
    ),
    "wire_numbers": (
        "JSON numbers on the wire: 1.0 is not 1 (refused where an integer is due).",
        gen_wire_numbers,
    ),
    "log_chain": ("Access log hash chain and owner-signed checkpoints.", gen_log_chain),
    "auth_hash": ("The server's Argon2id string hash of the login proof.", gen_auth_hash),
    "statements": (
        "Organisation membership attestations and key successions, and the reader's walk.",
        gen_statements,
    ),
    "contact_recovery": (
        (
            "Recovery through a contact: 2-of-2 split, bundle copy, shares sealed to a contact"
            " and re-sealed to a new device, the youth-signed setup and the short code."
        ),
        gen_contact_recovery,
    ),
}


def render(name: str) -> str:
    description, gen = FILES[name]
    doc = {"v": c.VERSION, "description": description, "cases": gen()}
    return json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else OUT
    out.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        (out / f"{name}.json").write_text(render(name), encoding="utf-8")
    return 0
