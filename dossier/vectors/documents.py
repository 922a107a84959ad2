"""Vectors for document blobs: secretstream in 64 KiB chunks, bound to the entry's ids."""

from __future__ import annotations

import io
from typing import Any

import nacl.bindings

from dossier import crypto as c
from dossier.crypto.documents import document_ad
from dossier.vectors._common import Case, Json, bad, det, e, flip, ok, script, sha256, with_

IDS: dict[str, Any] = {
    "dossier": "dossier-1",
    "section": "documenten",
    "entry": "doc-1",
    "version": 1,
}


def _plain(size: int) -> bytes:
    return det(f"document/plain/{size}", 64) * (size // 64) + det("tail", 64)[: size % 64]


def _stream(chunks: list[bytes]) -> Json:
    """The `chunks` and `blob_sha256` inputs of `open_document` for a sealed stream."""
    return {"chunks": [e(x) for x in chunks], "blob_sha256": e(sha256(b"".join(chunks)))}


def gen_document() -> list[Case]:
    data_key = det("document/data_key")
    keyed = {"data_key": e(data_key), **IDS}
    cases: list[Case] = []
    streams: dict[str, Json] = {}
    sizes = (
        ("empty file", 0),
        ("small file", 1000),
        ("exactly 64 KiB", c.CHUNK),
        ("two chunks", c.CHUNK + 100),
    )
    for name, size in sizes:
        plain = _plain(size)
        header = det(f"document/header/{size}", 24)
        with script(header):
            stream = _stream(list(c.seal_document(io.BytesIO(plain), data_key, **IDS)))
        streams[name] = stream
        inputs = {**keyed, "header": e(header), "plaintext": e(plain)}
        expected = {
            "document_key": e(c.document_key(data_key)),
            "ad_utf8": document_ad(**IDS).decode(),
            **stream,
        }
        cases.append(ok(f"seal {name}", "seal_document", inputs, expected))
        if size < c.CHUNK:  # a seal case also opens its own output, so big ones stay single
            cases.append(
                ok(f"open {name}", "open_document", {**keyed, **stream}, {"plaintext": e(plain)})
            )
    small = streams["small file"]["chunks"]
    two = streams["two chunks"]["chunks"]
    sbase = {**keyed, **streams["small file"]}
    tbase = {**keyed, **streams["two chunks"]}
    split = c.b64d(small[0]) + c.b64d(small[1])
    cases += [
        ok(
            "open with arbitrary input boundaries",
            "open_document",
            with_(sbase, chunks=[e(split[:5]), e(split[5:30]), e(split[30:])]),
            {"plaintext": e(_plain(1000))},
        ),
        bad(
            "truncated: final chunk dropped",
            "open_document",
            with_(tbase, chunks=two[:2]),
            "TamperedError",
        ),
        bad(
            "truncated: header only",
            "open_document",
            with_(sbase, chunks=small[:1]),
            "TamperedError",
        ),
        bad(
            "truncated: half a header",
            "open_document",
            with_(sbase, chunks=[e(c.b64d(small[0])[:10])]),
            "TamperedError",
        ),
        bad(
            "chunks reordered",
            "open_document",
            with_(tbase, chunks=[two[0], two[2], two[1]]),
            "TamperedError",
        ),
        bad(
            "data after the final chunk",
            "open_document",
            {**sbase, **_after_final(data_key)},
            "TamperedError",
            "data after the final chunk",
        ),
        bad(
            "flipped bit",
            "open_document",
            with_(sbase, chunks=[small[0], flip(small[1], 5)]),
            "TamperedError",
        ),
        bad("wrong AD: other entry", "open_document", with_(sbase, entry="doc-2"), "TamperedError"),
        bad("wrong AD: other version", "open_document", with_(sbase, version=2), "TamperedError"),
        bad("wrong key", "open_document", with_(sbase, data_key=e(det("other"))), "TamperedError"),
        bad(
            "other blob than the entry names",
            "open_document",
            with_(sbase, blob_sha256=tbase["blob_sha256"]),
            "TamperedError",
        ),
    ]
    return cases


def _after_final(data_key: bytes) -> Json:
    """A stream that goes on after TAG_FINAL (the public sealer refuses to make one): a full
    first chunk tagged final, then one more valid chunk, under a matching `blob_sha256`, so
    only the "nothing after the final chunk" rule refuses it."""
    header = det("document/header/after", 24)
    state = nacl.bindings.crypto_secretstream_xchacha20poly1305_state()
    nacl.bindings.crypto_secretstream_xchacha20poly1305_init_pull(
        state, header, c.document_key(data_key)
    )
    ad = document_ad(**IDS)
    final = nacl.bindings.crypto_secretstream_xchacha20poly1305_TAG_FINAL
    return _stream(
        [
            header,
            *(
                nacl.bindings.crypto_secretstream_xchacha20poly1305_push(state, m, ad, final)
                for m in (_plain(c.CHUNK), b"more")
            ),
        ]
    )
