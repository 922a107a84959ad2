"""Parity of web/static/js/crypto.js with dossier/crypto, in real Chromium under a strict CSP.

1. Every case of every tests/vectors/*.json file (positive and negative) runs in the browser:
   the browser reproduces what Python sealed and opens it, and refuses what Python refuses
   with the same named error.
2. The other direction: the browser seals with fresh random keys and Python opens or
   verifies the result with dossier.crypto.
3. Argon2id in the Web Worker gives PyNaCl's bytes, and the page keeps running meanwhile.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from nacl.public import PrivateKey

from dossier import crypto as c
from tests.browser import conftest
from tests.browser.conftest import BrowserPage

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
PARITY = "import('/__browser_test__/parity.mjs')"


def _cases() -> list[Any]:
    out = []
    for path in sorted(VECTORS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        out += [pytest.param(case, id=f"{path.stem}:{case['name']}") for case in doc["cases"]]
    return out


CASES = _cases()


def test_every_vector_file_is_covered() -> None:
    assert len(CASES) > 100
    assert {p.stem for p in VECTORS.glob("*.json")} == {case.id.split(":")[0] for case in CASES}


@pytest.mark.parametrize("case", CASES)
def test_vector_in_browser(crypto_page: BrowserPage, case: dict[str, Any]) -> None:
    result = crypto_page.evaluate("(testCase) => ops.runCase(testCase)", case)
    if "error" in case:
        assert not result["ok"], result.get("got")
        assert result["error"] == case["error"], result
        assert result["isCryptoError"], result
        assert case.get("reason", "") in result["message"], result
        return
    assert result["ok"], result
    assert result["got"] == case["expected"]


# ---------------------------------------------------------------------------------------------
# The browser seals, Python opens.


def _identity(secret: str) -> c.Identity:
    return c.Identity.from_secret(c.b64d(secret))


def test_python_opens_what_the_browser_sealed(crypto_page: BrowserPage) -> None:  # noqa: PLR0915
    out = crypto_page.evaluate(PARITY + ".then((m) => m.sealEverything())")
    d = c.b64d
    owner, author, grantee = (_identity(out[k]["secret"]) for k in ("owner", "author", "grantee"))
    assert out["owner"]["public"] == owner.public.to_json()
    section_sk = PrivateKey(d(out["section_sk"]))

    key = c.SignedSectionKey.from_json(out["section_key"])
    key.verify(owner.public.sign_pk)
    assert key.pk == bytes(section_sk.public_key)

    entry = c.SealedEntry.from_json(out["entry"])
    assert entry.to_json() == out["entry"]
    ids = {"dossier": "dossier-b", "section": "notities", "entry": "entry-b"}
    body = c.open_entry(
        entry, box_key=section_sk, author_sign_pk=author.public.sign_pk, version=1, **ids
    )
    assert body == out["body"]
    own = c.open_entry(
        entry, box_key=author.box, author_sign_pk=author.public.sign_pk, use_author_copy=True, **ids
    )
    assert own == out["body"]
    with pytest.raises(c.TamperedError):
        c.open_entry(entry, box_key=section_sk, author_sign_pk=owner.public.sign_pk, **ids)

    rewrapped = c.SealedEntry.from_json(out["rewrapped"])
    assert rewrapped.key_version == 2
    assert rewrapped.signature == entry.signature
    body2 = c.open_entry(
        rewrapped,
        box_key=PrivateKey(d(out["section2_sk"])),
        author_sign_pk=author.public.sign_pk,
        owner_sign_pk=owner.public.sign_pk,
        **ids,
    )
    assert body2 == out["body"]

    bundle = c.SealedBundle.from_json(out["bundle"])
    assert c.open_bundle(bundle, d(out["wrap_key"]), "account-b").secret() == owner.secret()
    code = c.parse_recovery_code(out["code"])
    assert c.format_recovery_code(code) == out["code"]
    recovery = c.SealedBundle.from_json(out["recovery"])
    wrap = c.recovery_subkeys(code).wrap_key
    assert c.open_bundle(recovery, wrap, "account-b", "recovery").secret() == owner.secret()
    with pytest.raises(c.TamperedError):
        c.open_bundle(recovery, wrap, "account-b", "bundle")

    env = c.ReadGrantEnvelope.from_json(out["envelope"])
    assert bytes(c.open_read_envelope(env, grantee.box, key)) == bytes(section_sk)
    org = c.SealedOrgKey.from_json(out["org_key"])
    assert bytes(c.open_org_key(org, grantee.box).sk) == d(out["org_sk"])
    assert c.open_sealed(grantee.box, d(out["sealed"])) == b"geheim"

    card = c.open_profile_card(
        d(out["profile_card"]),
        box_key=grantee.box,
        recipient_id="coach-b",
        sender_id="youth-b",
        sender_sign_pk=owner.public.sign_pk,
    )
    assert card == out["card"]

    receipt = c.ConsentReceipt.from_json(out["receipt"])
    receipt.verify(owner.public.sign_pk)
    assert receipt.issued_at == "2025-02-01T10:00:00Z"
    assert receipt.permissions == ("append", "read")
    assert receipt.grantee_key_fingerprint == author.public.fingerprint()

    checkpoint = c.Checkpoint.from_json(out["checkpoint"])
    head = c.verify_chain(out["events"], checkpoint=checkpoint, owner_sign_pk=owner.public.sign_pk)
    assert head == d(out["head"])

    doc_entry = c.SealedEntry.from_json(out["doc_entry"])
    doc_ids = {"dossier": "dossier-b", "section": "documenten", "entry": "doc-b"}
    meta, data_key = c.open_entry_and_key(
        doc_entry, box_key=section_sk, author_sign_pk=author.public.sign_pk, **doc_ids
    )
    plain = d(out["plaintext"])
    assert meta["size"] == len(plain)
    assert meta["name"] == "cv.pdf"
    chunks = [d(x) for x in out["doc_chunks"]]
    assert [len(x) for x in chunks] == [24, c.CIPHER_CHUNK, c.CIPHER_CHUNK, 1234 + 17]
    opened = c.open_document(
        chunks, data_key, **doc_ids, version=1, blob_sha256=d(meta["blob_sha256"])
    )
    assert b"".join(opened) == plain
    assert out["progress"] == [65536, 131072, len(plain)]


def test_browser_opens_a_large_python_document_stream(crypto_page: BrowserPage) -> None:
    """A 1 MiB document sealed by Python streams through openDocument from a fetch-like
    ReadableStream with odd piece sizes, with progress."""
    owner = c.Identity.generate()
    data_key = c.new_data_key()
    plain = bytes(range(256)) * 4096 + b"tail"
    ids = {"dossier": "dossier-p", "section": "documenten", "entry": "doc-p", "version": 3}
    blob = b"".join(c.seal_document(_Reader(plain), data_key, **ids))
    blob_sha = c.encoding.sha256(blob)
    result = crypto_page.evaluate(
        f"(args) => {PARITY}.then((m) => m.openStream(...args))",
        [c.b64e(blob), c.b64e(data_key), ids, c.b64e(blob_sha)],
    )
    assert result == {
        "size": len(plain),
        "digest": c.b64e(c.encoding.sha256(plain)),
        "last": len(plain),
        "steps": 17,
    }
    assert owner.public.fingerprint()


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = memoryview(data)

    def read(self, size: int) -> bytes:
        out, self.data = bytes(self.data[:size]), self.data[size:]
        return out


def test_worker_argon2id_matches_pynacl_and_page_stays_responsive(crypto_page: BrowserPage) -> None:
    params = c.KdfParams(salt=bytes(range(16)))
    passphrase = "Zon, zee & één rugzak"  # NFC: the JS side normalises too
    decomposed = "Zon, zee & e\u0301e\u0301n rugzak"
    expected = c.derive_master_key(passphrase, params)
    result = crypto_page.evaluate(
        f"(args) => {PARITY}.then((m) => m.deriveWhileTicking(...args))",
        [decomposed, params.to_json()],
    )
    assert result["key"] == c.b64e(expected)
    assert result["first"] == "start"
    assert result["last"] == "done"
    # Argon2id at 64 MiB takes ~150 ms in WASM; a 5 ms timer on a free main thread ticks
    # many times meanwhile. A blocked main thread would tick at most once.
    assert result["ticks"] >= max(5, int(result["elapsed"] / 5 / 4)), result


def test_worker_refuses_weak_parameters_before_deriving(crypto_page: BrowserPage) -> None:
    weak = {**c.KdfParams(salt=bytes(16)).to_json(), "memlimit": 32 * 1024 * 1024}
    error = crypto_page.evaluate(f"(params) => {PARITY}.then((m) => m.deriveError(params))", weak)
    assert error == "WeakParameters"


def test_libsodium_needs_wasm_unsafe_eval(
    app_url: str, browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents the one CSP relaxation: libsodium.js 0.8 is WebAssembly only (no asm.js
    fallback), so without 'wasm-unsafe-eval' `ready` rejects with a CSP violation."""
    monkeypatch.setattr(conftest, "CSP", conftest.CSP.replace(" 'wasm-unsafe-eval'", ""))
    page, problems = conftest.open_test_page(browser, app_url)
    try:
        tp = conftest.BrowserPage(page, app_url, problems)
        tp.goto_blank()
        outcome = tp.evaluate(f"{PARITY}.then((m) => m.readyOutcome())")
        assert "CompileError" in outcome
        assert "Content Security" in outcome
        assert tp.evaluate("window.__violations") == ["script-src wasm-eval"]
    finally:
        page.context.close()
