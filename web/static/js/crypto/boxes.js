// Secrets sealed to a party's box key: sealed boxes, read grants, organisation keys and
// profile cards (dossier/crypto/boxes.py). Profile cards are sign-then-seal.
import {
  VERSION, b64d, b64e, canonical, checkInt, checkLen, checkStr, checkVersion, concat,
  getBytes, getInt, getStr, isPlainObject, parseJsonObject,
} from "./encoding.js";
import { CryptoError, TamperedError } from "./errors.js";
import { KEY_BYTES, boxPublicKey, signBytes, verifySignature } from "./identity.js";
import { isScripted, randomBytes } from "./rng.js";
import { S } from "./sodium.js";

export const SEAL_OVERHEAD = 48;
export const SEALED_KEY_BYTES = KEY_BYTES + SEAL_OVERHEAD;

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

export function openSealed(boxSk, sealed) {
  try {
    return S().crypto_box_seal_open(sealed, boxPublicKey(boxSk), boxSk);
  } catch {
    throw new TamperedError();
  }
}

/** Generate an X25519 private key (section key, org key): 32 random bytes, as PyNaCl does. */
export function generateBoxSecretKey() {
  return randomBytes(KEY_BYTES);
}

export function readEnvelopeFromJson(d) {
  checkVersion(d);
  return {
    grant: getStr(d, "grant"),
    section: getStr(d, "section"),
    keyVersion: getInt(d, "key_version"),
    sealedSk: getBytes(d, "sealed_sk", SEALED_KEY_BYTES),
  };
}

export function makeReadEnvelope({ grant, section, keyVersion, sectionSk, granteeBoxPk }) {
  checkStr("grant", grant);
  checkStr("section", section);
  checkInt("key_version", keyVersion);
  checkLen("section_sk", sectionSk, KEY_BYTES);
  return {
    v: VERSION, grant, section, key_version: keyVersion, sealed_sk: b64e(sealTo(granteeBoxPk, sectionSk)),
  };
}

/**
 * Returns the section private key. The caller still checks that its public half
 * (boxPublicKey(sk)) matches the verified signed section key.
 */
export function openReadEnvelope(envelopeJson, boxSk) {
  const env = readEnvelopeFromJson(envelopeJson);
  return openSealed(boxSk, env.sealedSk);
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
  const signature = signBytes(sender, cardPayload(senderId, recipientId, card));
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
  verifySignature(senderSignPk, cardPayload(senderId, recipientId, card), signature);
  return card;
}
