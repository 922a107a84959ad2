// Secrets sealed to a party's box key: sealed boxes, read grants, organisation keys and
// profile cards (dossier/crypto/boxes.py). Profile cards are sign-then-seal.
import {
  VERSION, b64d, b64e, canonical, checkInt, checkLen, checkStr, checkVersion, concat,
  equalBytes, getBytes, getInt, getStr, isPlainObject, parseJsonObject,
} from "./encoding.js";
import { asSectionKey } from "./sections.js";
import { CryptoError, TamperedError } from "./errors.js";
import { KEY_BYTES, boxPublicKey, signBytes, verifySignature } from "./identity.js";
import { isScripted, randomBytes } from "./rng.js";
import { S } from "./sodium.js";

export const SEAL_OVERHEAD = 48;
export const SEALED_KEY_BYTES = KEY_BYTES + SEAL_OVERHEAD;
export const ENVELOPE_BYTES = 2 * KEY_BYTES + SEAL_OVERHEAD; // section key || binding, sealed

function scriptedSeal(recipientPk, secret) {
  // Exactly libsodium's crypto_box_seal, with the ephemeral seed taken from the script.
  const s = S();
  const eph = s.crypto_box_seed_keypair(randomBytes(KEY_BYTES));
  const nonce = s.crypto_generichash(24, concat(eph.publicKey, recipientPk), null);
  return concat(eph.publicKey, s.crypto_box_easy(secret, nonce, recipientPk, eph.privateKey));
}

/** crypto_box_seal: anonymous, so it proves nothing about who sealed it. */
export function sealTo(recipientBoxPk, secret) {
  checkLen("recipient_box_pk", recipientBoxPk, KEY_BYTES);
  if (isScripted()) return scriptedSeal(recipientBoxPk, secret);
  return S().crypto_box_seal(secret, recipientBoxPk);
}

/** `boxPk`, when the caller has it, saves deriving it again (one X25519 operation of the
 *  three an opening costs; the school's status page opens 1,300 names and groups). */
export function openSealed(boxSk, sealed, boxPk = boxPublicKey(boxSk)) {
  try {
    return S().crypto_box_seal_open(sealed, boxPk, boxSk);
  } catch {
    throw new TamperedError();
  }
}

export function readEnvelopeFromJson(d) {
  checkVersion(d);
  return {
    grant: getStr(d, "grant"),
    section: getStr(d, "section"),
    keyVersion: getInt(d, "key_version"),
    sealedSk: getBytes(d, "sealed_sk", ENVELOPE_BYTES),
  };
}

/** BLAKE2b-256 of canonical({v, kind: "grant-envelope", grant, dossier, section, key_version})
 *  (boxes.py envelope_binding): sealed with the section key, so an envelope opens only for the
 *  grant, place and key version it was made for. */
export function envelopeBinding({ grant, dossier, section, keyVersion }) {
  checkStr("grant", grant);
  const fields = { v: VERSION, kind: "grant-envelope", grant, dossier, section, key_version: keyVersion };
  return S().crypto_generichash(32, canonical(fields), null);
}

function bindingOf(grant, key) {
  return envelopeBinding({ grant, dossier: key.dossier, section: key.section, keyVersion: key.version });
}

/** crypto_box_seal(sk || binding) to the grantee; `sectionKey` is the owner-signed public half. */
export function sealGrantEnvelope(sectionSk, granteeBoxPk, { grant, sectionKey }) {
  const key = asSectionKey(sectionKey);
  checkLen("section_sk", sectionSk, KEY_BYTES);
  if (!equalBytes(boxPublicKey(sectionSk), key.pk)) throw new TamperedError("section key does not match the signed public key");
  return sealTo(granteeBoxPk, concat(sectionSk, bindingOf(grant, key)));
}

/** The section private key, if the envelope names this grant and the signed key's dossier,
 *  section and version, and holds the signed key's private half; TamperedError otherwise. */
export function openGrantEnvelope(sealed, boxSk, { grant, sectionKey }) {
  const key = asSectionKey(sectionKey);
  const plain = openSealed(boxSk, sealed);
  if (plain.length !== 2 * KEY_BYTES || !equalBytes(plain.slice(KEY_BYTES), bindingOf(grant, key))) throw new TamperedError();
  const sk = plain.slice(0, KEY_BYTES);
  if (!equalBytes(boxPublicKey(sk), key.pk)) throw new TamperedError();
  return sk;
}

export function makeReadEnvelope({ grant, sectionKey, sectionSk, granteeBoxPk }) {
  const key = asSectionKey(sectionKey);
  return {
    v: VERSION, grant, section: key.section, key_version: key.version,
    sealed_sk: b64e(sealGrantEnvelope(sectionSk, granteeBoxPk, { grant, sectionKey: key })),
  };
}

/** The section private key, if the envelope is for the signed key's place and version (and
 *  its grant) and holds that key's private half. */
export function openReadEnvelope(envelopeJson, boxSk, sectionKey) {
  const env = readEnvelopeFromJson(envelopeJson);
  const key = asSectionKey(sectionKey);
  if (env.section !== key.section || env.keyVersion !== key.version) throw new TamperedError();
  return openGrantEnvelope(env.sealedSk, boxSk, { grant: env.grant, sectionKey: key });
}

export function sealedOrgKeyFromJson(d) {
  checkVersion(d);
  return {
    org: getStr(d, "org"),
    member: getStr(d, "member"),
    keyVersion: getInt(d, "key_version"),
    sealedSk: getBytes(d, "sealed_sk", SEALED_KEY_BYTES),
  };
}

export function sealOrgKey(orgSk, { org, member, keyVersion, memberBoxPk }) {
  checkStr("org", org);
  checkStr("member", member);
  checkInt("key_version", keyVersion);
  checkLen("org_sk", orgSk, KEY_BYTES);
  return { v: VERSION, org, member, key_version: keyVersion, sealed_sk: b64e(sealTo(memberBoxPk, orgSk)) };
}

/** Returns the organisation's X25519 private key. */
export function openOrgKey(sealedJson, boxSk) {
  return openSealed(boxSk, sealedOrgKeyFromJson(sealedJson).sealedSk);
}

function cardPayload(senderId, recipientId, card) {
  return canonical({ v: VERSION, from: senderId, to: recipientId, card });
}

/** Sign-then-seal: both ids are signed, so a card cannot be replayed or misattributed. */
export function sealProfileCard(card, { senderId, sender, recipientId, recipientBoxPk }) {
  const signature = signBytes(sender, "profile-card", cardPayload(senderId, recipientId, card));
  const plaintext = canonical({ v: VERSION, from: senderId, to: recipientId, card, sig: b64e(signature) });
  return sealTo(recipientBoxPk, plaintext);
}

/** Returns the card only if it was signed by senderId's key and addressed to us. */
export function openProfileCard(sealed, { boxSk, recipientId, senderId, senderSignPk }) {
  let card;
  let signature;
  try {
    const outer = parseJsonObject(openSealed(boxSk, sealed));
    checkVersion(outer);
    for (const key of ["from", "to", "card", "sig"]) {
      if (!Object.hasOwn(outer, key)) throw new TamperedError();
    }
    card = outer.card;
    if (outer.from !== senderId || outer.to !== recipientId || !isPlainObject(card)) {
      throw new TamperedError();
    }
    signature = b64d(outer.sig);
  } catch (err) {
    if (err instanceof CryptoError) throw new TamperedError();
    throw err;
  }
  verifySignature(senderSignPk, "profile-card", cardPayload(senderId, recipientId, card), signature);
  return card;
}
