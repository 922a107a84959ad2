// Consent receipts (owner-signed grant records) and the reader-side author check
// (dossier/crypto/receipts.py).
import {
  VERSION, b64e, canonical, checkInt, checkLen, checkStr, checkVersion, equalBytes, formatTime,
  getBytes, getInt, getStr, parseTime,
} from "./encoding.js";

export { formatTime, parseTime };
import { MalformedError, TamperedError, UnauthorisedAuthor } from "./errors.js";
import {
  FINGERPRINT_BYTES, SIGNATURE_BYTES, fingerprint, publicIdentityFromJson, makePublicIdentity,
  signBytes, verifySignature,
} from "./identity.js";
import { checkFirstVersion, openEntry, verifyEntry } from "./entries.js";
import { verifyOrgMember } from "./statements.js";
import { grantEndTime } from "./revocations.js";

const PERMISSIONS = new Set(["read", "append"]);

function toMs(at) {
  return typeof at === "string" ? parseTime(at) : at.getTime();
}

function validate(r) {
  checkLen("grantee_key_fingerprint", r.granteeKeyFingerprint, FINGERPRINT_BYTES);
  const perms = r.permissions;
  const sorted = [...new Set(perms)].sort();
  if (!Array.isArray(perms) || perms.length === 0 || perms.join("\u0000") !== sorted.join("\u0000")
      || !perms.every((p) => PERMISSIONS.has(p))) {
    throw new MalformedError("permissions: a sorted, non-empty subset of read and append");
  }
  if (parseTime(r.issuedAt) >= parseTime(r.expiresAt)) {
    throw new MalformedError("expires_at must be after issued_at");
  }
  return r;
}

export function receiptFromJson(d) {
  checkVersion(d);
  const perms = d.permissions;
  if (!Array.isArray(perms) || !perms.every((p) => typeof p === "string")) {
    throw new MalformedError("permissions: expected a list of strings");
  }
  const r = {
    grant: getStr(d, "grant"),
    dossier: getStr(d, "dossier"),
    section: getStr(d, "section"),
    grantee: getStr(d, "grantee"),
    granteeKeyFingerprint: getBytes(d, "grantee_key_fingerprint", FINGERPRINT_BYTES),
    permissions: [...perms],
    purpose: getStr(d, "purpose"),
    issuedAt: getStr(d, "issued_at"),
    expiresAt: getStr(d, "expires_at"),
    keyVersion: getInt(d, "key_version"),
    signature: getBytes(d, "signature", SIGNATURE_BYTES),
  };
  validate(r);
  checkLen("signature", r.signature, SIGNATURE_BYTES);
  return r;
}

function unsignedJson(r) {
  return {
    v: VERSION,
    grant: r.grant,
    dossier: r.dossier,
    section: r.section,
    grantee: r.grantee,
    grantee_key_fingerprint: b64e(r.granteeKeyFingerprint),
    permissions: [...r.permissions],
    purpose: r.purpose,
    issued_at: r.issuedAt,
    expires_at: r.expiresAt,
    key_version: r.keyVersion,
  };
}

export function receiptToJson(r) {
  return { ...unsignedJson(r), signature: b64e(r.signature) };
}

/** What the owner signs: canonical JSON of every field except the signature. */
export function receiptPayload(r) {
  return canonical(unsignedJson(r));
}

export function signReceipt(owner, {
  grant, dossier, section, grantee, granteeKeyFingerprint, permissions, purpose, issuedAt, expiresAt, keyVersion,
}) {
  for (const [name, value] of [["grant", grant], ["dossier", dossier], ["section", section], ["grantee", grantee], ["purpose", purpose]]) {
    checkStr(name, value);
  }
  checkInt("key_version", keyVersion);
  const r = validate({
    grant,
    dossier,
    section,
    grantee,
    granteeKeyFingerprint,
    permissions: [...new Set(permissions)].sort(),
    purpose,
    issuedAt: formatTime(issuedAt),
    expiresAt: formatTime(expiresAt),
    keyVersion,
  });
  r.signature = signBytes(owner, "receipt", receiptPayload(r));
  return receiptToJson(r);
}

/** Parse and verify under the owner's key; returns the parsed receipt. */
export function verifyReceipt(receiptJson, ownerSignPk) {
  const r = receiptFromJson(receiptJson);
  verifySignature(ownerSignPk, "receipt", receiptPayload(r), r.signature);
  return r;
}

export function receiptCovers(r, at) {
  const t = toMs(at);
  return parseTime(r.issuedAt) <= t && t < parseTime(r.expiresAt);
}

function asPublic(p) {
  return p.boxPk instanceof Uint8Array ? makePublicIdentity(p) : publicIdentityFromJson(p);
}

function grantsAppend(r, candidate, owner, dossier, section, at, end, listedEnd) {
  if (r.dossier !== dossier || r.section !== section || !r.permissions.includes("append")
      || !receiptCovers(r, at) || !equalBytes(r.granteeKeyFingerprint, fingerprint(candidate))) {
    return false;
  }
  try {
    verifySignature(owner.signPk, "receipt", receiptPayload(r), r.signature);
  } catch (err) {
    if (err instanceof TamperedError) return false;
    throw err;
  }
  const served = grantEndTime(end, owner.signPk, { grant: r.grant, dossier: r.dossier, section: r.section });
  const known = [served, listedEnd].filter((t) => t !== null && t !== undefined);
  return known.length === 0 || toMs(at) <= Math.min(...known);
}

/** A listed member's identity if the organisation attested them along the key chain from the
 *  identity this receipt names; null otherwise. */
function attestedMember(receipt, granted, item, accountId) {
  const member = asPublic(item.members[accountId]);
  try {
    verifyOrgMember({
      orgId: receipt.grantee,
      granted,
      orgKeys: (item.org_keys ?? []).map((k) => ({ ...k, identity: asPublic(k.identity) })),
      accountId,
      member,
      attestation: item.attestations?.[accountId] ?? null,
    });
  } catch (err) {
    if (err instanceof TamperedError || err instanceof MalformedError) return null;
    throw err;
  }
  return member;
}

/**
 * The public identity whose key must have signed an entry by `entryAuthor` made at `at`
 * (a signed-form time string or a Date). `receipts` is a list of { receipt, grantee } (wire
 * JSON receipt, public identity); for a receipt to an organisation, `members` maps each
 * member's account id to their public identity, and `attestations` and `org_keys` let this
 * reader check that the organisation attested that member (verifyOrgMember, docs/crypto.md):
 * the server's list alone is not enough. An item's `end` is the owner's signed grant end
 * (revocations.js): the receipt counts up to and including its `at`; `listedEnds` (grant id ->
 * epoch ms, from the owner's verified section manifest) caps it the same way. Throws
 * UnauthorisedAuthor.
 */
export function authorisedSigner(entryAuthor, at, {
  dossier, section, ownerId, owner, receipts, memberOf = null, authorIdentity = null, listedEnds = null,
}) {
  toMs(at);
  const ownerPub = asPublic(owner);
  if (entryAuthor === ownerId) return ownerPub;
  const org = memberOf && Object.hasOwn(memberOf, entryAuthor) ? memberOf[entryAuthor] : null;
  const author = authorIdentity === null || authorIdentity === undefined ? null : asPublic(authorIdentity);
  for (const item of receipts) {
    const r = item.receipt.signature instanceof Uint8Array ? item.receipt : receiptFromJson(item.receipt);
    const grantee = asPublic(item.grantee);
    let signer;
    if (r.grantee === entryAuthor) {
      signer = grantee;
    } else if (org !== null && r.grantee === org && author !== null) {
      signer = author;
    } else if (item.members && Object.hasOwn(item.members, entryAuthor)) {
      signer = attestedMember(r, grantee, item, entryAuthor);
      if (signer === null) continue;
    } else {
      continue;
    }
    const listed = listedEnds && Object.hasOwn(listedEnds, r.grant) ? listedEnds[r.grant] : null;
    if (grantsAppend(r, grantee, ownerPub, dossier, section, at, item.end ?? null, listed)) return signer;
  }
  throw new UnauthorisedAuthor();
}

/** The reader's one call: who may have signed this entry, then openEntry under that key. */
export function verifyAndOpenEntry(entryJson, {
  boxSk, at, ownerId, owner, receipts, dossier, section, entry, version = null,
  useAuthorCopy = false, memberOf = null, authorIdentity = null, first = null, listedEnds = null,
}) {
  const signer = authorisedSigner(entryJson.author, at, {
    dossier, section, ownerId, owner, receipts, memberOf, authorIdentity, listedEnds,
  });
  const ownerPub = asPublic(owner);
  if (entryJson.version !== 1) {
    verifyEntry(entryJson, { authorSignPk: signer.signPk, ownerSignPk: ownerPub.signPk });
    checkFirstVersion(entryJson, first, { authorSignPk: signer.signPk, ownerSignPk: ownerPub.signPk });
  }
  return openEntry(entryJson, {
    boxSk, authorSignPk: signer.signPk, dossier, section, entry, version, useAuthorCopy, ownerSignPk: ownerPub.signPk,
  });
}
