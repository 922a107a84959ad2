// Account identity (X25519 box + Ed25519 signing keypair), fingerprint and key bundle
// (dossier/crypto/identity.py). Private keys leave the device only inside a sealed bundle.
import {
  VERSION, b64e, canonical, checkLen, checkVersion, concat, equalBytes, getBytes, utf8,
} from "./encoding.js";
import { MalformedError, TamperedError } from "./errors.js";
import { randomBytes } from "./rng.js";
import { S } from "./sodium.js";

export const NONCE_BYTES = 24;
export const KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const FINGERPRINT_BYTES = 20;
const BUNDLE_KINDS = new Set(["bundle", "recovery", "contact-recovery"]);

export function aeadSeal(key, nonce, plaintext, ad) {
  return S().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
}

export function aeadOpen(key, nonce, ciphertext, ad) {
  try {
    return S().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, key);
  } catch {
    throw new TamperedError();
  }
}

const PURPOSES = new Set(["section-key", "entry", "rewrap", "receipt", "checkpoint", "profile-card", "statement", "recovery-setup"]);

/** What Ed25519 signs: `rugzak/v2/<purpose>`, a zero byte, then the payload (identity.py
 *  signed_message): a signature made for one kind of payload never verifies as another. */
export function signedMessage(purpose, payload) {
  if (!PURPOSES.has(purpose)) throw new MalformedError(`unknown signature purpose ${purpose}`);
  return concat(utf8(`rugzak/v${VERSION}/${purpose}`), new Uint8Array([0]), payload);
}

/** Ed25519 verification of `message` signed for `purpose`; fails only with TamperedError
 *  (bad key bytes included). */
export function verifySignature(signPk, purpose, message, signature) {
  const signed = signedMessage(purpose, message);
  let ok = false;
  try {
    ok = S().crypto_sign_verify_detached(signature, signed, signPk);
  } catch {
    ok = false;
  }
  if (!ok) throw new TamperedError();
}

/** Generate an X25519 private key (section key, org key): 32 random bytes, as PyNaCl does. */
export function generateBoxSecretKey() {
  return randomBytes(KEY_BYTES);
}

/** The X25519 public key of a private key (what PyNaCl's PrivateKey.public_key gives). */
export function boxPublicKey(sk) {
  checkLen("box secret key", sk, KEY_BYTES);
  return S().crypto_scalarmult_base(sk);
}

/** Whether two identities (public or private) have the same public keys. */
export function sameIdentity(a, b) {
  return equalBytes(a.boxPk, b.boxPk) && equalBytes(a.signPk, b.signPk);
}

export function makePublicIdentity({ boxPk, signPk }) {
  checkLen("box_pk", boxPk, KEY_BYTES);
  checkLen("sign_pk", signPk, KEY_BYTES);
  return Object.freeze({ boxPk, signPk });
}

export function publicIdentityFromJson(d) {
  checkVersion(d);
  return makePublicIdentity({ boxPk: getBytes(d, "box_pk", KEY_BYTES), signPk: getBytes(d, "sign_pk", KEY_BYTES) });
}

export function publicIdentityToJson(p) {
  return { v: VERSION, box_pk: b64e(p.boxPk), sign_pk: b64e(p.signPk) };
}

function asPublic(p) {
  return p.boxPk instanceof Uint8Array ? makePublicIdentity(p) : publicIdentityFromJson(p);
}

/** First 20 bytes of unkeyed BLAKE2b-512 of box_pk || sign_pk. */
export function fingerprint(publicIdentity) {
  const p = asPublic(publicIdentity);
  return S().crypto_generichash(64, concat(p.boxPk, p.signPk), null).slice(0, FINGERPRINT_BYTES);
}

export const FINGERPRINT_GROUPS = 6;

/** What people compare: six groups of five digits, the fingerprint read as one big-endian
 *  integer modulo 10**30, zero padded (99.7 bits). The one display function in the browser;
 *  Python's is format_fingerprint in dossier/crypto/identity.py. */
export function formatFingerprint(fp) {
  checkLen("fingerprint", fp, FINGERPRINT_BYTES);
  let n = 0n;
  for (const byte of fp) n = (n << 8n) | BigInt(byte);
  const width = 5 * FINGERPRINT_GROUPS;
  const digits = (n % 10n ** BigInt(width)).toString().padStart(width, "0");
  const groups = [];
  for (let i = 0; i < width; i += 5) groups.push(digits.slice(i, i + 5));
  return groups.join(" ");
}

/** From the 64-byte bundle plaintext: X25519 secret key, then Ed25519 seed. */
export function identityFromSecret(secret) {
  checkLen("identity secret", secret, 2 * KEY_BYTES);
  const boxSk = secret.slice(0, KEY_BYTES);
  const signSeed = secret.slice(KEY_BYTES);
  const sign = S().crypto_sign_seed_keypair(signSeed);
  return Object.freeze({
    boxSk,
    boxPk: boxPublicKey(boxSk),
    signSeed,
    signSk: sign.privateKey,
    signPk: sign.publicKey,
  });
}

export function generateIdentity() {
  return identityFromSecret(concat(randomBytes(KEY_BYTES), randomBytes(KEY_BYTES)));
}

export function identitySecret(identity) {
  return concat(identity.boxSk, identity.signSeed);
}

export function identityPublic(identity) {
  return makePublicIdentity({ boxPk: identity.boxPk, signPk: identity.signPk });
}

export function signBytes(identity, purpose, message) {
  return S().crypto_sign_detached(signedMessage(purpose, message), identity.signSk);
}

/** Overwrite the private halves in memory (best effort: JS may hold copies elsewhere). */
export function wipeIdentity(identity) {
  for (const k of ["boxSk", "signSeed", "signSk"]) S().memzero(identity[k]);
}

function bundleAd(accountId, kind) {
  if (!BUNDLE_KINDS.has(kind)) throw new MalformedError(`unknown bundle kind ${kind}`);
  return canonical({ account: accountId, kind });
}

export function sealedBundleFromJson(d) {
  checkVersion(d);
  return { nonce: getBytes(d, "nonce", NONCE_BYTES), ciphertext: getBytes(d, "ciphertext") };
}

/** The plaintext is the 64-byte identity secret; kind is "bundle" or "recovery". */
export function sealBundle(identity, wrapKey, accountId, kind = "bundle") {
  checkLen("wrap_key", wrapKey, KEY_BYTES);
  const ad = bundleAd(accountId, kind);
  const nonce = randomBytes(NONCE_BYTES);
  const secret = identitySecret(identity);
  try {
    return { v: VERSION, nonce: b64e(nonce), ciphertext: b64e(aeadSeal(wrapKey, nonce, secret, ad)) };
  } finally {
    S().memzero(secret);
  }
}

export function openBundle(sealedJson, wrapKey, accountId, kind = "bundle") {
  const sealed = sealedBundleFromJson(sealedJson);
  checkLen("wrap_key", wrapKey, KEY_BYTES);
  const secret = aeadOpen(wrapKey, sealed.nonce, sealed.ciphertext, bundleAd(accountId, kind));
  if (secret.length !== 2 * KEY_BYTES) throw new TamperedError();
  try {
    return identityFromSecret(secret);
  } finally {
    S().memzero(secret);
  }
}
