// The access-log hash chain and the owner's signed checkpoints (dossier/crypto/logchain.py).
import {
  VERSION, b64e, canonical, checkInt, checkLen, checkStr, checkVersion, concat, equalBytes,
  getBytes, getInt, getStr,
} from "./encoding.js";
import { CryptoError, MalformedError, TamperedError } from "./errors.js";
import { SIGNATURE_BYTES, signBytes, verifySignature } from "./identity.js";
import { S } from "./sodium.js";

export const HASH_BYTES = 32;
export const GENESIS = new Uint8Array(HASH_BYTES);

/** The exact object whose canonical bytes are hashed; rejects ill-typed fields. */
export function hashedEvent(prevHash, event) {
  if (Object.hasOwn(event, "v")) checkVersion(event);
  checkLen("prev_hash", prevHash, HASH_BYTES);
  const out = { v: VERSION, seq: getInt(event, "seq") };
  for (const key of ["dossier", "actor", "action", "at"]) out[key] = getStr(event, key);
  const section = event.section ?? null;
  if (section !== null && typeof section !== "string") throw new MalformedError("section: expected a string or null");
  out.section = section;
  out.prev_hash = b64e(prevHash);
  return out;
}

export function logHash(prevHash, event) {
  return S().crypto_generichash(HASH_BYTES, concat(prevHash, canonical(hashedEvent(prevHash, event))), null);
}

function payload(dossier, seq, hash) {
  return canonical({ v: VERSION, dossier, seq, hash: b64e(hash) });
}

export function checkpointFromJson(d) {
  checkVersion(d);
  return {
    dossier: getStr(d, "dossier"),
    seq: getInt(d, "seq"),
    hash: getBytes(d, "hash", HASH_BYTES),
    signature: getBytes(d, "signature", SIGNATURE_BYTES),
  };
}

export function signCheckpoint(owner, dossier, seq, hash) {
  checkStr("dossier", dossier);
  checkInt("seq", seq);
  checkLen("hash", hash, HASH_BYTES);
  return { v: VERSION, dossier, seq, hash: b64e(hash), signature: b64e(signBytes(owner, "checkpoint", payload(dossier, seq, hash))) };
}

export function verifyCheckpoint(checkpointJson, ownerSignPk) {
  const cp = checkpointFromJson(checkpointJson);
  verifySignature(ownerSignPk, "checkpoint", payload(cp.dossier, cp.seq, cp.hash), cp.signature);
  return cp;
}

function nextHead(head, event, seq, dossier) {
  if (getInt(event, "seq") !== seq || !equalBytes(getBytes(event, "prev_hash"), head)) throw new TamperedError();
  if (event.dossier !== dossier) throw new TamperedError("an event of another dossier");
  const next = logHash(head, event);
  if (!equalBytes(getBytes(event, "hash"), next)) throw new TamperedError();
  return next;
}

/**
 * Verify a whole log of one dossier from GENESIS and return its head hash. With a checkpoint
 * (wire JSON, checked with ownerSignPk) the log must reach it with exactly its hash.
 */
export function verifyChain(events, { checkpoint = null, ownerSignPk = null } = {}) {
  let cp = null;
  if (checkpoint !== null) {
    cp = checkpointFromJson(checkpoint);
    if (ownerSignPk === null) throw new TamperedError();
    verifySignature(ownerSignPk, "checkpoint", payload(cp.dossier, cp.seq, cp.hash), cp.signature);
  }
  let head = GENESIS;
  let dossier = cp === null ? null : cp.dossier;
  try {
    events.forEach((event, i) => {
      const seq = i + 1;
      if (event === null || typeof event !== "object") throw new MalformedError("event must be an object");
      dossier = dossier === null ? (event.dossier ?? null) : dossier;
      head = nextHead(head, event, seq, dossier);
      if (cp !== null && seq === cp.seq && !equalBytes(head, cp.hash)) throw new TamperedError();
    });
  } catch (err) {
    if (err instanceof TamperedError) throw err;
    if (err instanceof CryptoError) throw new TamperedError();
    throw err;
  }
  if (cp !== null && events.length < cp.seq) throw new TamperedError();
  return head;
}
