// Many short values sealed to one recipient in one go: a school's student names and groups
// (dossier/crypto/batches.py, docs/crypto.md "Batch-sealed values"). One ephemeral key pair
// per batch, the shared key crypto_box_beforenm once, every value crypto_box_easy_afternm with
// its own random nonce; every value is self-contained:
//   0x02 (the wire-format version) | ephemeral pk (32) | nonce (24) | MAC (16) | ciphertext
// The opener computes the shared key once per ephemeral public key. Classic sealed boxes
// (no version byte) still open.
import { VERSION, checkLen, concat } from "./encoding.js";
import { CryptoError } from "./errors.js";
import { KEY_BYTES, boxPublicKey } from "./identity.js";
import { randomBytes, randomChunks } from "./rng.js";
import { openSealed } from "./boxes.js";
import { S } from "./sodium.js";

export const NONCE_BYTES = 24;
export const BATCH_OVERHEAD = 1 + KEY_BYTES + NONCE_BYTES + 16; // 73

/** A sealer for one batch: `seal(bytes)` per value or `sealAll(list)` for many (one read
 *  of the random source for all their nonces), `wipe()` when the batch is done (the
 *  ephemeral secret is wiped at once; the shared key on `wipe`). */
export function batchSealer(recipientBoxPk) {
  checkLen("recipient_box_pk", recipientBoxPk, KEY_BYTES);
  const s = S();
  const eph = s.crypto_box_seed_keypair(randomBytes(KEY_BYTES));
  let key = s.crypto_box_beforenm(recipientBoxPk, eph.privateKey);
  s.memzero(eph.privateKey);
  const prefix = concat(Uint8Array.of(VERSION), eph.publicKey);
  // crypto_box_easy_afternm is crypto_secretbox_easy under the shared key (libsodium); the
  // secretbox call has less wrapper overhead in libsodium.js. The vectors hold both
  // implementations to the same bytes.
  const box = (value, nonce) => {
    if (key === null) throw new CryptoError("this batch is closed");
    const sealed = s.crypto_secretbox_easy(value, nonce, key);
    const out = new Uint8Array(prefix.length + NONCE_BYTES + sealed.length);
    out.set(prefix);
    out.set(nonce, prefix.length);
    out.set(sealed, prefix.length + NONCE_BYTES);
    return out;
  };
  return {
    seal: (value) => box(value, randomBytes(NONCE_BYTES)),
    sealAll(values) {
      if (key === null) throw new CryptoError("this batch is closed");
      const nonces = randomChunks(NONCE_BYTES, values.length);
      return sealOnHeap(s, key, prefix, values, nonces);
    },
    wipe() {
      if (key !== null) s.memzero(key);
      key = null;
    },
  };
}

const MAC_BYTES = 16;
const encoder = new TextEncoder();

/** `values` (bytes, or text sealed as its UTF-8) sealed under `key` with raw calls on
 *  libsodium's WebAssembly heap: the key, every nonce and value written in once (text
 *  encoded straight into the heap) and one crypto_secretbox_easy call each, where the
 *  wrapper allocates, copies and frees four buffers per call (650 students: 1,300 values).
 *  The same bytes as `box` (the vectors hold it). The heap area is zeroed before it is freed:
 *  it held the names and the shared key. */
function sealOnHeap(s, key, prefix, values, nonces) {
  const L = s.libsodium;
  let room = 0; // UTF-8 takes at most 3 bytes per UTF-16 unit
  for (const v of values) {
    if (typeof v === "string") room += 3 * v.length;
    else if (v instanceof Uint8Array) room += v.length;
    else throw new CryptoError("a value to seal must be bytes or text");
  }
  const inputs = KEY_BYTES;
  const outputs = inputs + values.length * NONCE_BYTES + room;
  const size = outputs + values.length * MAC_BYTES + room;
  const base = L._malloc(size);
  if (base === 0) throw new CryptoError("out of memory");
  try {
    const heap = L.HEAPU8; // read after _malloc: the memory may have grown
    heap.set(key, base);
    let at = base + inputs;
    let to = base + outputs;
    return values.map((value, i) => {
      heap.set(nonces[i], at);
      const m = at + NONCE_BYTES;
      let length = value.length;
      if (typeof value === "string") {
        length = encoder.encodeInto(value, heap.subarray(m, m + 3 * value.length)).written;
      } else {
        heap.set(value, m);
      }
      if (L._crypto_secretbox_easy(to, m, length, 0, at, base) !== 0) {
        throw new CryptoError("sealing failed");
      }
      const out = new Uint8Array(prefix.length + NONCE_BYTES + MAC_BYTES + length);
      out.set(prefix);
      out.set(nonces[i], prefix.length);
      out.set(heap.subarray(to, to + MAC_BYTES + length), prefix.length + NONCE_BYTES);
      at = m + length;
      to += MAC_BYTES + length;
      return out;
    });
  } finally {
    L.HEAPU8.fill(0, base, base + size);
    L._free(base);
  }
}

/** Every value of `values` sealed in one batch (one ephemeral key). */
export function sealValues(recipientBoxPk, values) {
  const sealer = batchSealer(recipientBoxPk);
  try {
    return sealer.sealAll(values);
  } finally {
    sealer.wipe();
  }
}

/** An opener for batch values and classic sealed boxes: `open(bytes)`; one shared key per
 *  ephemeral public key (cached), so a whole import opens with one X25519 operation. */
export function valueOpener(boxSk, boxPk = boxPublicKey(boxSk)) {
  const s = S();
  const keys = new Map();
  const shared = (ephemeralPk) => {
    const id = s.to_hex(ephemeralPk);
    let key = keys.get(id);
    if (key === undefined) {
      key = s.crypto_box_beforenm(ephemeralPk, boxSk);
      keys.set(id, key);
    }
    return key;
  };
  return {
    open(sealed) {
      if (sealed.length >= BATCH_OVERHEAD && sealed[0] === VERSION) {
        try {
          return s.crypto_secretbox_open_easy(
            sealed.subarray(1 + KEY_BYTES + NONCE_BYTES),
            sealed.subarray(1 + KEY_BYTES, 1 + KEY_BYTES + NONCE_BYTES),
            shared(sealed.subarray(1, 1 + KEY_BYTES)),
          );
        } catch {
          // one in 256 classic sealed boxes starts with 0x02: try it as one
        }
      }
      return openSealed(boxSk, sealed, boxPk);
    },
    wipe() {
      for (const key of keys.values()) s.memzero(key);
      keys.clear();
    },
  };
}

/** One value, batch or classic sealed box (`valueOpener` for many). */
export function openValue(boxSk, sealed) {
  const opener = valueOpener(boxSk);
  try {
    return opener.open(sealed);
  } finally {
    opener.wipe();
  }
}

