"""Documents: a file streamed through `crypto_secretstream_xchacha20poly1305` in 64 KiB chunks.

A document is an entry in section "documenten" whose sealed body holds
`{name, mime, size, blob_sha256}`; the file itself is a secretstream under
`keyed BLAKE2b(key=data_key, "rugzak/v1/document")`. Every chunk carries the associated data
`{v, dossier, section, entry, version}`, the last one carries TAG_FINAL (an empty file is one
empty final chunk), and `blob_sha256` (sha256 of header and every ciphertext chunk) sits in the
author-signed body, so the signature binds the blob too.

Memory stays O(chunk) in both directions: neither side ever holds the whole file. A caller
must not act on plaintext from `open_document` until the iterator has finished: truncation,
reordering and a wrong blob are only detected at the end.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final, Protocol

import nacl.bindings
import nacl.exceptions
import nacl.utils
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_ABYTES as ABYTES,
)
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_HEADERBYTES as HEADER_BYTES,
)
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_TAG_FINAL as TAG_FINAL,
)
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_TAG_MESSAGE as TAG_MESSAGE,
)

from dossier.crypto.encoding import VERSION, b64e, canonical, check_len
from dossier.crypto.entries import SealedEntry, new_data_key, seal_entry_with_key
from dossier.crypto.errors import TamperedError
from dossier.crypto.identity import KEY_BYTES, Identity
from dossier.crypto.kdf import keyed_blake2b
from dossier.crypto.sections import SignedSectionKey

CHUNK: Final = 65536
CIPHER_CHUNK: Final = CHUNK + ABYTES
DOCUMENT_SECTION: Final = "documenten"


class Reader(Protocol):
    def read(self, size: int, /) -> bytes: ...


def document_key(data_key: bytes) -> bytes:
    check_len("data_key", data_key, KEY_BYTES)
    return keyed_blake2b(data_key, b"rugzak/v1/document")


def document_ad(*, dossier: str, section: str, entry: str, version: int) -> bytes:
    return canonical(
        {"v": VERSION, "dossier": dossier, "section": section, "entry": entry, "version": version}
    )


class DocumentSealer:
    """Push side of one document stream; `sha256` is the running digest of all output so far."""

    __slots__ = ("_ad", "_done", "_hash", "_state", "header")

    def __init__(
        self, data_key: bytes, *, dossier: str, section: str, entry: str, version: int
    ) -> None:
        key = document_key(data_key)
        self._ad = document_ad(dossier=dossier, section=section, entry=entry, version=version)
        self._state = nacl.bindings.crypto_secretstream_xchacha20poly1305_state()
        self.header = nacl.bindings.crypto_secretstream_xchacha20poly1305_init_push(
            self._state, key
        )
        self._hash = hashlib.sha256(self.header)
        self._done = False

    @property
    def sha256(self) -> bytes:
        return self._hash.digest()

    def push(self, chunk: bytes, *, final: bool) -> bytes:
        """A non-final chunk must be exactly `CHUNK` bytes, the final one at most that."""
        if self._done or len(chunk) > CHUNK or (not final and len(chunk) != CHUNK):
            raise ValueError("chunks must be CHUNK bytes, the final one at most, none after it")
        tag = TAG_FINAL if final else TAG_MESSAGE
        out = nacl.bindings.crypto_secretstream_xchacha20poly1305_push(
            self._state, chunk, self._ad, tag
        )
        self._hash.update(out)
        self._done = final
        return out


def _read_full(reader: Reader, size: int) -> bytes:
    parts: list[bytes] = []
    missing = size
    while missing:
        part = reader.read(missing)
        if not part:
            break
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)


def _push_all(sealer: DocumentSealer, reader: Reader) -> Iterator[bytes]:
    yield sealer.header
    current = _read_full(reader, CHUNK)
    while True:
        following = _read_full(reader, CHUNK) if len(current) == CHUNK else b""
        yield sealer.push(current, final=not following)
        if not following:
            return
        current = following


def seal_document(
    reader: Reader, data_key: bytes, *, dossier: str, section: str, entry: str, version: int
) -> Iterator[bytes]:
    """Yield the header, then one ciphertext chunk per 64 KiB of plaintext."""
    sealer = DocumentSealer(
        data_key, dossier=dossier, section=section, entry=entry, version=version
    )
    return _push_all(sealer, reader)


AFTER_FINAL: Final = "data after the final chunk"
NO_FINAL: Final = "the stream does not end with its final chunk"


class _Puller:
    __slots__ = ("_ad", "_state")

    def __init__(self, key: bytes, header: bytes, ad: bytes) -> None:
        self._ad = ad
        self._state = nacl.bindings.crypto_secretstream_xchacha20poly1305_state()
        nacl.bindings.crypto_secretstream_xchacha20poly1305_init_pull(self._state, header, key)

    def pull(self, chunk: bytes, *, final: bool) -> bytes:
        try:
            plain, tag = nacl.bindings.crypto_secretstream_xchacha20poly1305_pull(
                self._state, chunk, self._ad
            )
        except nacl.exceptions.CryptoError as exc:
            raise TamperedError from exc
        if tag != (TAG_FINAL if final else TAG_MESSAGE):
            raise TamperedError(NO_FINAL if final else AFTER_FINAL)
        return plain


def open_document(
    chunks: Iterable[bytes],
    data_key: bytes,
    *,
    dossier: str,
    section: str,
    entry: str,
    version: int,
    blob_sha256: bytes,
) -> Iterator[bytes]:
    """Re-chunk arbitrary input into exact ciphertext chunks and yield plaintext chunks.

    `blob_sha256` comes from the verified entry body; a stream that does not hash to it, ends
    without TAG_FINAL, or continues after it raises `TamperedError` before the last chunk.
    """
    key = document_key(data_key)
    ad = document_ad(dossier=dossier, section=section, entry=entry, version=version)
    return _pull_all(chunks, key, ad, blob_sha256)


def _pull_all(
    chunks: Iterable[bytes], key: bytes, ad: bytes, blob_sha256: bytes
) -> Iterator[bytes]:
    digest = hashlib.sha256()
    buf = bytearray()
    puller: _Puller | None = None
    for piece in chunks:
        digest.update(piece)
        buf += piece
        if puller is None and len(buf) >= HEADER_BYTES:
            puller = _Puller(key, bytes(buf[:HEADER_BYTES]), ad)
            del buf[:HEADER_BYTES]
        while puller is not None and len(buf) > CIPHER_CHUNK:
            with memoryview(buf) as view:
                chunk = bytes(view[:CIPHER_CHUNK])
            del buf[:CIPHER_CHUNK]
            yield puller.pull(chunk, final=False)
    if puller is None or len(buf) < ABYTES:
        raise TamperedError
    last = puller.pull(bytes(buf), final=True)
    if not hmac.compare_digest(digest.digest(), blob_sha256):
        raise TamperedError
    yield last


class DocumentUpload:
    """Two-step document sealing for a streaming upload.

    Iterate `chunks()` and send every piece; afterwards `entry()` returns the signed
    `SealedEntry` whose body holds the metadata plus `size` and `blob_sha256`, all under the
    same fresh data key. The entry is only available once the stream has been fully produced.
    """

    __slots__ = ("_data_key", "_ids", "_meta", "_reader", "_sealer", "_size")

    def __init__(
        self,
        reader: Reader,
        meta: Mapping[str, Any],
        *,
        dossier: str,
        entry: str,
        version: int,
        section: str = DOCUMENT_SECTION,
    ) -> None:
        self._data_key = new_data_key()
        self._ids = (dossier, section, entry, version)
        self._meta = dict(meta)
        self._reader = reader
        self._size: int | None = None
        self._sealer = DocumentSealer(
            self._data_key, dossier=dossier, section=section, entry=entry, version=version
        )

    def chunks(self) -> Iterator[bytes]:
        counting = _CountingReader(self._reader)
        yield from _push_all(self._sealer, counting)
        self._size = counting.count

    def entry(
        self, *, author_id: str, author: Identity, section_key: SignedSectionKey
    ) -> SealedEntry:
        if self._size is None:
            raise ValueError("the document stream has not been fully produced yet")
        body = {**self._meta, "size": self._size, "blob_sha256": b64e(self._sealer.sha256)}
        dossier, section, entry, version = self._ids
        return seal_entry_with_key(
            body,
            self._data_key,
            dossier=dossier,
            section=section,
            entry=entry,
            version=version,
            author_id=author_id,
            author=author,
            section_key=section_key,
        )


class _CountingReader:
    __slots__ = ("_reader", "count")

    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self.count = 0

    def read(self, size: int, /) -> bytes:
        data = self._reader.read(size)
        self.count += len(data)
        return data
