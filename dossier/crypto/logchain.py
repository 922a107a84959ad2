"""The access-log hash chain and the owner's signed checkpoints (DESIGN §7).

`hash = BLAKE2b-256(prev_hash || canonical(hashed event))`, where the hashed event is exactly
`{"v": 2, "seq", "dossier", "actor", "action", "section", "at", "prev_hash"}` (`section` may be
null, `prev_hash` as base64url, `at` as the server wrote it). Any other key of a stored event
is not covered. The first event has `seq` 1 and `prev_hash` GENESIS (32 zero bytes).
Invariant: once the owner has signed a checkpoint `{dossier, seq, hash}`, no history up to
`seq` can be rewritten, and a log that does not reach the checkpoint is refused.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import nacl.encoding
import nacl.hash

from dossier.crypto.encoding import (
    VERSION,
    b64e,
    canonical,
    check_len,
    check_version,
    get_bytes,
    get_int,
    get_str,
)
from dossier.crypto.errors import CryptoError, MalformedError, TamperedError
from dossier.crypto.identity import Identity, check_v, verify_signature
from dossier.crypto.sections import SIGNATURE_BYTES

HASH_BYTES: Final = 32
ANOTHER_DOSSIER: Final = "an event of another dossier"
GENESIS: Final = bytes(HASH_BYTES)
HASHED_FIELDS: Final = ("seq", "dossier", "actor", "action", "section", "at")


def hashed_event(prev_hash: bytes, event: Mapping[str, Any]) -> dict[str, Any]:
    """The exact object whose canonical bytes are hashed; rejects ill-typed fields."""
    if "v" in event:
        check_version(event)
    check_len("prev_hash", prev_hash, HASH_BYTES)
    out: dict[str, Any] = {"v": VERSION, "seq": get_int(event, "seq")}
    for key in ("dossier", "actor", "action", "at"):
        out[key] = get_str(event, key)
    section = event.get("section")
    if section is not None and not isinstance(section, str):
        raise MalformedError("section: expected a string or null")
    out["section"] = section
    out["prev_hash"] = b64e(prev_hash)
    return out


def log_hash(prev_hash: bytes, event: Mapping[str, Any]) -> bytes:
    data = prev_hash + canonical(hashed_event(prev_hash, event))
    return nacl.hash.blake2b(data, digest_size=HASH_BYTES, encoder=nacl.encoding.RawEncoder)


@dataclass(frozen=True, slots=True, kw_only=True)
class Checkpoint:
    dossier: str
    seq: int
    hash: bytes
    signature: bytes
    v: int = VERSION

    def __post_init__(self) -> None:
        check_v(self.v)
        check_len("hash", self.hash, HASH_BYTES)
        check_len("signature", self.signature, SIGNATURE_BYTES)

    def verify(self, owner_sign_pk: bytes) -> None:
        verify_signature(
            owner_sign_pk, "checkpoint", _payload(self.dossier, self.seq, self.hash), self.signature
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "dossier": self.dossier,
            "seq": self.seq,
            "hash": b64e(self.hash),
            "signature": b64e(self.signature),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Checkpoint:
        check_version(d)
        return cls(
            dossier=get_str(d, "dossier"),
            seq=get_int(d, "seq"),
            hash=get_bytes(d, "hash", HASH_BYTES),
            signature=get_bytes(d, "signature", SIGNATURE_BYTES),
        )


def _payload(dossier: str, seq: int, hash_: bytes) -> bytes:
    return canonical({"v": VERSION, "dossier": dossier, "seq": seq, "hash": b64e(hash_)})


def sign_checkpoint(owner: Identity, dossier: str, seq: int, hash_: bytes) -> Checkpoint:
    check_len("hash", hash_, HASH_BYTES)
    signature = owner.sign_bytes("checkpoint", _payload(dossier, seq, hash_))
    return Checkpoint(dossier=dossier, seq=seq, hash=hash_, signature=signature)


def _walk(events: Sequence[Mapping[str, Any]], checkpoint: Checkpoint | None) -> bytes:
    head = GENESIS
    dossier = checkpoint.dossier if checkpoint is not None else None
    for seq, event in enumerate(events, start=1):
        dossier = event.get("dossier") if dossier is None else dossier
        head = _next_head(head, event, seq, dossier)
        if checkpoint is not None and seq == checkpoint.seq and head != checkpoint.hash:
            raise TamperedError
    return head


def _next_head(head: bytes, event: Mapping[str, Any], seq: int, dossier: str | None) -> bytes:
    if get_int(event, "seq") != seq or get_bytes(event, "prev_hash") != head:
        raise TamperedError
    if event.get("dossier") != dossier:
        raise TamperedError(ANOTHER_DOSSIER)
    head = log_hash(head, event)
    if not hmac.compare_digest(get_bytes(event, "hash"), head):
        raise TamperedError
    return head


def verify_chain(
    events: Sequence[Mapping[str, Any]],
    *,
    checkpoint: Checkpoint | None = None,
    owner_sign_pk: bytes | None = None,
) -> bytes:
    """Verify a whole log of one dossier from GENESIS and return its head hash.

    With a checkpoint (whose signature is checked with `owner_sign_pk`), the log must belong to
    the checkpoint's dossier and contain event `seq` with exactly the checkpointed hash.
    """
    if checkpoint is not None:
        if owner_sign_pk is None:
            raise TamperedError
        checkpoint.verify(owner_sign_pk)
    try:
        head = _walk(events, checkpoint)
    except TamperedError:
        raise
    except CryptoError as exc:
        raise TamperedError from exc
    if checkpoint is not None and len(events) < checkpoint.seq:
        raise TamperedError
    return head
