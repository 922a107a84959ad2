// Passphrase and recovery-code key derivation (dossier/crypto/kdf.py). Argon2id runs only on
// the client; in the page it runs in kdf-worker.js (see deriveMasterKey in ../crypto.js).
import {
  VERSION, b64e, checkLen, checkVersion, getBytes, getInt, getStr, utf8,
} from "./encoding.js";
import { MalformedError, UnsupportedVersion, WeakParameters } from "./errors.js";
import { randomBytes } from "./rng.js";
import { S } from "./sodium.js";

export const KDF_ALG = "argon2id13";
export const MIN_OPSLIMIT = 3;
export const MIN_MEMLIMIT = 64 * 1024 * 1024;
export const SALT_BYTES = 16;
export const KEY_BYTES = 32;
export const RECOVERY_BYTES = 16;
const B32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B32 = /^[A-Z2-7]{26}$/;

/** `crypto_generichash(label, key)`: the one KDF used for every sub-key in v1. */
export function keyedBlake2b(key, label, size = KEY_BYTES) {
  return S().crypto_generichash(size, utf8(label), key);
}

function makeParams({ salt, alg = KDF_ALG, opslimit = MIN_OPSLIMIT, memlimit = MIN_MEMLIMIT, v = VERSION }) {
  if (v !== VERSION) throw new UnsupportedVersion(`unsupported version ${v}`);
  checkLen("salt", salt, SALT_BYTES);
  return Object.freeze({ v, alg, opslimit, memlimit, salt });
}

export function newKdfParams() {
  return makeParams({ salt: randomBytes(SALT_BYTES) });
}

export function kdfParamsFromJson(d) {
  checkVersion(d);
  return makeParams({
    alg: getStr(d, "alg"),
    opslimit: getInt(d, "opslimit"),
    memlimit: getInt(d, "memlimit"),
    salt: getBytes(d, "salt", SALT_BYTES),
  });
}

export function kdfParamsToJson(p) {
  return { v: p.v, alg: p.alg, opslimit: p.opslimit, memlimit: p.memlimit, salt: b64e(p.salt) };
}

function asParams(params) {
  return params.salt instanceof Uint8Array ? makeParams(params) : kdfParamsFromJson(params);
}

/** Refuse parameters below the v1 floor, so a hostile server cannot ask for a weak key. */
export function checkKdfParams(params) {
  const p = asParams(params);
  if (p.alg !== KDF_ALG || p.opslimit < MIN_OPSLIMIT || p.memlimit < MIN_MEMLIMIT) {
    throw new WeakParameters("KDF parameters below the v1 minimum");
  }
  return p;
}

/**
 * Argon2id13 of the NFC-normalised UTF-8 passphrase; refuses weak parameters first.
 * Blocks for ~150 ms at 64 MiB: call it from a worker (crypto.js deriveMasterKey does).
 */
export function deriveMasterKeySync(passphrase, params) {
  const p = checkKdfParams(params);
  if (typeof passphrase !== "string") throw new MalformedError("passphrase must be text");
  const secret = utf8(passphrase.normalize("NFC"));
  try {
    const s = S();
    return s.crypto_pwhash(KEY_BYTES, secret, p.salt, p.opslimit, p.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
  } finally {
    S().memzero(secret);
  }
}

export function deriveSubkeys(master) {
  checkLen("master", master, KEY_BYTES);
  return { authKey: keyedBlake2b(master, "rugzak/v1/auth"), wrapKey: keyedBlake2b(master, "rugzak/v1/wrap") };
}

function base32(bytes) {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** RFC 4648 base32 without padding (26 characters), in groups of four joined by "-". */
export function formatRecoveryCode(code) {
  checkLen("recovery code", code, RECOVERY_BYTES);
  return base32(code).match(/.{1,4}/g).join("-");
}

export function newRecoveryCode() {
  return formatRecoveryCode(randomBytes(RECOVERY_BYTES));
}

/** Tolerates case, spaces and dashes, and 0/1/8 read as O/I/B; refuses non-zero spare bits. */
export function parseRecoveryCode(text) {
  if (typeof text !== "string") throw new MalformedError("recovery code must be text");
  const cleaned = text.toUpperCase().replace(/[ -]/g, "").replace(/[018]/g, (c) => ({ 0: "O", 1: "I", 8: "B" })[c]);
  if (!B32.test(cleaned)) throw new MalformedError("recovery code must be 26 base32 characters");
  const code = new Uint8Array(RECOVERY_BYTES);
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const ch of cleaned) {
    value = ((value << 5) | B32_ALPHABET.indexOf(ch)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      code[at] = (value >>> (bits - 8)) & 0xff;
      at += 1;
      bits -= 8;
    }
  }
  if (base32(code) !== cleaned) throw new MalformedError("recovery code has a wrong last character");
  return code;
}

/** Sub-keys straight from the 128-bit code (no Argon2: it adds nothing at that entropy). */
export function recoverySubkeys(code) {
  checkLen("recovery code", code, RECOVERY_BYTES);
  return {
    authKey: keyedBlake2b(code, "rugzak/v1/recovery-auth"),
    wrapKey: keyedBlake2b(code, "rugzak/v1/recovery-wrap"),
  };
}

/** The server's check of a login proof against its Argon2id string hash (kdf.py
 *  verify_auth_key): false on a mismatch; MalformedError when the string is not Argon2id. */
export function verifyAuthKey(stored, authKey) {
  if (typeof stored !== "string" || !/^[\x00-\x7f]*$/.test(stored) || !stored.startsWith("$argon2id$")) {
    throw new MalformedError("stored auth hash is not an Argon2id string");
  }
  try {
    return S().crypto_pwhash_str_verify(stored, authKey);
  } catch {
    return false;
  }
}
