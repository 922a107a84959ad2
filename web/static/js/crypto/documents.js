// Documents: a file streamed through crypto_secretstream_xchacha20poly1305 in 64 KiB chunks
// (dossier/crypto/documents.py). blob_sha256 = SHA-256 of header || every ciphertext chunk,
// computed incrementally with libsodium's crypto_hash_sha256_init/update/final (WebCrypto's
// digest is one-shot only). Memory stays O(chunk) in both directions.
import { VERSION, b64e, canonical, checkLen, equalBytes } from "./encoding.js";
import { TamperedError } from "./errors.js";
import { KEY_BYTES } from "./identity.js";
import { keyedBlake2b } from "./kdf.js";
import { newDataKey, sealEntryWithKey } from "./entries.js";
import { isScripted, randomBytes } from "./rng.js";
import { S } from "./sodium.js";

export const CHUNK = 65536;
export const ABYTES = 17;
export const CIPHER_CHUNK = CHUNK + ABYTES;
export const HEADER_BYTES = 24;
export const DOCUMENT_SECTION = "documenten";

export function documentKey(dataKey) {
  checkLen("data_key", dataKey, KEY_BYTES);
  return keyedBlake2b(dataKey, "rugzak/v1/document");
}

export function documentAd({ dossier, section, entry, version }) {
  return canonical({ v: VERSION, dossier, section, entry, version });
}

/** Incremental SHA-256 over libsodium's streaming API. */
class Sha256 {
  constructor() {
    this.state = S().crypto_hash_sha256_init();
  }

  update(bytes) {
    S().crypto_hash_sha256_update(this.state, bytes);
  }

  digest() {
    return S().crypto_hash_sha256_final(this.state);
  }
}

/** Push side of one document stream; `sha256` is set once the final chunk is pushed. */
export class DocumentSealer {
  constructor(dataKey, { dossier, section, entry, version }) {
    const s = S();
    const key = documentKey(dataKey);
    this.ad = documentAd({ dossier, section, entry, version });
    if (isScripted()) {
      // Vector tests only: push and pull states are the same structure in libsodium, so a
      // state initialised from a given header yields the stream init_push would have made.
      this.header = randomBytes(HEADER_BYTES);
      this.state = s.crypto_secretstream_xchacha20poly1305_init_pull(this.header, key);
    } else {
      const init = s.crypto_secretstream_xchacha20poly1305_init_push(key);
      this.state = init.state;
      this.header = init.header;
    }
    s.memzero(key);
    this.hash = new Sha256();
    this.hash.update(this.header);
    this.done = false;
    this.sha256 = null;
  }

  /** A non-final chunk must be exactly CHUNK bytes, the final one at most that. */
  push(chunk, final) {
    if (this.done || chunk.length > CHUNK || (!final && chunk.length !== CHUNK)) {
      throw new Error("chunks must be CHUNK bytes, the final one at most, none after it");
    }
    const s = S();
    const tag = final ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const out = s.crypto_secretstream_xchacha20poly1305_push(this.state, chunk, this.ad, tag);
    this.hash.update(out);
    if (final) {
      this.done = true;
      this.sha256 = this.hash.digest();
    }
    return out;
  }
}

function toBytes(piece) {
  if (piece instanceof Uint8Array) return piece;
  if (piece instanceof ArrayBuffer) return new Uint8Array(piece);
  if (ArrayBuffer.isView(piece)) return new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength);
  throw new TypeError("expected bytes");
}

/** Any byte source as an async iterable of Uint8Array pieces (Blob/File, bytes, stream, iterable). */
export async function* pieces(source) {
  if (typeof Blob !== "undefined" && source instanceof Blob) {
    for (let at = 0; at < source.size; at += CHUNK) {
      yield new Uint8Array(await source.slice(at, at + CHUNK).arrayBuffer());
    }
    return;
  }
  if (source instanceof Uint8Array || source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    yield toBytes(source);
    return;
  }
  if (typeof ReadableStream !== "undefined" && source instanceof ReadableStream) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        yield toBytes(value);
      }
    } finally {
      reader.releaseLock();
    }
  }
  for await (const piece of source) yield toBytes(piece);
}

/** A byte queue that takes pieces of any size and hands out slices without quadratic copying. */
class Queue {
  constructor() {
    this.buf = new Uint8Array(0);
    this.off = 0;
  }

  get length() {
    return this.buf.length - this.off;
  }

  push(piece) {
    if (this.length === 0) {
      this.buf = piece;
    } else {
      const next = new Uint8Array(this.length + piece.length);
      next.set(this.buf.subarray(this.off));
      next.set(piece, this.length);
      this.buf = next;
    }
    this.off = 0;
  }

  take(n) {
    const out = this.buf.slice(this.off, this.off + n);
    this.off += out.length;
    return out;
  }
}

/** Re-chunk a source into exact plaintext chunks: { chunk, final } (an empty file: one empty final). */
async function* exactChunks(source) {
  const q = new Queue();
  for await (const piece of pieces(source)) {
    q.push(piece);
    while (q.length > CHUNK) yield { chunk: q.take(CHUNK), final: false };
  }
  yield { chunk: q.take(CHUNK), final: true };
}

function sizeOf(source) {
  if (typeof Blob !== "undefined" && source instanceof Blob) return source.size;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return source.byteLength;
  return null;
}

/** Async generator: the header, then one ciphertext chunk per 64 KiB of plaintext. */
export async function* sealDocument(source, dataKey, ids, { onProgress = null, sealer = null } = {}) {
  const s = sealer ?? new DocumentSealer(dataKey, ids);
  const total = sizeOf(source);
  let done = 0;
  yield s.header;
  for await (const { chunk, final } of exactChunks(source)) {
    yield s.push(chunk, final);
    done += chunk.length;
    if (onProgress) onProgress({ bytes: done, total });
  }
}

/** Synchronous whole-buffer variant (small inputs, tests): [header, ...chunks]. */
export function sealDocumentBytes(plaintext, dataKey, ids) {
  const s = new DocumentSealer(dataKey, ids);
  const out = [s.header];
  let at = 0;
  do {
    const chunk = plaintext.subarray(at, at + CHUNK);
    at += CHUNK;
    out.push(s.push(chunk, at >= plaintext.length));
  } while (at < plaintext.length);
  return { chunks: out, blobSha256: s.sha256 };
}

class Puller {
  constructor(key, header, ad) {
    this.ad = ad;
    this.state = S().crypto_secretstream_xchacha20poly1305_init_pull(header, key);
  }

  pull(chunk, final) {
    const s = S();
    let res;
    try {
      res = s.crypto_secretstream_xchacha20poly1305_pull(this.state, chunk, this.ad);
    } catch {
      res = false;
    }
    const want = final ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    if (!res) throw new TamperedError();
    if (res.tag !== want) throw new TamperedError(final ? "the stream does not end with its final chunk" : "data after the final chunk");
    return res.message;
  }
}

/**
 * Async generator of plaintext chunks from any source of ciphertext with arbitrary boundaries.
 * A stream that does not hash to blobSha256, ends without TAG_FINAL or continues after it
 * throws TamperedError before the last chunk is yielded. Do not act on plaintext until the
 * generator has finished (openDocumentToBlob does that for you).
 */
export async function* openDocument(source, dataKey, { dossier, section, entry, version, blobSha256 }, { onProgress = null } = {}) {
  const key = documentKey(dataKey);
  const ad = documentAd({ dossier, section, entry, version });
  const digest = new Sha256();
  const q = new Queue();
  let puller = null;
  let done = 0;
  for await (const piece of pieces(source)) {
    digest.update(piece);
    q.push(piece);
    if (puller === null && q.length >= HEADER_BYTES) puller = new Puller(key, q.take(HEADER_BYTES), ad);
    while (puller !== null && q.length > CIPHER_CHUNK) {
      const plain = puller.pull(q.take(CIPHER_CHUNK), false);
      done += plain.length;
      if (onProgress) onProgress({ bytes: done });
      yield plain;
    }
  }
  if (puller === null || q.length < ABYTES) throw new TamperedError();
  const last = puller.pull(q.take(q.length), true);
  if (!equalBytes(digest.digest(), blobSha256)) throw new TamperedError();
  S().memzero(key);
  done += last.length;
  if (onProgress) onProgress({ bytes: done });
  yield last;
}

/** Open a whole document into a Blob, released only after every check passed. */
export async function openDocumentToBlob(source, dataKey, ids, { type = "application/octet-stream", onProgress = null } = {}) {
  const parts = [];
  for await (const plain of openDocument(source, dataKey, ids, { onProgress })) parts.push(plain);
  return new Blob(parts, { type });
}

/**
 * Two-step sealing for an upload: iterate chunks() and send every piece; afterwards entry()
 * returns the signed entry whose body holds meta plus size and blob_sha256.
 */
export class DocumentUpload {
  constructor(source, meta, { dossier, entry, version, section = DOCUMENT_SECTION }) {
    this.source = source;
    this.meta = { ...meta };
    this.ids = { dossier, section, entry, version };
    this.dataKey = newDataKey();
    this.sealer = new DocumentSealer(this.dataKey, this.ids);
    this.size = null;
  }

  async* chunks({ onProgress = null } = {}) {
    let size = 0;
    const counting = (p) => {
      size = p.bytes;
      if (onProgress) onProgress(p);
    };
    yield* sealDocument(this.source, this.dataKey, this.ids, { onProgress: counting, sealer: this.sealer });
    this.size = size;
  }

  entry({ authorId, author, sectionKey }) {
    if (this.size === null || this.sealer.sha256 === null) {
      throw new Error("the document stream has not been fully produced yet");
    }
    const body = { ...this.meta, size: this.size, blob_sha256: b64e(this.sealer.sha256) };
    const { dossier, section, entry, version } = this.ids;
    const sealed = sealEntryWithKey(body, this.dataKey, { dossier, section, entry, version, authorId, author, sectionKey });
    S().memzero(this.dataKey);
    return sealed;
  }
}

/** Seal a File/Blob into a ciphertext Blob plus its signed entry, with progress. */
export async function sealDocumentToBlob(file, meta, { dossier, entry, version, section = DOCUMENT_SECTION, authorId, author, sectionKey, onProgress = null }) {
  const upload = new DocumentUpload(file, meta, { dossier, entry, version, section });
  const parts = [];
  for await (const piece of upload.chunks({ onProgress })) parts.push(piece);
  return { blob: new Blob(parts, { type: "application/octet-stream" }), entry: upload.entry({ authorId, author, sectionKey }) };
}
