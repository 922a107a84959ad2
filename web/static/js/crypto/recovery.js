// Recovery through a contact (dossier/crypto/recovery.py, docs/crypto.md "Recovery contact"):
// a 2-of-2 XOR split of a fresh recovery key, the bundle copy under it, shares sealed to a
// contact and re-sealed to a new device, the youth-signed setup record and the short code.
import {
  VERSION, b64e, canonical, checkLen, checkVersion, getBytes, getInt, getStr, isPlainObject, sha256, equalBytes,
} from "./encoding.js";
import { MalformedError, TamperedError } from "./errors.js";
import { FINGERPRINT_BYTES, KEY_BYTES, openBundle, sealBundle, signBytes, verifySignature } from "./identity.js";
import { openSealed, sealTo } from "./boxes.js";
import { keyedBlake2b } from "./kdf.js";
import { randomBytes } from "./rng.js";
import { S } from "./sodium.js";

export const SHARE_BYTES = 32;
export const SEALED_SHARE_BYTES = SHARE_BYTES + 48;
export const CHALLENGE_BYTES = 16;
export const RECOVERY_BUNDLE_KIND = "contact-recovery";
export const MIN_WAIT = 24 * 3600;
export const MAX_WAIT = 7 * 24 * 3600;
export const DEFAULT_WAIT = 72 * 3600;
const SIGNATURE_BYTES = 64;

export function xorShares(a, b) {
  checkLen("share", a, SHARE_BYTES);
  checkLen("share", b, SHARE_BYTES);
  return a.map((x, i) => x ^ b[i]);
}

/** Two fresh random shares (server first, then contact); the key is their XOR. */
export function newRecoverySplit() {
  const serverShare = randomBytes(SHARE_BYTES);
  const contactShare = randomBytes(SHARE_BYTES);
  return { key: xorShares(serverShare, contactShare), serverShare, contactShare };
}

export function contactWrapKey(recoveryKey) {
  checkLen("recovery key", recoveryKey, KEY_BYTES);
  return keyedBlake2b(recoveryKey, "rugzak/v2/contact-recovery-wrap");
}

export function sealContactBundle(identity, recoveryKey, accountId) {
  return sealBundle(identity, contactWrapKey(recoveryKey), accountId, RECOVERY_BUNDLE_KIND);
}

export function openContactBundle(sealedJson, serverShare, contactShare, accountId) {
  const key = contactWrapKey(xorShares(serverShare, contactShare));
  return openBundle(sealedJson, key, accountId, RECOVERY_BUNDLE_KIND);
}

export function sealContactShare(contactBoxPk, contactShare) {
  checkLen("contact share", contactShare, SHARE_BYTES);
  return sealTo(contactBoxPk, contactShare);
}

/** Opens a sealed share (to a contact, or re-sealed to a new device). */
export function openShare(boxSk, sealed) {
  checkLen("sealed share", sealed, SEALED_SHARE_BYTES);
  return openSealed(boxSk, sealed); // 80 sealed bytes always open to 32
}

/** The contact's approval: open the share sealed to me, seal it to the new device's key. */
export function reseal(contactBoxSk, sealed, devicePk) {
  const share = openShare(contactBoxSk, sealed);
  try {
    return sealTo(devicePk, share);
  } finally {
    S().memzero(share);
  }
}

export const shareHash = (sealed) => sha256(sealed);

/** Six digits "123 456": BLAKE2b-256 keyed with the contact's challenge over canonical
 *  {v, kind: "recovery-code", request, device_pk}; first 8 bytes big-endian mod 10**6. */
export function recoveryShortCode(devicePk, requestId, challenge) {
  checkLen("device_pk", devicePk, KEY_BYTES);
  checkLen("challenge", challenge, CHALLENGE_BYTES);
  const fields = { v: VERSION, kind: "recovery-code", request: requestId, device_pk: b64e(devicePk) };
  const digest = S().crypto_generichash(32, canonical(fields), challenge);
  let n = 0n;
  for (const byte of digest.slice(0, 8)) n = (n << 8n) | BigInt(byte);
  const text = (n % 1000000n).toString().padStart(6, "0");
  return `${text.slice(0, 3)} ${text.slice(3)}`;
}

export function newChallenge() {
  return randomBytes(CHALLENGE_BYTES);
}

function contactFromJson(d) {
  if (!isPlainObject(d)) throw new MalformedError("contact: expected an object");
  return {
    account: getStr(d, "account"),
    fingerprint: getBytes(d, "fingerprint", FINGERPRINT_BYTES),
    share_sha256: getBytes(d, "share_sha256", 32),
  };
}

const contactToJson = (c) => ({
  account: c.account, fingerprint: b64e(c.fingerprint), share_sha256: b64e(c.share_sha256),
});

function checkSetupRules(contacts, waitSeconds) {
  if (contacts.length < 1 || contacts.length > 2) throw new MalformedError("a setup names one or two contacts");
  if (new Set(contacts.map((c) => c.account)).size !== contacts.length) {
    throw new MalformedError("a contact is named twice");
  }
  if (!Number.isSafeInteger(waitSeconds) || waitSeconds < MIN_WAIT || waitSeconds > MAX_WAIT) {
    throw new MalformedError("the waiting period must be from 24 hours to 7 days");
  }
}

function setupPayload({ account, setup, contacts, waitSeconds }) {
  return canonical({ v: VERSION, account, setup, contacts: contacts.map(contactToJson), wait_seconds: waitSeconds });
}

/** Parse (rules before signature) a setup record. */
export function recoverySetupFromJson(d) {
  checkVersion(d);
  if (!Array.isArray(d.contacts)) throw new MalformedError("contacts: expected a list");
  const out = {
    account: getStr(d, "account"),
    setup: getStr(d, "setup"),
    contacts: d.contacts.map(contactFromJson),
    waitSeconds: getInt(d, "wait_seconds"),
    signature: getBytes(d, "signature", SIGNATURE_BYTES),
  };
  checkSetupRules(out.contacts, out.waitSeconds);
  return out;
}

/** contacts: [{account, fingerprint: Uint8Array(20), share_sha256: Uint8Array(32)}]. */
export function signRecoverySetup(youth, { account, setup, contacts, waitSeconds }) {
  checkSetupRules(contacts, waitSeconds);
  const signature = signBytes(youth, "recovery-setup", setupPayload({ account, setup, contacts, waitSeconds }));
  return {
    v: VERSION, account, setup, contacts: contacts.map(contactToJson), wait_seconds: waitSeconds, signature: b64e(signature),
  };
}

export function verifyRecoverySetup(setupJson, youthSignPk) {
  const s = recoverySetupFromJson(setupJson);
  verifySignature(youthSignPk, "recovery-setup", setupPayload(s), s.signature);
  return s;
}

/** The contact's app, before re-sealing: the youth signed this setup for this account and
 *  it lists this exact sealed share for me. */
export function checkShareFor(setupJson, youthSignPk, { account, contactId, sealedShare }) {
  const s = verifyRecoverySetup(setupJson, youthSignPk);
  if (s.account !== account) throw new TamperedError("the setup is for another account");
  const mine = s.contacts.find((c) => c.account === contactId);
  if (!mine) throw new TamperedError("this setup does not name that contact");
  if (!equalBytes(mine.share_sha256, shareHash(sealedShare))) {
    throw new TamperedError("the sealed share is not the one the youth signed");
  }
  return s;
}
