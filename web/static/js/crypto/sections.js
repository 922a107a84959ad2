// Section keys: one X25519 keypair per (dossier, section, version), the public half signed by
// the owner (dossier/crypto/sections.py). Verify before sealing anything to it.
import {
  VERSION, b64e, canonical, checkInt, checkLen, checkStr, checkVersion, getBytes, getInt, getStr,
} from "./encoding.js";
import {
  KEY_BYTES, SIGNATURE_BYTES, boxPublicKey, generateBoxSecretKey, signBytes, verifySignature,
} from "./identity.js";

export function generateSectionKeyPair() {
  const sk = generateBoxSecretKey();
  return { sk, pk: boxPublicKey(sk) };
}

function payload(dossier, section, version, pk) {
  return canonical({ v: VERSION, dossier, section, version, pk: b64e(pk) });
}

export function signedSectionKeyFromJson(d) {
  checkVersion(d);
  return Object.freeze({
    dossier: getStr(d, "dossier"),
    section: getStr(d, "section"),
    version: getInt(d, "version"),
    pk: getBytes(d, "pk", KEY_BYTES),
    signature: getBytes(d, "signature", SIGNATURE_BYTES),
  });
}

export function signedSectionKeyToJson(k) {
  return {
    v: VERSION, dossier: k.dossier, section: k.section, version: k.version, pk: b64e(k.pk), signature: b64e(k.signature),
  };
}

export function signSectionKey(owner, dossier, section, version, pk) {
  checkStr("dossier", dossier);
  checkStr("section", section);
  checkInt("version", version);
  checkLen("pk", pk, KEY_BYTES);
  const signature = signBytes(owner, "section-key", payload(dossier, section, version, pk));
  return signedSectionKeyToJson({ dossier, section, version, pk, signature });
}

/** Parse and verify under the owner's signing key; returns the parsed key or throws. */
export function verifySectionKey(signedJson, ownerSignPk) {
  const k = signedSectionKeyFromJson(signedJson);
  verifySignature(ownerSignPk, "section-key", payload(k.dossier, k.section, k.version, k.pk), k.signature);
  return k;
}

export function asSectionKey(k) {
  return k.pk instanceof Uint8Array ? k : signedSectionKeyFromJson(k);
}
