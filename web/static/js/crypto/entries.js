// Entries: a JSON body under a fresh data key, that key sealed to the section and to the
// author, the author's signature over ids + hashes (dossier/crypto/entries.py).
import {
  VERSION, b64e, canonical, checkInt, checkLen, checkStr, checkVersion, equalBytes, formatTime,
  getBytes, getInt, getStr, parseJsonObject, parseTime, sha256,
} from "./encoding.js";
import { AnotherAuthor, MalformedError, TamperedError } from "./errors.js";
import { SEALED_KEY_BYTES, openSealed, sealTo } from "./boxes.js";
import {
  KEY_BYTES, NONCE_BYTES, SIGNATURE_BYTES, aeadOpen, aeadSeal, signBytes, verifySignature,
} from "./identity.js";
import { randomBytes } from "./rng.js";
import { asSectionKey } from "./sections.js";

const AEAD_TAG_BYTES = 16;
const HASH_BYTES = 32;

/** Parse a SealedEntry (wire JSON) into typed fields; the first check is "v". */
export function entryFromJson(d) {
  checkVersion(d);
  const rewrap = d.rewrap_signature;
  const e = {
    dossier: getStr(d, "dossier"),
    section: getStr(d, "section"),
    entry: getStr(d, "entry"),
    version: getInt(d, "version"),
    author: getStr(d, "author"),
    at: getStr(d, "at"),
    keyVersion: getInt(d, "key_version"),
    nonce: getBytes(d, "nonce", NONCE_BYTES),
    ciphertext: getBytes(d, "ciphertext"),
    sealedKey: getBytes(d, "sealed_key", SEALED_KEY_BYTES),
    authorSealedKey: getBytes(d, "author_sealed_key", SEALED_KEY_BYTES),
    signature: getBytes(d, "signature", SIGNATURE_BYTES),
    signedKeyVersion: getInt(d, "signed_key_version"),
    signedSealedKeyHash: getBytes(d, "signed_sealed_key_hash", HASH_BYTES),
    rewrapSignature: rewrap === undefined || rewrap === null ? null : getBytes(d, "rewrap_signature", SIGNATURE_BYTES),
  };
  parseTime(e.at);
  if (e.ciphertext.length < AEAD_TAG_BYTES) throw new MalformedError("ciphertext: too short");
  return e;
}

export function entryToJson(e) {
  return {
    v: VERSION,
    dossier: e.dossier,
    section: e.section,
    entry: e.entry,
    version: e.version,
    author: e.author,
    at: e.at,
    key_version: e.keyVersion,
    nonce: b64e(e.nonce),
    ciphertext: b64e(e.ciphertext),
    sealed_key: b64e(e.sealedKey),
    author_sealed_key: b64e(e.authorSealedKey),
    signature: b64e(e.signature),
    signed_key_version: e.signedKeyVersion,
    signed_sealed_key_hash: b64e(e.signedSealedKeyHash),
    rewrap_signature: e.rewrapSignature === null ? null : b64e(e.rewrapSignature),
  };
}

export function entryAd({ dossier, section, entry, author, version }) {
  return canonical({ v: VERSION, dossier, section, entry, author, version });
}

function authorPayload(e) {
  return canonical({
    v: VERSION,
    dossier: e.dossier,
    section: e.section,
    entry: e.entry,
    version: e.version,
    at: e.at,
    key_version: e.signedKeyVersion,
    ciphertext_sha256: b64e(sha256(e.ciphertext)),
    sealed_key_sha256: b64e(e.signedSealedKeyHash),
  });
}

function rewrapPayload(e, keyVersion, sealedKey) {
  return canonical({
    v: VERSION,
    kind: "rewrap",
    dossier: e.dossier,
    section: e.section,
    entry: e.entry,
    version: e.version,
    key_version: keyVersion,
    ciphertext_sha256: b64e(sha256(e.ciphertext)),
    sealed_key_sha256: b64e(sha256(sealedKey)),
  });
}

export function newDataKey() {
  return randomBytes(KEY_BYTES);
}

/** sealEntry with a caller-made data key (a document whose blob already used it). */
export function sealEntryWithKey(body, dataKey, { dossier, section, entry, version, authorId, author, sectionKey, at = null }) {
  checkLen("data_key", dataKey, KEY_BYTES);
  for (const [name, value] of [["dossier", dossier], ["section", section], ["entry", entry], ["author_id", authorId]]) {
    checkStr(name, value);
  }
  checkInt("version", version);
  const key = asSectionKey(sectionKey);
  if (key.dossier !== dossier || key.section !== section) {
    throw new TamperedError("section key belongs to another section");
  }
  const nonce = randomBytes(NONCE_BYTES);
  const ad = entryAd({ dossier, section, entry, author: authorId, version });
  const ciphertext = aeadSeal(dataKey, nonce, canonical(body), ad);
  const sealedKey = sealTo(key.pk, dataKey);
  const e = {
    dossier,
    section,
    entry,
    version,
    author: authorId,
    at: formatTime(at ?? new Date()),
    keyVersion: key.version,
    nonce,
    ciphertext,
    sealedKey,
    authorSealedKey: sealTo(author.boxPk, dataKey),
    signature: null,
    signedKeyVersion: key.version,
    signedSealedKeyHash: sha256(sealedKey),
    rewrapSignature: null,
  };
  e.signature = signBytes(author, "entry", authorPayload(e));
  return entryToJson(e);
}

/**
 * Seal a new entry version and return its wire JSON. `sectionKey` (wire JSON or parsed) must
 * already be verified against the owner (verifySectionKey).
 */
export function sealEntry(body, opts) {
  return sealEntryWithKey(body, newDataKey(), opts);
}

function verifyParsed(e, authorSignPk, ownerSignPk) {
  verifySignature(authorSignPk, "entry", authorPayload(e), e.signature);
  if (e.keyVersion === e.signedKeyVersion) {
    if (e.rewrapSignature !== null || !equalBytes(sha256(e.sealedKey), e.signedSealedKeyHash)) {
      throw new TamperedError();
    }
    return;
  }
  if (e.keyVersion < e.signedKeyVersion || e.rewrapSignature === null || ownerSignPk == null) {
    throw new TamperedError();
  }
  verifySignature(ownerSignPk, "rewrap", rewrapPayload(e, e.keyVersion, e.sealedKey), e.rewrapSignature);
}

/** The author's signature and, after a rotation, the owner's rewrap signature. */
export function verifyEntry(entryJson, { authorSignPk, ownerSignPk = null }) {
  verifyParsed(entryFromJson(entryJson), authorSignPk, ownerSignPk);
}

/**
 * Accept a later version only beside its first version by the same author: `firstJson` must be
 * version 1 of the same dossier, section and entry, name the same author and carry that
 * author's valid signature. A first version needs nothing; anything else throws AnotherAuthor
 * (dossier/crypto/entries.py check_first_version).
 */
export function checkFirstVersion(entryJson, firstJson, { authorSignPk, ownerSignPk = null }) {
  const e = entryFromJson(entryJson);
  if (e.version === 1) return;
  if (firstJson === null || firstJson === undefined) throw new AnotherAuthor();
  const f = entryFromJson(firstJson);
  if (f.version !== 1 || f.dossier !== e.dossier || f.section !== e.section || f.entry !== e.entry
      || f.author !== e.author) {
    throw new AnotherAuthor();
  }
  try {
    verifyParsed(f, authorSignPk, ownerSignPk);
  } catch (err) {
    if (err instanceof TamperedError) throw new AnotherAuthor();
    throw err;
  }
}

/**
 * Verify signatures, then the expected place (and version, against rollback), then open.
 * Returns { body, dataKey }. `boxSk` is the section private key, or the author's own box key
 * with useAuthorCopy.
 */
export function openEntryAndKey(entryJson, {
  boxSk, authorSignPk, dossier, section, entry, version = null, useAuthorCopy = false, ownerSignPk = null,
}) {
  const e = entryFromJson(entryJson);
  verifyParsed(e, authorSignPk, ownerSignPk);
  if (e.dossier !== dossier || e.section !== section || e.entry !== entry
      || (version !== null && version !== undefined && e.version !== version)) {
    throw new TamperedError();
  }
  const dataKey = openSealed(boxSk, useAuthorCopy ? e.authorSealedKey : e.sealedKey);
  if (dataKey.length !== KEY_BYTES) throw new TamperedError();
  const plaintext = aeadOpen(dataKey, e.nonce, e.ciphertext, entryAd({ dossier, section, entry, author: e.author, version: e.version }));
  try {
    return { body: parseJsonObject(plaintext), dataKey };
  } catch (err) {
    if (err instanceof MalformedError) throw new TamperedError();
    throw err;
  }
}

export function openEntry(entryJson, expect) {
  return openEntryAndKey(entryJson, expect).body;
}

export function entryDataKey(entryJson, expect) {
  return openEntryAndKey(entryJson, expect).dataKey;
}

/** Owner side of a rotation: re-seal the data key to the new section key, sign the wrap. */
export function rewrapEntry(entryJson, { oldSectionSk, newSectionKey, owner }) {
  const e = entryFromJson(entryJson);
  const key = asSectionKey(newSectionKey);
  if (key.dossier !== e.dossier || key.section !== e.section || key.version <= e.keyVersion) {
    throw new TamperedError("section key does not follow this entry's key");
  }
  const dataKey = openSealed(oldSectionSk, e.sealedKey);
  const sealedKey = sealTo(key.pk, dataKey);
  const signature = signBytes(owner, "rewrap", rewrapPayload(e, key.version, sealedKey));
  return entryToJson({ ...e, keyVersion: key.version, sealedKey, rewrapSignature: signature });
}
