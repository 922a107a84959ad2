"""Vector ops for sealed entries, their re-wrap on rotation, and document blobs."""

from __future__ import annotations

import io
from typing import Any

from nacl.public import PrivateKey

from dossier import crypto as c
from dossier.vectors import _rng
from tests.support.vector_ops.common import Inputs, d, e, identity


def op_seal_entry(i: Inputs) -> dict[str, Any]:
    draws = [d(i[k]) for k in ("data_key", "nonce", "sealed_key_seed", "author_sealed_key_seed")]
    with _rng.scripted(draws):
        sealed = c.seal_entry(
            i["body"],
            dossier=i["dossier"],
            section=i["section"],
            entry=i["entry"],
            version=i["version"],
            author_id=i["author_id"],
            author=identity(i["author"]),
            section_key=c.SignedSectionKey.from_json(i["section_key"]),
            at=i["at"],
        )
    ad = c.canonical(
        {k: i[k] for k in ("dossier", "section", "entry", "version")}
        | {"author": i["author_id"], "v": c.VERSION}
    )
    return {"entry": sealed.to_json(), "ad_utf8": ad.decode()}


def op_open_entry(i: Inputs) -> dict[str, Any]:
    sealed = c.SealedEntry.from_json(i["entry"])
    owner_pk = i["owner_sign_pk"]
    body = c.open_entry(
        sealed,
        box_key=PrivateKey(d(i["box_sk"])),
        author_sign_pk=d(i["author_sign_pk"]),
        owner_sign_pk=None if owner_pk is None else d(owner_pk),
        use_author_copy=i["use_author_copy"],
        **i["expect"],
    )
    return {"body": body}


def op_rewrap_entry(i: Inputs) -> dict[str, Any]:
    with _rng.scripted([d(i["sealed_key_seed"])]):
        out = c.rewrap_entry(
            c.SealedEntry.from_json(i["entry"]),
            old_section_sk=PrivateKey(d(i["old_section_sk"])),
            new_section_key=c.SignedSectionKey.from_json(i["new_section_key"]),
            owner=identity(i["owner"]),
        )
    return {"entry": out.to_json()}


def _ids(i: Inputs) -> dict[str, Any]:
    return {k: i[k] for k in ("dossier", "section", "entry", "version")}


def op_seal_document(i: Inputs) -> dict[str, Any]:
    data_key = d(i["data_key"])
    with _rng.scripted([d(i["header"])]):
        chunks = list(c.seal_document(io.BytesIO(d(i["plaintext"])), data_key, **_ids(i)))
    blob = c.encoding.sha256(b"".join(chunks))
    opened = b"".join(c.open_document(chunks, data_key, **_ids(i), blob_sha256=blob))
    assert opened == d(i["plaintext"])
    return {
        "document_key": e(c.document_key(data_key)),
        "ad_utf8": c.canonical({"v": c.VERSION, **_ids(i)}).decode(),
        "chunks": [e(x) for x in chunks],
        "blob_sha256": e(blob),
    }


def op_open_document(i: Inputs) -> dict[str, Any]:
    chunks = (d(x) for x in i["chunks"])
    plain = c.open_document(chunks, d(i["data_key"]), **_ids(i), blob_sha256=d(i["blob_sha256"]))
    return {"plaintext": e(b"".join(plain))}
