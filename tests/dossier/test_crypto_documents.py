from __future__ import annotations

import hashlib
import io
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier import crypto as c
from dossier.vectors import _rng
from tests.dossier.test_crypto_support import DOSSIER, world

IDS: dict[str, Any] = {"dossier": DOSSIER, "section": "documenten", "entry": "doc-1", "version": 1}
KEY = bytes(range(32))


class Trickle:
    """A reader that returns at most 1000 bytes per call, like a socket."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, size: int, /) -> bytes:
        return self._data.read(min(size, 1000))


def seal(data: bytes) -> tuple[list[bytes], bytes]:
    chunks = list(c.seal_document(Trickle(data), KEY, **IDS))
    return chunks, c.encoding.sha256(b"".join(chunks))


def opened(chunks: list[bytes], blob: bytes) -> bytes:
    return b"".join(c.open_document(chunks, KEY, **IDS, blob_sha256=blob))


@pytest.mark.parametrize("size", [0, 1, c.CHUNK - 1, c.CHUNK, c.CHUNK + 1, 3 * c.CHUNK])
def test_round_trip_sizes(size: int) -> None:
    data = bytes(i % 251 for i in range(size))
    chunks, blob = seal(data)
    assert len(chunks) == 1 + max(1, -(-size // c.CHUNK))
    assert all(len(x) == c.CIPHER_CHUNK for x in chunks[1:-1])
    assert opened(chunks, blob) == data
    assert opened([b"".join(chunks)], blob) == data


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=70000), min_size=1, max_size=8))
def test_arbitrary_boundaries(cuts: list[int]) -> None:
    data = bytes(150_000)
    chunks, blob = seal(data)
    stream = b"".join(chunks)
    pieces, pos = [], 0
    for cut in cuts:
        pieces.append(stream[pos : pos + cut])
        pos += cut
    pieces.append(stream[pos:])
    assert opened(pieces, blob) == data


def test_tampering() -> None:
    chunks, blob = seal(bytes(2 * c.CHUNK + 5))
    for bad in (chunks[:-1], chunks[:1], [], [chunks[0], chunks[2], chunks[1], chunks[3]]):
        with pytest.raises(c.TamperedError):
            opened(bad, blob)
    with pytest.raises(c.TamperedError):
        opened(chunks, bytes(32))
    with pytest.raises(c.TamperedError):
        b"".join(c.open_document(chunks, bytes(32), **{**IDS, "version": 2}, blob_sha256=blob))


def test_final_tag_in_the_middle_is_refused() -> None:
    sealer = c.DocumentSealer(KEY, **IDS)
    early = sealer.push(bytes(c.CHUNK), final=True)
    with pytest.raises(ValueError, match="CHUNK"):
        sealer.push(b"", final=True)
    other = c.DocumentSealer(KEY, **IDS)
    stream = [other.header, other.push(bytes(c.CHUNK), final=False), other.push(b"x", final=True)]
    spliced = [sealer.header, early, stream[2]]
    with pytest.raises(c.TamperedError):
        opened(spliced, c.encoding.sha256(b"".join(spliced)))


def test_sealer_rules() -> None:
    sealer = c.DocumentSealer(KEY, **IDS)
    with pytest.raises(ValueError, match="CHUNK"):
        sealer.push(b"short", final=False)
    with pytest.raises(ValueError, match="CHUNK"):
        sealer.push(bytes(c.CHUNK + 1), final=True)
    out = sealer.push(b"end", final=True)
    assert sealer.sha256 == c.encoding.sha256(sealer.header + out)


def test_document_upload_end_to_end() -> None:
    w = world(section="documenten")
    data = bytes(i % 7 for i in range(100_000))
    upload = c.DocumentUpload(
        io.BytesIO(data),
        {"name": "cv.pdf", "mime": "application/pdf"},
        dossier=DOSSIER,
        entry="doc-1",
        version=1,
    )
    with pytest.raises(ValueError, match="stream"):
        upload.entry(author_id="coach-1", author=w.coach, section_key=w.section_key)
    chunks = list(upload.chunks())
    sealed = upload.entry(author_id="coach-1", author=w.coach, section_key=w.section_key)
    meta, key = c.open_entry_and_key(
        sealed,
        box_key=w.section.sk,
        author_sign_pk=w.coach.public.sign_pk,
        **{k: v for k, v in IDS.items() if k != "version"},
    )
    assert meta["size"] == len(data)
    assert meta["name"] == "cv.pdf"
    blob = c.b64d(meta["blob_sha256"])
    assert b"".join(c.open_document(iter(chunks), key, **IDS, blob_sha256=blob)) == data


class Zeros:
    def __init__(self, size: int) -> None:
        self.left = size

    def read(self, size: int, /) -> bytes:
        n = min(size, self.left)
        self.left -= n
        return bytes(n)


def test_streaming_memory_stays_small() -> None:
    size = 20 * 1024 * 1024
    header = bytes(24)

    def sealed() -> Iterator[bytes]:
        with _rng.scripted([header]):
            yield from c.seal_document(Zeros(size), KEY, **IDS)

    digest = hashlib.sha256()
    for chunk in sealed():
        digest.update(chunk)
    tracemalloc.start()
    try:
        total = 0
        for plain in c.open_document(sealed(), KEY, **IDS, blob_sha256=digest.digest()):
            total += len(plain)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == size
    assert peak < 3 * 1024 * 1024, peak
