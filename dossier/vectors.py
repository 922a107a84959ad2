"""Generate the crypto wire-format test vectors: `python -m dossier.vectors [outdir]`.

Every random draw (data keys, nonces, ephemeral seeds, stream headers) is an explicit input of
its case and is replayed through the private scripted-randomness hook, so the files are
byte-for-byte reproducible and a JavaScript implementation can check every expected output.
Each file is `{"v": 1, "description", "cases": [...]}`; a case is `{name, op, inputs}` plus
either `expected` or `error` (the name of the error class a conforming implementation raises).
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nacl.bindings
import nacl.encoding
import nacl.hash
import nacl.public

from dossier import crypto as c
from dossier.crypto import _rng
from dossier.crypto.documents import document_ad
from dossier.crypto.entries import entry_ad
from dossier.crypto.logchain import hashed_event

OUT = Path(__file__).resolve().parent.parent / "tests" / "vectors"
Case = dict[str, Any]


def det(label: str, size: int = 32) -> bytes:
    """A fixed pseudo-random value per label, so that the vectors never change."""
    return nacl.hash.blake2b(
        label.encode(),
        digest_size=size,
        key=b"rugzak/v1/test-vectors",
        encoder=nacl.encoding.RawEncoder,
    )


def e(data: bytes) -> str:
    return c.b64e(data)


def flip(text: str, index: int = -1) -> str:
    data = bytearray(c.b64d(text))
    data[index] ^= 0x01
    return e(bytes(data))


def ident(label: str) -> tuple[c.Identity, dict[str, str]]:
    identity = c.Identity.from_secret(det(label + "/box") + det(label + "/sign"))
    pub = identity.public
    return identity, {
        "box_sk": e(bytes(identity.box)),
        "sign_seed": e(bytes(identity.sign)),
        "box_pk": e(pub.box_pk),
        "sign_pk": e(pub.sign_pk),
    }


def ok(name: str, op: str, inputs: dict[str, Any], expected: dict[str, Any]) -> Case:
    return {"name": name, "op": op, "inputs": inputs, "expected": expected}


def bad(name: str, op: str, inputs: dict[str, Any], error: str) -> Case:
    return {"name": name, "op": op, "inputs": inputs, "error": error}


def with_(d: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**d, **changes}


@contextmanager
def script(*values: bytes) -> Iterator[None]:
    with _rng.scripted(values):
        yield


def gen_canonical() -> list[Case]:
    values: list[tuple[str, Any]] = [
        (
            "nested object, keys out of order",
            {"b": 1, "a": [True, None, "x"], "c": {"z": 0, "y": -2}},
        ),
        ("non-ASCII kept as UTF-8", {"naam": "Zoë", "emoji": "\U0001f392", "quote": '"\\'}),
        ("control characters escaped", {"t": "a\nb\tc\u0001"}),
        ("largest safe integer", {"n": 9007199254740991}),
    ]
    cases = [
        ok(
            n,
            "canonical",
            {"value": v},
            {"utf8": c.canonical(v).decode(), "b64": e(c.canonical(v))},
        )
        for n, v in values
    ]
    cases += [
        bad("float refused", "canonical", {"value": {"score": 1.5}}, "MalformedError"),
        bad("unsafe integer refused", "canonical", {"value": 9007199254740992}, "MalformedError"),
        ok("base64url decode", "b64decode", {"text": "-_8"}, {"hex": "fbff"}),
        ok("base64url empty", "b64decode", {"text": ""}, {"hex": ""}),
        bad("padding refused", "b64decode", {"text": "YQ=="}, "MalformedError"),
        bad("standard alphabet refused", "b64decode", {"text": "+/8"}, "MalformedError"),
        bad("non-zero trailing bits refused", "b64decode", {"text": "YR"}, "MalformedError"),
        bad("impossible length refused", "b64decode", {"text": "YWJjZ"}, "MalformedError"),
    ]
    return cases


def gen_kdf() -> list[Case]:
    params = c.KdfParams(salt=det("kdf/salt", 16))
    pj = params.to_json()
    key = c.derive_master_key("correct horse rugzak café", params)
    return [
        ok(
            "v1 parameters",
            "derive_master_key",
            {"passphrase": "correct horse rugzak café", "params": pj},
            {"master_key": e(key)},
        ),
        ok(
            "NFD passphrase gives the NFC key",
            "derive_master_key",
            {"passphrase": "correct horse rugzak cafe\u0301", "params": pj},
            {"master_key": e(key)},
        ),
        ok(
            "stronger parameters accepted",
            "kdf_check",
            {"params": with_(pj, opslimit=4, memlimit=2**27)},
            {},
        ),
        bad("opslimit 2 is weak", "kdf_check", {"params": with_(pj, opslimit=2)}, "WeakParameters"),
        bad("32 MiB is weak", "kdf_check", {"params": with_(pj, memlimit=2**25)}, "WeakParameters"),
        bad(
            "argon2i is refused",
            "kdf_check",
            {"params": with_(pj, alg="argon2i13")},
            "WeakParameters",
        ),
        bad(
            "weak parameters refused before deriving",
            "derive_master_key",
            {"passphrase": "x", "params": with_(pj, opslimit=1)},
            "WeakParameters",
        ),
        bad("unknown v", "kdf_check", {"params": with_(pj, v=2)}, "UnsupportedVersion"),
        bad(
            "short salt",
            "kdf_check",
            {"params": with_(pj, salt=e(det("s", 16))[:11])},
            "MalformedError",
        ),
    ]


def gen_subkeys() -> list[Case]:
    master = det("subkeys/master")
    sub = c.derive_subkeys(master)
    code = det("recovery/code", 16)
    rec = c.recovery_subkeys(code)
    return [
        ok(
            "passphrase sub-keys",
            "derive_subkeys",
            {"master": e(master)},
            {"auth_key": e(sub.auth_key), "wrap_key": e(sub.wrap_key)},
        ),
        ok(
            "recovery sub-keys",
            "recovery_subkeys",
            {"code": e(code)},
            {"auth_key": e(rec.auth_key), "wrap_key": e(rec.wrap_key)},
        ),
        bad("short master key", "derive_subkeys", {"master": e(master[:16])}, "MalformedError"),
    ]


def gen_recovery() -> list[Case]:
    code = det("recovery/code", 16)
    text = c.format_recovery_code(code)
    loose = text.lower().replace("-", " ")
    return [
        ok("format", "format_recovery_code", {"code": e(code)}, {"text": text}),
        ok("parse canonical", "parse_recovery_code", {"text": text}, {"code": e(code)}),
        ok(
            "parse lower case with spaces",
            "parse_recovery_code",
            {"text": f"  {loose} "},
            {"code": e(code)},
        ),
        ok(
            "all-zero code",
            "parse_recovery_code",
            {"text": "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA"},
            {"code": e(bytes(16))},
        ),
        ok(
            "digit 0 read as letter O",
            "parse_recovery_code",
            {"text": "0" * 25 + "A"},
            {"code": e(c.parse_recovery_code("O" * 25 + "A"))},
        ),
        bad("too short", "parse_recovery_code", {"text": text[:-3]}, "MalformedError"),
        bad("not base32", "parse_recovery_code", {"text": "!" + text[1:]}, "MalformedError"),
        bad(
            "non-zero padding bits",
            "parse_recovery_code",
            {"text": "A" * 25 + "B"},
            "MalformedError",
        ),
    ]


def gen_fingerprint() -> list[Case]:
    _, owner = ident("owner")
    pj = pub(owner)
    fp = c.PublicIdentity.from_json(pj).fingerprint()
    return [
        ok(
            "owner",
            "fingerprint",
            {"public": pj},
            {"fingerprint": e(fp), "formatted": c.format_fingerprint(fp)},
        ),
        ok(
            "all 0xff",
            "format_fingerprint",
            {"fingerprint": e(b"\xff" * 20)},
            {"formatted": "67295 " * 4 + "67295"},
        ),
        bad("unknown v", "fingerprint", {"public": with_(pj, v=2)}, "UnsupportedVersion"),
        bad(
            "short key", "fingerprint", {"public": with_(pj, box_pk=e(bytes(31)))}, "MalformedError"
        ),
    ]


def gen_bundle() -> list[Case]:
    identity, ij = ident("owner")
    wrap = det("bundle/wrap")
    nonce = det("bundle/nonce", 24)
    with script(nonce):
        sealed = c.seal_bundle(identity, wrap, "acct-owner").to_json()
    rnonce = det("bundle/recovery-nonce", 24)
    rwrap = c.recovery_subkeys(det("recovery/code", 16)).wrap_key
    with script(rnonce):
        rsealed = c.seal_bundle(identity, rwrap, "acct-owner", kind="recovery").to_json()
    secret = {"box_sk": ij["box_sk"], "sign_seed": ij["sign_seed"]}
    base = {"sealed": sealed, "wrap_key": e(wrap), "account": "acct-owner", "kind": "bundle"}
    return [
        ok(
            "seal bundle",
            "seal_bundle",
            {
                "identity": ij,
                "wrap_key": e(wrap),
                "account": "acct-owner",
                "kind": "bundle",
                "nonce": e(nonce),
            },
            {"sealed": sealed},
        ),
        ok(
            "seal recovery copy",
            "seal_bundle",
            {
                "identity": ij,
                "wrap_key": e(rwrap),
                "account": "acct-owner",
                "kind": "recovery",
                "nonce": e(rnonce),
            },
            {"sealed": rsealed},
        ),
        ok("open bundle", "open_bundle", base, secret),
        ok(
            "open recovery copy",
            "open_bundle",
            {"sealed": rsealed, "wrap_key": e(rwrap), "account": "acct-owner", "kind": "recovery"},
            secret,
        ),
        bad(
            "wrong AD: other account",
            "open_bundle",
            with_(base, account="acct-other"),
            "TamperedError",
        ),
        bad(
            "wrong AD: recovery kind", "open_bundle", with_(base, kind="recovery"), "TamperedError"
        ),
        bad(
            "flipped bit",
            "open_bundle",
            with_(base, sealed=with_(sealed, ciphertext=flip(sealed["ciphertext"]))),
            "TamperedError",
        ),
        bad(
            "wrong wrap key", "open_bundle", with_(base, wrap_key=e(det("other"))), "TamperedError"
        ),
        bad(
            "unknown v", "open_bundle", with_(base, sealed=with_(sealed, v=2)), "UnsupportedVersion"
        ),
        bad(
            "short nonce",
            "open_bundle",
            with_(base, sealed=with_(sealed, nonce=e(nonce[:12]))),
            "MalformedError",
        ),
    ]


def section_key(
    owner: c.Identity, dossier: str, section: str, version: int
) -> tuple[bytes, c.SignedSectionKey]:
    sk = det(f"section/{dossier}/{section}/{version}")
    pk = c.SectionKeyPair(nacl.public.PrivateKey(sk)).pk
    return sk, c.sign_section_key(owner, dossier, section, version, pk)


def gen_section_key() -> list[Case]:
    owner, oj = ident("owner")
    sk, signed = section_key(owner, "dossier-1", "verhaal", 1)
    sj = signed.to_json()
    base = {"signed": sj, "owner_sign_pk": oj["sign_pk"]}
    _, other = ident("server")
    return [
        ok(
            "sign",
            "sign_section_key",
            {
                "owner": oj,
                "dossier": "dossier-1",
                "section": "verhaal",
                "version": 1,
                "pk": sj["pk"],
                "section_sk": e(sk),
            },
            {"signed": sj},
        ),
        ok("verify", "verify_section_key", base, {}),
        bad(
            "changed version",
            "verify_section_key",
            with_(base, signed=with_(sj, version=2)),
            "TamperedError",
        ),
        bad(
            "substituted key",
            "verify_section_key",
            with_(base, signed=with_(sj, pk=other["box_pk"])),
            "TamperedError",
        ),
        bad(
            "other section",
            "verify_section_key",
            with_(base, signed=with_(sj, section="contact")),
            "TamperedError",
        ),
        bad(
            "not the owner's key",
            "verify_section_key",
            with_(base, owner_sign_pk=other["sign_pk"]),
            "TamperedError",
        ),
        bad(
            "unknown v",
            "verify_section_key",
            with_(base, signed=with_(sj, v=2)),
            "UnsupportedVersion",
        ),
    ]


def seal_entry_vector(
    label: str,
    body: dict[str, Any],
    author: tuple[tuple[c.Identity, dict[str, str]], str],
    skey: c.SignedSectionKey,
    version: int = 1,
) -> tuple[dict[str, Any], dict[str, Any]]:
    (author_identity, author_json), author_id = author
    entry = "entry-1"
    draws = [
        det(f"{label}/data_key"),
        det(f"{label}/nonce", 24),
        det(f"{label}/seed1"),
        det(f"{label}/seed2"),
    ]
    with script(*draws):
        sealed = c.seal_entry(
            body,
            dossier=skey.dossier,
            section=skey.section,
            entry=entry,
            version=version,
            author_id=author_id,
            author=author_identity,
            section_key=skey,
        )
    inputs = {
        "body": body,
        "dossier": skey.dossier,
        "section": skey.section,
        "entry": entry,
        "version": version,
        "author_id": author_id,
        "author": author_json,
        "section_key": skey.to_json(),
        "data_key": e(draws[0]),
        "nonce": e(draws[1]),
        "sealed_key_seed": e(draws[2]),
        "author_sealed_key_seed": e(draws[3]),
    }
    return inputs, sealed.to_json()


def gen_entry() -> list[Case]:
    owner, oj = ident("owner")
    coach = ident("coach")
    server = ident("server")
    sk, skey = section_key(owner, "dossier-1", "notities", 1)
    body = {"text": "Gesprek op school, afspraak: cv maken.", "score": 3}
    inputs, ej = seal_entry_vector("entry/1", body, (coach, "coach-1"), skey)
    ad = entry_ad(
        dossier="dossier-1", section="notities", entry="entry-1", author="coach-1", version=1
    )
    expect = {"dossier": "dossier-1", "section": "notities", "entry": "entry-1", "version": 1}
    base = {
        "entry": ej,
        "box_sk": e(sk),
        "author_sign_pk": coach[1]["sign_pk"],
        "owner_sign_pk": oj["sign_pk"],
        "use_author_copy": False,
        "expect": expect,
    }
    _, v2 = seal_entry_vector("entry/2", {"text": "tweede versie"}, (coach, "coach-1"), skey, 2)
    _, relabel = seal_entry_vector("entry/ad", body, (coach, "mallory"), skey)
    _, planted = seal_entry_vector("entry/planted", body, (server, "coach-1"), skey)
    wrong_sk, _ = section_key(owner, "dossier-1", "notities", 7)
    return [
        ok("seal", "seal_entry", inputs, {"entry": ej, "ad_utf8": ad.decode()}),
        ok("open with section key", "open_entry", base, {"body": body}),
        ok(
            "author reads back own copy",
            "open_entry",
            with_(base, box_sk=coach[1]["box_sk"], use_author_copy=True),
            {"body": body},
        ),
        ok(
            "any version accepted when none expected",
            "open_entry",
            with_(base, expect=with_(expect, version=None)),
            {"body": body},
        ),
        ok(
            "version 2 opens",
            "open_entry",
            with_(base, entry=v2, expect=with_(expect, version=2)),
            {"body": {"text": "tweede versie"}},
        ),
        bad(
            "moved to another entry",
            "open_entry",
            with_(base, entry=with_(ej, entry="entry-2"), expect=with_(expect, entry="entry-2")),
            "TamperedError",
        ),
        bad(
            "moved to another section",
            "open_entry",
            with_(
                base, entry=with_(ej, section="verhaal"), expect=with_(expect, section="verhaal")
            ),
            "TamperedError",
        ),
        bad(
            "moved to another dossier",
            "open_entry",
            with_(
                base,
                entry=with_(ej, dossier="dossier-2"),
                expect=with_(expect, dossier="dossier-2"),
            ),
            "TamperedError",
        ),
        bad(
            "served for another entry id",
            "open_entry",
            with_(base, expect=with_(expect, entry="entry-2")),
            "TamperedError",
        ),
        bad(
            "rolled back: version 1 served when 2 is expected",
            "open_entry",
            with_(base, expect=with_(expect, version=2)),
            "TamperedError",
        ),
        bad(
            "rolled back and relabelled as version 2",
            "open_entry",
            with_(base, entry=with_(ej, version=2), expect=with_(expect, version=2)),
            "TamperedError",
        ),
        bad(
            "wrong AD: signed, but sealed for another author",
            "open_entry",
            with_(base, entry=with_(relabel, author="coach-1")),
            "TamperedError",
        ),
        bad(
            "flipped bit in ciphertext",
            "open_entry",
            with_(base, entry=with_(ej, ciphertext=flip(ej["ciphertext"]))),
            "TamperedError",
        ),
        bad(
            "flipped bit in sealed key",
            "open_entry",
            with_(base, entry=with_(ej, sealed_key=flip(ej["sealed_key"]))),
            "TamperedError",
        ),
        bad(
            "sealed key swapped for the author copy",
            "open_entry",
            with_(base, entry=with_(ej, sealed_key=ej["author_sealed_key"])),
            "TamperedError",
        ),
        bad("wrong section key", "open_entry", with_(base, box_sk=e(wrong_sk)), "TamperedError"),
        bad(
            "planted: signed by another key",
            "open_entry",
            with_(base, entry=planted),
            "TamperedError",
        ),
        bad(
            "key version changed without rewrap signature",
            "open_entry",
            with_(base, entry=with_(ej, key_version=2)),
            "TamperedError",
        ),
        bad("unknown v", "open_entry", with_(base, entry=with_(ej, v=2)), "UnsupportedVersion"),
        bad(
            "missing field",
            "open_entry",
            with_(base, entry={k: v for k, v in ej.items() if k != "nonce"}),
            "MalformedError",
        ),
        bad(
            "short sealed key",
            "open_entry",
            with_(base, entry=with_(ej, sealed_key=e(bytes(40)))),
            "MalformedError",
        ),
    ]


def gen_rewrap() -> list[Case]:
    owner, oj = ident("owner")
    coach = ident("coach")
    server = ident("server")
    old_sk, skey = section_key(owner, "dossier-1", "notities", 1)
    new_sk, new_key = section_key(owner, "dossier-1", "notities", 2)
    body = {"text": "Gesprek op school, afspraak: cv maken.", "score": 3}
    _, ej = seal_entry_vector("entry/1", body, (coach, "coach-1"), skey)
    seed = det("rewrap/seed")
    with script(seed):
        rj = c.rewrap_entry(
            c.SealedEntry.from_json(ej),
            old_section_sk=nacl.public.PrivateKey(old_sk),
            new_section_key=new_key,
            owner=owner,
        ).to_json()
    with script(det("rewrap/forged")):
        forged = c.rewrap_entry(
            c.SealedEntry.from_json(ej),
            old_section_sk=nacl.public.PrivateKey(old_sk),
            new_section_key=new_key,
            owner=server[0],
        ).to_json()
    expect = {"dossier": "dossier-1", "section": "notities", "entry": "entry-1", "version": 1}
    base = {
        "entry": rj,
        "box_sk": e(new_sk),
        "author_sign_pk": coach[1]["sign_pk"],
        "owner_sign_pk": oj["sign_pk"],
        "use_author_copy": False,
        "expect": expect,
    }
    return [
        ok(
            "rewrap to key version 2",
            "rewrap_entry",
            {
                "entry": ej,
                "old_section_sk": e(old_sk),
                "new_section_key": new_key.to_json(),
                "owner": oj,
                "sealed_key_seed": e(seed),
            },
            {"entry": rj},
        ),
        ok("open after rotation keeps the author's signature", "open_entry", base, {"body": body}),
        ok(
            "author copy still opens",
            "open_entry",
            with_(base, box_sk=coach[1]["box_sk"], use_author_copy=True),
            {"body": body},
        ),
        bad(
            "old section key no longer opens",
            "open_entry",
            with_(base, box_sk=e(old_sk)),
            "TamperedError",
        ),
        bad(
            "rewrap signature removed",
            "open_entry",
            with_(base, entry=with_(rj, rewrap_signature=None)),
            "TamperedError",
        ),
        bad(
            "rewrap signed by someone else",
            "open_entry",
            with_(base, entry=forged),
            "TamperedError",
        ),
        bad(
            "owner key not supplied", "open_entry", with_(base, owner_sign_pk=None), "TamperedError"
        ),
        bad(
            "key version changed after rewrap",
            "open_entry",
            with_(base, entry=with_(rj, key_version=3)),
            "TamperedError",
        ),
        bad(
            "new sealed key with the old key version",
            "open_entry",
            with_(base, entry=with_(rj, key_version=1)),
            "TamperedError",
        ),
        bad(
            "rewrap with the wrong old key",
            "rewrap_entry",
            {
                "entry": ej,
                "old_section_sk": e(new_sk),
                "new_section_key": new_key.to_json(),
                "owner": oj,
                "sealed_key_seed": e(seed),
            },
            "TamperedError",
        ),
        bad(
            "rewrap to a key version that does not move forward",
            "rewrap_entry",
            {
                "entry": rj,
                "old_section_sk": e(new_sk),
                "new_section_key": new_key.to_json(),
                "owner": oj,
                "sealed_key_seed": e(seed),
            },
            "TamperedError",
        ),
    ]


def gen_document() -> list[Case]:
    data_key = det("document/data_key")
    ids: dict[str, Any] = {
        "dossier": "dossier-1",
        "section": "documenten",
        "entry": "doc-1",
        "version": 1,
    }
    cases: list[Case] = []
    streams: dict[str, tuple[list[str], str]] = {}
    for name, size in (("empty file", 0), ("small file", 1000), ("two chunks", c.CHUNK + 100)):
        plain = det(f"document/plain/{size}", 64) * (size // 64) + det("tail", 64)[: size % 64]
        header = det(f"document/header/{size}", 24)
        with script(header):
            chunks = list(c.seal_document(io.BytesIO(plain), data_key, **ids))
        sealer_hash = nacl.hash.sha256(b"".join(chunks), encoder=nacl.encoding.RawEncoder)
        cj = [e(x) for x in chunks]
        streams[name] = (cj, e(sealer_hash))
        inputs = {"data_key": e(data_key), **ids, "header": e(header), "plaintext": e(plain)}
        expected = {
            "document_key": e(c.document_key(data_key)),
            "ad_utf8": document_ad(**ids).decode(),
            "chunks": cj,
            "blob_sha256": e(sealer_hash),
        }
        cases.append(ok(f"seal {name}", "seal_document", inputs, expected))
        if size < c.CHUNK:  # a seal case also opens its own output, so big ones stay single
            cases.append(
                ok(
                    f"open {name}",
                    "open_document",
                    {"data_key": e(data_key), **ids, "chunks": cj, "blob_sha256": e(sealer_hash)},
                    {"plaintext": e(plain)},
                )
            )
    small, small_hash = streams["small file"]
    two, two_hash = streams["two chunks"]
    sbase = {"data_key": e(data_key), **ids, "chunks": small, "blob_sha256": small_hash}
    tbase = with_(sbase, chunks=two, blob_sha256=two_hash)
    split = c.b64d(small[0]) + c.b64d(small[1])
    after = _after_final(data_key, ids)
    cases += [
        ok(
            "open with arbitrary input boundaries",
            "open_document",
            with_(sbase, chunks=[e(split[:5]), e(split[5:30]), e(split[30:])]),
            {"plaintext": e(det("document/plain/1000", 64) * 15 + det("tail", 64)[:40])},
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
            with_(sbase, chunks=after["chunks"], blob_sha256=after["blob_sha256"]),
            "TamperedError",
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
            with_(sbase, blob_sha256=two_hash),
            "TamperedError",
        ),
    ]
    return cases


def _after_final(data_key: bytes, ids: dict[str, Any]) -> dict[str, Any]:
    # A stream that goes on after TAG_FINAL; the public sealer refuses to make one.
    header = det("document/header/after", 24)
    state = nacl.bindings.crypto_secretstream_xchacha20poly1305_state()
    nacl.bindings.crypto_secretstream_xchacha20poly1305_init_pull(
        state, header, c.document_key(data_key)
    )
    ad = document_ad(**ids)
    final = nacl.bindings.crypto_secretstream_xchacha20poly1305_TAG_FINAL
    chunks = [header] + [
        nacl.bindings.crypto_secretstream_xchacha20poly1305_push(state, m, ad, final)
        for m in (b"end", b"more")
    ]
    return {
        "chunks": [e(x) for x in chunks],
        "blob_sha256": e(nacl.hash.sha256(b"".join(chunks), encoder=nacl.encoding.RawEncoder)),
    }


def gen_sealed_box() -> list[Case]:
    _, coach = ident("coach")
    _, other = ident("server")
    secret = det("box/secret")
    seed = det("box/seed")
    with script(seed):
        sealed = e(c.seal_to(c.b64d(coach["box_pk"]), secret))
    return [
        ok(
            "seal",
            "seal_to",
            {"recipient_pk": coach["box_pk"], "secret": e(secret), "ephemeral_seed": e(seed)},
            {"sealed": sealed},
        ),
        ok(
            "open with crypto_box_seal_open",
            "open_sealed",
            {"recipient_sk": coach["box_sk"], "sealed": sealed},
            {"secret": e(secret)},
        ),
        bad(
            "flipped bit",
            "open_sealed",
            {"recipient_sk": coach["box_sk"], "sealed": flip(sealed)},
            "TamperedError",
        ),
        bad(
            "wrong recipient",
            "open_sealed",
            {"recipient_sk": other["box_sk"], "sealed": sealed},
            "TamperedError",
        ),
    ]


def gen_read_grant() -> list[Case]:
    owner, _ = ident("owner")
    _, coach = ident("coach")
    _, other = ident("server")
    sk, _signed = section_key(owner, "dossier-1", "verhaal", 1)
    seed = det("grant/seed")
    with script(seed):
        env = c.make_read_envelope(
            grant="grant-1",
            section="verhaal",
            key_version=1,
            section_sk=nacl.public.PrivateKey(sk),
            grantee_box_pk=c.b64d(coach["box_pk"]),
        ).to_json()
    base = {"envelope": env, "grantee_sk": coach["box_sk"]}
    return [
        ok(
            "make",
            "make_read_envelope",
            {
                "grant": "grant-1",
                "section": "verhaal",
                "key_version": 1,
                "section_sk": e(sk),
                "grantee_pk": coach["box_pk"],
                "ephemeral_seed": e(seed),
            },
            {"envelope": env},
        ),
        ok("open", "open_read_envelope", base, {"section_sk": e(sk), "section_pk": e(_signed.pk)}),
        bad(
            "other grantee",
            "open_read_envelope",
            with_(base, grantee_sk=other["box_sk"]),
            "TamperedError",
        ),
        bad(
            "flipped bit",
            "open_read_envelope",
            with_(base, envelope=with_(env, sealed_sk=flip(env["sealed_sk"]))),
            "TamperedError",
        ),
        bad(
            "unknown v",
            "open_read_envelope",
            with_(base, envelope=with_(env, v=0)),
            "UnsupportedVersion",
        ),
    ]


def gen_org_key() -> list[Case]:
    _, coach = ident("coach")
    _, other = ident("server")
    org_sk = det("org/sk")
    seed = det("org/seed")
    with script(seed):
        sealed = c.seal_org_key(
            c.OrgKey(nacl.public.PrivateKey(org_sk)),
            org="org-1",
            member="coach-1",
            key_version=1,
            member_box_pk=c.b64d(coach["box_pk"]),
        ).to_json()
    base = {"sealed": sealed, "member_sk": coach["box_sk"]}
    return [
        ok(
            "seal to member",
            "seal_org_key",
            {
                "org": "org-1",
                "member": "coach-1",
                "key_version": 1,
                "org_sk": e(org_sk),
                "member_pk": coach["box_pk"],
                "ephemeral_seed": e(seed),
            },
            {"sealed": sealed},
        ),
        ok(
            "member opens",
            "open_org_key",
            base,
            {"org_sk": e(org_sk), "org_pk": e(c.OrgKey(nacl.public.PrivateKey(org_sk)).pk)},
        ),
        bad("non-member", "open_org_key", with_(base, member_sk=other["box_sk"]), "TamperedError"),
        bad(
            "short sealed key",
            "open_org_key",
            with_(base, sealed=with_(sealed, sealed_sk=e(bytes(60)))),
            "MalformedError",
        ),
    ]


def gen_profile_card() -> list[Case]:
    youth, yj = ident("owner")
    _, coach = ident("coach")
    _, other = ident("server")
    card = {"display_name": "Sam", "contact": "whatsapp"}
    seed = det("card/seed")
    with script(seed):
        sealed = e(
            c.seal_profile_card(
                card,
                sender_id="youth-1",
                sender=youth,
                recipient_id="coach-1",
                recipient_box_pk=c.b64d(coach["box_pk"]),
            )
        )
    base = {
        "sealed": sealed,
        "recipient_sk": coach["box_sk"],
        "recipient_id": "coach-1",
        "sender_id": "youth-1",
        "sender_sign_pk": yj["sign_pk"],
    }
    signed = c.canonical({"v": 1, "from": "youth-1", "to": "coach-1", "card": card})
    with script(det("card/unsigned")):
        unsigned = e(
            c.seal_to(
                c.b64d(coach["box_pk"]),
                c.canonical(
                    {"v": 1, "from": "youth-1", "to": "coach-1", "card": card, "sig": e(bytes(64))}
                ),
            )
        )
    return [
        ok(
            "seal",
            "seal_profile_card",
            {
                "card": card,
                "sender_id": "youth-1",
                "sender": yj,
                "recipient_id": "coach-1",
                "recipient_pk": coach["box_pk"],
                "ephemeral_seed": e(seed),
            },
            {"sealed": sealed, "signed_utf8": signed.decode()},
        ),
        ok("open", "open_profile_card", base, {"card": card}),
        bad(
            "claimed sender is someone else",
            "open_profile_card",
            with_(base, sender_id="coach-2"),
            "TamperedError",
        ),
        bad(
            "addressed to someone else",
            "open_profile_card",
            with_(base, recipient_id="coach-2"),
            "TamperedError",
        ),
        bad(
            "sender key does not match",
            "open_profile_card",
            with_(base, sender_sign_pk=other["sign_pk"]),
            "TamperedError",
        ),
        bad(
            "anyone can seal, nobody can sign",
            "open_profile_card",
            with_(base, sealed=unsigned),
            "TamperedError",
        ),
        bad("flipped bit", "open_profile_card", with_(base, sealed=flip(sealed)), "TamperedError"),
    ]


def receipt_for(owner: c.Identity, keys: dict[str, str], **over: Any) -> c.ConsentReceipt:
    grantee = c.PublicIdentity.from_json(pub(keys))
    fields: dict[str, Any] = {
        "grant": "grant-1",
        "dossier": "dossier-1",
        "section": "notities",
        "grantee": "coach-1",
        "grantee_key_fingerprint": grantee.fingerprint(),
        "permissions": ["append", "read"],
        "purpose": "begeleiding naar werk",
        "issued_at": "2025-01-01T00:00:00Z",
        "expires_at": "2026-01-01T00:00:00Z",
        "key_version": 1,
    }
    return c.sign_receipt(owner, **{**fields, **over})


def gen_receipt() -> list[Case]:
    owner, oj = ident("owner")
    _, coach = ident("coach")
    rj = receipt_for(owner, coach).to_json()
    fields = {k: v for k, v in rj.items() if k not in {"signature", "v"}}
    base = {"receipt": rj, "owner_sign_pk": oj["sign_pk"]}
    return [
        ok(
            "sign",
            "sign_receipt",
            {"owner": oj, "fields": fields},
            {
                "receipt": rj,
                "signed_utf8": c.canonical(
                    {k: v for k, v in rj.items() if k != "signature"}
                ).decode(),
            },
        ),
        ok("verify", "verify_receipt", base, {}),
        bad(
            "purpose changed",
            "verify_receipt",
            with_(base, receipt=with_(rj, purpose="iets anders")),
            "TamperedError",
        ),
        bad(
            "expiry extended",
            "verify_receipt",
            with_(base, receipt=with_(rj, expires_at="2030-01-01T00:00:00Z")),
            "TamperedError",
        ),
        bad(
            "permission dropped",
            "verify_receipt",
            with_(base, receipt=with_(rj, permissions=["read"])),
            "TamperedError",
        ),
        bad(
            "other grantee key",
            "verify_receipt",
            with_(base, receipt=with_(rj, grantee_key_fingerprint=e(bytes(20)))),
            "TamperedError",
        ),
        bad(
            "other section",
            "verify_receipt",
            with_(base, receipt=with_(rj, section="verhaal")),
            "TamperedError",
        ),
        bad(
            "not the owner's key",
            "verify_receipt",
            with_(base, owner_sign_pk=coach["sign_pk"]),
            "TamperedError",
        ),
        bad(
            "unknown v", "verify_receipt", with_(base, receipt=with_(rj, v=2)), "UnsupportedVersion"
        ),
        bad(
            "permissions not sorted",
            "verify_receipt",
            with_(base, receipt=with_(rj, permissions=["read", "append"])),
            "MalformedError",
        ),
        bad(
            "unknown permission",
            "verify_receipt",
            with_(base, receipt=with_(rj, permissions=["delete"])),
            "MalformedError",
        ),
        bad(
            "time with offset",
            "verify_receipt",
            with_(base, receipt=with_(rj, issued_at="2025-01-01T01:00:00+01:00")),
            "MalformedError",
        ),
        bad(
            "expires before issued",
            "verify_receipt",
            with_(base, receipt=with_(rj, expires_at="2024-01-01T00:00:00Z")),
            "MalformedError",
        ),
    ]


def pub(j: dict[str, str]) -> dict[str, Any]:
    return {"v": 1, "box_pk": j["box_pk"], "sign_pk": j["sign_pk"]}


def gen_authorisation() -> list[Case]:
    owner, oj = ident("owner")
    _, coach = ident("coach")
    _, member = ident("member")
    _, server = ident("server")
    _, org = ident("org")
    good = receipt_for(owner, coach).to_json()
    read_only = receipt_for(owner, coach, permissions=["read"]).to_json()
    other_section = receipt_for(owner, coach, section="verhaal").to_json()
    org_r = receipt_for(owner, org, grantee="org-1").to_json()
    forged = receipt_for(ident("server")[0], coach).to_json()
    base = {
        "entry_author": "coach-1",
        "at": "2025-06-01T12:00:00Z",
        "dossier": "dossier-1",
        "section": "notities",
        "owner_id": "youth-1",
        "owner": pub(oj),
        "receipts": [{"receipt": good, "grantee": pub(coach)}],
        "member_of": {},
        "author_identity": None,
    }
    return [
        ok(
            "owner",
            "authorised_signer",
            with_(base, entry_author="youth-1", receipts=[]),
            {"signer": pub(oj)},
        ),
        ok("append grantee", "authorised_signer", base, {"signer": pub(coach)}),
        ok(
            "first second of the grant",
            "authorised_signer",
            with_(base, at="2025-01-01T00:00:00Z"),
            {"signer": pub(coach)},
        ),
        ok(
            "member of an organisation grantee",
            "authorised_signer",
            with_(
                base,
                entry_author="member-1",
                receipts=[{"receipt": org_r, "grantee": pub(org)}],
                member_of={"member-1": "org-1"},
                author_identity=pub(member),
            ),
            {"signer": pub(member)},
        ),
        bad(
            "planted by the server",
            "authorised_signer",
            with_(base, entry_author="server"),
            "UnauthorisedAuthor",
        ),
        bad(
            "receipt expired",
            "authorised_signer",
            with_(base, at="2026-01-01T00:00:00Z"),
            "UnauthorisedAuthor",
        ),
        bad(
            "before the grant",
            "authorised_signer",
            with_(base, at="2024-12-31T23:59:59Z"),
            "UnauthorisedAuthor",
        ),
        bad(
            "read-only receipt",
            "authorised_signer",
            with_(base, receipts=[{"receipt": read_only, "grantee": pub(coach)}]),
            "UnauthorisedAuthor",
        ),
        bad(
            "receipt for another section",
            "authorised_signer",
            with_(base, receipts=[{"receipt": other_section, "grantee": pub(coach)}]),
            "UnauthorisedAuthor",
        ),
        bad(
            "receipt not signed by the owner",
            "authorised_signer",
            with_(base, receipts=[{"receipt": forged, "grantee": pub(coach)}]),
            "UnauthorisedAuthor",
        ),
        bad(
            "grantee key swapped by the server",
            "authorised_signer",
            with_(base, receipts=[{"receipt": good, "grantee": pub(server)}]),
            "UnauthorisedAuthor",
        ),
        bad(
            "not a member of the organisation",
            "authorised_signer",
            with_(
                base,
                entry_author="member-1",
                receipts=[{"receipt": org_r, "grantee": pub(org)}],
                author_identity=pub(member),
            ),
            "UnauthorisedAuthor",
        ),
    ]


def gen_log_chain() -> list[Case]:
    owner, oj = ident("owner")
    raw = [
        {
            "seq": 1,
            "dossier": "dossier-1",
            "actor": "youth-1",
            "action": "account:login",
            "section": None,
            "at": "2025-03-01T10:00:00Z",
        },
        {
            "seq": 2,
            "dossier": "dossier-1",
            "actor": "youth-1",
            "action": "grant:create",
            "section": "notities",
            "at": "2025-03-01T10:01:00Z",
        },
        {
            "seq": 3,
            "dossier": "dossier-1",
            "actor": "coach-1",
            "action": "entry:read",
            "section": "notities",
            "at": "2025-03-02T09:30:00Z",
        },
        {
            "seq": 4,
            "dossier": "dossier-1",
            "actor": "coach-1",
            "action": "entry:append",
            "section": "notities",
            "at": "2025-03-02T09:35:00Z",
        },
    ]
    events = _chain(raw)
    cp = c.sign_checkpoint(owner, "dossier-1", 3, c.b64d(events[2]["hash"])).to_json()
    rewritten = _chain([with_(raw[0], actor="youth-1"), with_(raw[1], section="verhaal"), *raw[2:]])
    base = {"events": events, "checkpoint": cp, "owner_sign_pk": oj["sign_pk"]}
    return [
        ok(
            "hash of the first event",
            "log_hash",
            {"prev_hash": e(c.GENESIS), "event": raw[0]},
            {"hash": events[0]["hash"], "hashed_utf8": _hashed_utf8(c.GENESIS, raw[0])},
        ),
        ok(
            "sign checkpoint",
            "sign_checkpoint",
            {"owner": oj, "dossier": "dossier-1", "seq": 3, "hash": events[2]["hash"]},
            {"checkpoint": cp},
        ),
        ok(
            "chain without checkpoint",
            "verify_chain",
            with_(base, checkpoint=None, owner_sign_pk=None),
            {"head": events[-1]["hash"]},
        ),
        ok("chain extends checkpoint", "verify_chain", base, {"head": events[-1]["hash"]}),
        bad(
            "edited event",
            "verify_chain",
            with_(base, events=[events[0], with_(events[1], actor="coach-1"), *events[2:]]),
            "TamperedError",
        ),
        bad(
            "removed event",
            "verify_chain",
            with_(base, events=[events[0], *events[2:]]),
            "TamperedError",
        ),
        bad(
            "reordered events",
            "verify_chain",
            with_(base, events=[events[1], events[0], *events[2:]]),
            "TamperedError",
        ),
        bad(
            "history rewritten before the checkpoint",
            "verify_chain",
            with_(base, events=rewritten),
            "TamperedError",
        ),
        bad(
            "rolled back behind the checkpoint",
            "verify_chain",
            with_(base, events=events[:2]),
            "TamperedError",
        ),
        bad(
            "checkpoint not signed by the owner",
            "verify_chain",
            with_(base, checkpoint=with_(cp, seq=4, hash=events[3]["hash"])),
            "TamperedError",
        ),
        bad(
            "another dossier's log",
            "verify_chain",
            with_(base, checkpoint=None, events=[events[0], with_(events[1], dossier="dossier-2")]),
            "TamperedError",
        ),
        bad(
            "unknown v",
            "verify_chain",
            with_(base, checkpoint=with_(cp, v=2)),
            "UnsupportedVersion",
        ),
    ]


def _hashed_utf8(prev: bytes, event: dict[str, Any]) -> str:
    return c.canonical(hashed_event(prev, event)).decode()


def _chain(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    head = c.GENESIS
    out = []
    for event in raw:
        new = c.log_hash(head, event)
        out.append({**event, "prev_hash": e(head), "hash": e(new)})
        head = new
    return out


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
    "read_grant": ("Section private key sealed to a grantee.", gen_read_grant),
    "org_key": ("Organisation private key sealed to a member.", gen_org_key),
    "profile_card": ("Sign-then-seal profile cards.", gen_profile_card),
    "receipt": ("Owner-signed consent receipts.", gen_receipt),
    "authorisation": (
        "Which key must have signed an entry (reader-side author check).",
        gen_authorisation,
    ),
    "log_chain": ("Access log hash chain and owner-signed checkpoints.", gen_log_chain),
}


def render(name: str) -> str:
    description, gen = FILES[name]
    doc = {"v": 1, "description": description, "cases": gen()}
    return json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else OUT
    out.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        (out / f"{name}.json").write_text(render(name), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
