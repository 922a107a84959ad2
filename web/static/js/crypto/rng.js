// The single source of randomness: crypto.getRandomValues, which is what libsodium.js's
// randombytes_buf uses underneath. Called directly: libsodium.js fetches the bytes from
// JavaScript four at a time (one getRandomValues call per 32-bit word), so 1,296 nonces of 24
// bytes took 70-100 ms through randombytes_buf and take 3 ms here (docs/performance.md).
// Like dossier/crypto/_rng.py it has a scripted mode that replays given values; only the
// vector tests use it. crypto.js does not re-export it, and no public function takes a nonce.
const CHUNK = 65536; // the most getRandomValues fills in one call

let script = null;

export function randomBytes(size) {
  if (script === null) {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i += CHUNK) crypto.getRandomValues(out.subarray(i, Math.min(size, i + CHUNK)));
    return out;
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

/** `count` independent draws of `size` bytes each: one read of the source for all of them
 *  (views into one buffer), or `count` scripted draws in scripted mode, so the vectors replay
 *  the same way as `count` calls of `randomBytes(size)`. */
export function randomChunks(size, count) {
  if (script !== null) return Array.from({ length: count }, () => randomBytes(size));
  const block = randomBytes(size * count);
  return Array.from({ length: count }, (_, i) => block.subarray(i * size, (i + 1) * size));
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
