"""Entries: a JSON body under a fresh data key, that key sealed to the section and the author.

Invariants:
- The associated data binds dossier, section, entry, author and version, so the server
  cannot move a ciphertext to another place or relabel it without the open failing.
- The author's Ed25519 signature (purpose "entry") covers the ids, the version, the author's
  time `at`, sha256(ciphertext) and sha256(sealed_key) at the key version it was written
  under. A reader verifies it before
  opening anything, and accepts only signers that `authorised_signer` allows.
- On section rotation the owner re-seals the data key (`rewrap_entry`); the ciphertext and
  the author's signature stay as they were (`signed_key_version`, `signed_sealed_key_hash`)
  and the owner signs the new wrap (`rewrap_signature`), so authorship stays provable.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final, NotRequired, TypedDict, Unpack

import nacl.utils
from nacl.public import PrivateKey

from dossier.crypto.boxes import SEALED_KEY_BYTES, open_sealed, seal_to
from dossier.crypto.encoding import (
    VERSION,
    b64e,
    canonical,
    check_len,
    check_version,
    format_time,
    get_bytes,
    get_int,
    get_str,
    parse_json_object,
    parse_time,
    sha256,
)
from dossier.crypto.errors import AnotherAuthor, MalformedError, TamperedError
from dossier.crypto.identity import (
    KEY_BYTES,
    NONCE_BYTES,
    Identity,
    aead_open,
    aead_seal,
    check_v,
    verify_signature,
)
from dossier.crypto.sections import SIGNATURE_BYTES, SignedSectionKey

AEAD_TAG_BYTES: Final = 16
HASH_BYTES: Final = 32


@dataclass(frozen=True, slots=True, kw_only=True)
class SealedEntry:
    dossier: str
    section: str
    entry: str
    version: int
    author: str
    at: str
    key_version: int
    nonce: bytes
    ciphertext: bytes
    sealed_key: bytes
    author_sealed_key: bytes
    signature: bytes
    signed_key_version: int
    signed_sealed_key_hash: bytes
    rewrap_signature: bytes | None = None
    v: int = VERSION

    def __post_init__(self) -> None:
        check_v(self.v)
        parse_time(self.at)
        check_len("nonce", self.nonce, NONCE_BYTES)
        if len(self.ciphertext) < AEAD_TAG_BYTES:
            raise MalformedError("ciphertext: too short")
        check_len("sealed_key", self.sealed_key, SEALED_KEY_BYTES)
        check_len("author_sealed_key", self.author_sealed_key, SEALED_KEY_BYTES)
        check_len("signature", self.signature, SIGNATURE_BYTES)
        check_len("signed_sealed_key_hash", self.signed_sealed_key_hash, HASH_BYTES)
        if self.rewrap_signature is not None:
            check_len("rewrap_signature", self.rewrap_signature, SIGNATURE_BYTES)

    def to_json(self) -> dict[str, Any]:
        rewrap = self.rewrap_signature
        return {
            "v": self.v,
            "dossier": self.dossier,
            "section": self.section,
            "entry": self.entry,
            "version": self.version,
            "author": self.author,
            "at": self.at,
            "key_version": self.key_version,
            "nonce": b64e(self.nonce),
            "ciphertext": b64e(self.ciphertext),
            "sealed_key": b64e(self.sealed_key),
            "author_sealed_key": b64e(self.author_sealed_key),
            "signature": b64e(self.signature),
            "signed_key_version": self.signed_key_version,
            "signed_sealed_key_hash": b64e(self.signed_sealed_key_hash),
            "rewrap_signature": None if rewrap is None else b64e(rewrap),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SealedEntry:
        check_version(d)
        rewrap = d.get("rewrap_signature")
        return cls(
            dossier=get_str(d, "dossier"),
            section=get_str(d, "section"),
            entry=get_str(d, "entry"),
            version=get_int(d, "version"),
            author=get_str(d, "author"),
            at=get_str(d, "at"),
            key_version=get_int(d, "key_version"),
            nonce=get_bytes(d, "nonce", NONCE_BYTES),
            ciphertext=get_bytes(d, "ciphertext"),
            sealed_key=get_bytes(d, "sealed_key", SEALED_KEY_BYTES),
            author_sealed_key=get_bytes(d, "author_sealed_key", SEALED_KEY_BYTES),
            signature=get_bytes(d, "signature", SIGNATURE_BYTES),
            signed_key_version=get_int(d, "signed_key_version"),
            signed_sealed_key_hash=get_bytes(d, "signed_sealed_key_hash", HASH_BYTES),
            rewrap_signature=None if rewrap is None else get_bytes(d, "rewrap_signature", 64),
        )


def entry_ad(*, dossier: str, section: str, entry: str, author: str, version: int) -> bytes:
    return canonical(
        {
            "v": VERSION,
            "dossier": dossier,
            "section": section,
            "entry": entry,
            "author": author,
            "version": version,
        }
    )


def _author_payload(e: SealedEntry) -> bytes:
    return canonical(
        {
            "v": VERSION,
            "dossier": e.dossier,
            "section": e.section,
            "entry": e.entry,
            "version": e.version,
            "at": e.at,
            "key_version": e.signed_key_version,
            "ciphertext_sha256": b64e(sha256(e.ciphertext)),
            "sealed_key_sha256": b64e(e.signed_sealed_key_hash),
        }
    )


def _rewrap_payload(e: SealedEntry, key_version: int, sealed_key: bytes) -> bytes:
    return canonical(
        {
            "v": VERSION,
            "kind": "rewrap",
            "dossier": e.dossier,
            "section": e.section,
            "entry": e.entry,
            "version": e.version,
            "key_version": key_version,
            "ciphertext_sha256": b64e(sha256(e.ciphertext)),
            "sealed_key_sha256": b64e(sha256(sealed_key)),
        }
    )


def new_data_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def seal_entry_with_key(  # noqa: PLR0913 - agreed keyword-only API; separate ids cannot be swapped unnoticed
    body: Mapping[str, Any],
    data_key: bytes,
    *,
    dossier: str,
    section: str,
    entry: str,
    version: int,
    author_id: str,
    author: Identity,
    section_key: SignedSectionKey,
    at: datetime | str | None = None,
) -> SealedEntry:
    """`seal_entry` with a caller-made data key, for a document whose blob already used it.

    The data key must come from `new_data_key()` and seal exactly one entry version.
    """
    check_len("data_key", data_key, KEY_BYTES)
    if section_key.dossier != dossier or section_key.section != section:
        raise TamperedError("section key belongs to another section")
    nonce = nacl.utils.random(NONCE_BYTES)
    ad = entry_ad(dossier=dossier, section=section, entry=entry, author=author_id, version=version)
    ciphertext = aead_seal(data_key, nonce, canonical(body), ad)
    sealed_key = seal_to(section_key.pk, data_key)
    unsigned = SealedEntry(
        dossier=dossier,
        section=section,
        entry=entry,
        version=version,
        author=author_id,
        at=format_time(datetime.now(UTC) if at is None else at),
        key_version=section_key.version,
        nonce=nonce,
        ciphertext=ciphertext,
        sealed_key=sealed_key,
        author_sealed_key=seal_to(bytes(author.box.public_key), data_key),
        signature=bytes(SIGNATURE_BYTES),
        signed_key_version=section_key.version,
        signed_sealed_key_hash=sha256(sealed_key),
    )
    signature = author.sign_bytes("entry", _author_payload(unsigned))
    return replace(unsigned, signature=signature)


def seal_entry(  # noqa: PLR0913 - agreed keyword-only API; separate ids cannot be swapped unnoticed
    body: Mapping[str, Any],
    *,
    dossier: str,
    section: str,
    entry: str,
    version: int,
    author_id: str,
    author: Identity,
    section_key: SignedSectionKey,
    at: datetime | str | None = None,
) -> SealedEntry:
    """Seal a new entry version, signed with the author's time `at` (now by default). The
    caller has verified `section_key` against the owner."""
    return seal_entry_with_key(
        body,
        new_data_key(),
        dossier=dossier,
        section=section,
        entry=entry,
        version=version,
        author_id=author_id,
        author=author,
        section_key=section_key,
        at=at,
    )


def verify_entry(
    sealed: SealedEntry, *, author_sign_pk: bytes, owner_sign_pk: bytes | None = None
) -> None:
    """Check the author's signature and, after a rotation, the owner's rewrap signature."""
    verify_signature(author_sign_pk, "entry", _author_payload(sealed), sealed.signature)
    if sealed.key_version == sealed.signed_key_version:
        current = sha256(sealed.sealed_key)
        if sealed.rewrap_signature is not None or not hmac.compare_digest(
            current, sealed.signed_sealed_key_hash
        ):
            raise TamperedError
        return
    if (
        sealed.key_version < sealed.signed_key_version
        or sealed.rewrap_signature is None
        or owner_sign_pk is None
    ):
        raise TamperedError
    payload = _rewrap_payload(sealed, sealed.key_version, sealed.sealed_key)
    verify_signature(owner_sign_pk, "rewrap", payload, sealed.rewrap_signature)


def check_first_version(
    sealed: SealedEntry,
    first: SealedEntry | None,
    *,
    author_sign_pk: bytes,
    owner_sign_pk: bytes | None = None,
) -> None:
    """Accept a later version only beside its first version by the same author: `first` must
    be version 1 of the same dossier, section and entry, name the same author and carry that
    author's valid signature. A first version needs nothing; anything else raises
    `AnotherAuthor`. Run after `sealed` itself verified with `author_sign_pk`."""
    if sealed.version == 1:
        return
    if (
        first is None
        or first.version != 1
        or (first.dossier, first.section, first.entry, first.author)
        != (sealed.dossier, sealed.section, sealed.entry, sealed.author)
    ):
        raise AnotherAuthor
    try:
        verify_entry(first, author_sign_pk=author_sign_pk, owner_sign_pk=owner_sign_pk)
    except TamperedError as exc:
        raise AnotherAuthor from exc


def open_entry_and_key(  # noqa: PLR0913 - agreed keyword-only API; separate ids cannot be swapped unnoticed
    sealed: SealedEntry,
    *,
    box_key: PrivateKey,
    author_sign_pk: bytes,
    dossier: str,
    section: str,
    entry: str,
    version: int | None = None,
    use_author_copy: bool = False,
    owner_sign_pk: bytes | None = None,
) -> tuple[dict[str, Any], bytes]:
    """Verify signatures first, then the expected place (and version, against rollback), then
    open. Returns the body and the data key (which a document needs for its blob)."""
    verify_entry(sealed, author_sign_pk=author_sign_pk, owner_sign_pk=owner_sign_pk)
    if (sealed.dossier, sealed.section, sealed.entry) != (dossier, section, entry) or (
        version is not None and sealed.version != version
    ):
        raise TamperedError
    wrapped = sealed.author_sealed_key if use_author_copy else sealed.sealed_key
    data_key = open_sealed(box_key, wrapped)  # 32 bytes: the sealed length is fixed
    ad = entry_ad(
        dossier=dossier, section=section, entry=entry, author=sealed.author, version=sealed.version
    )
    plaintext = aead_open(data_key, sealed.nonce, sealed.ciphertext, ad)
    try:
        return parse_json_object(plaintext), data_key
    except MalformedError as exc:
        raise TamperedError from exc


class OpenEntryArgs(TypedDict):
    """The keyword arguments of `open_entry_and_key`, shared by its two thin wrappers."""

    box_key: PrivateKey
    author_sign_pk: bytes
    dossier: str
    section: str
    entry: str
    version: NotRequired[int | None]
    use_author_copy: NotRequired[bool]
    owner_sign_pk: NotRequired[bytes | None]


def open_entry(sealed: SealedEntry, **expect: Unpack[OpenEntryArgs]) -> dict[str, Any]:
    """`open_entry_and_key` without the key: the verified body."""
    body, _ = open_entry_and_key(sealed, **expect)
    return body


def entry_data_key(sealed: SealedEntry, **expect: Unpack[OpenEntryArgs]) -> bytes:
    """The verified data key of an entry, e.g. to open a document's blob."""
    _, data_key = open_entry_and_key(sealed, **expect)
    return data_key


def rewrap_entry(
    sealed: SealedEntry,
    *,
    old_section_sk: PrivateKey,
    new_section_key: SignedSectionKey,
    owner: Identity,
) -> SealedEntry:
    """Owner side of a rotation: re-seal the data key to the new section key and sign the wrap.

    The ciphertext, the author copy and the author's signature are left untouched.
    """
    if (
        new_section_key.dossier != sealed.dossier
        or new_section_key.section != sealed.section
        or new_section_key.version <= sealed.key_version
    ):
        raise TamperedError("section key does not follow this entry's key")
    data_key = open_sealed(old_section_sk, sealed.sealed_key)
    sealed_key = seal_to(new_section_key.pk, data_key)
    signature = owner.sign_bytes(
        "rewrap", _rewrap_payload(sealed, new_section_key.version, sealed_key)
    )
    return replace(
        sealed,
        key_version=new_section_key.version,
        sealed_key=sealed_key,
        rewrap_signature=signature,
    )
