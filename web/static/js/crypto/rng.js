// The single source of randomness (libsodium's randombytes_buf, i.e. crypto.getRandomValues).
// Like dossier/crypto/_rng.py it has a scripted mode that replays given values; only the
// vector tests use it. crypto.js does not re-export it, and no public function takes a nonce.
import { S } from "./sodium.js";

let script = null;

export function randomBytes(size) {
  if (script === null) {
    return S().randombytes_buf(size);
  }
  if (script.length === 0) {
    throw new Error("scripted randomness exhausted");
  }
  const value = script.shift();
  if (value.length !== size) {
    throw new Error(`scripted value has ${value.length} bytes, ${size} were drawn`);
  }
  return Uint8Array.from(value);
}

export function isScripted() {
  return script !== null;
}

/** Vector tests only: run the synchronous `fn` with `values` as the random draws. */
export function scriptedForVectors(values, fn) {
  if (script !== null) {
    throw new Error("scripted mode does not nest");
  }
  script = values.map((v) => Uint8Array.from(v));
  try {
    const out = fn();
    if (script.length !== 0) {
      throw new Error(`${script.length} scripted values were not drawn`);
    }
    return out;
  } finally {
    script = null;
  }
}
