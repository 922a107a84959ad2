// Signed statements (dossier/crypto/statements.py): fields plus `v` and an Ed25519 signature
// over their canonical JSON. A membership attestation is one signed with an organisation's own
// key: "this account, with this key, is a member at this key version". Only members hold the
// org key, so the server cannot make one.
import { VERSION, b64e, canonical, checkVersion, equalBytes, getBytes } from "./encoding.js";
import { MalformedError, TamperedError } from "./errors.js";
import { SIGNATURE_BYTES, fingerprint, sameIdentity, signBytes, verifySignature } from "./identity.js";

export const MEMBERSHIP = "org-member";

export function signStatement(identity, fields) {
  if ("signature" in fields || "v" in fields) throw new MalformedError("a statement's fields may not be named v or signature");
  const unsigned = { ...fields, v: VERSION };
  return { ...unsigned, signature: b64e(signBytes(identity, "statement", canonical(unsigned))) };
}

/** The statement's fields without `v` and the signature, if `signPk` signed exactly them. */
export function verifyStatement(statement, signPk) {
  checkVersion(statement);
  const signature = getBytes(statement, "signature", SIGNATURE_BYTES);
  const { signature: _, ...unsigned } = statement;
  verifySignature(signPk, "statement", canonical(unsigned), signature);
  const { v: __, ...fields } = unsigned;
  return fields;
}

/** TamperedError unless `signPk` signed exactly the `expected` fields. */
function verifyExactly(statement, signPk, expected, what) {
  if (!equalBytes(canonical(verifyStatement(statement, signPk)), canonical(expected))) {
    throw new TamperedError(`the ${what} names another member, key or version`);
  }
}

function membershipFields(orgId, accountId, member, keyVersion) {
  return { kind: MEMBERSHIP, org: orgId, member: accountId, member_key: b64e(fingerprint(member)), key_version: keyVersion };
}

export function signMembership(org, { orgId, accountId, member, keyVersion }) {
  return signStatement(org, membershipFields(orgId, accountId, member, keyVersion));
}

/** TamperedError unless the organisation's key signed exactly this member, key and version. */
export function verifyMembership(statement, orgSignPk, { orgId, accountId, member, keyVersion }) {
  verifyExactly(statement, orgSignPk, membershipFields(orgId, accountId, member, keyVersion), "attestation");
}

export const SUCCESSION = "org-key";

function successionFields(orgId, identity, keyVersion) {
  return { kind: SUCCESSION, org: orgId, key_version: keyVersion, key: b64e(fingerprint(identity)) };
}

/** At a rotation the outgoing org key names its successor (sign_succession). */
export function signSuccession(old, { orgId, identity, keyVersion }) {
  return signStatement(old, successionFields(orgId, identity, keyVersion));
}

export function verifySuccession(statement, oldSignPk, { orgId, identity, keyVersion }) {
  verifyExactly(statement, oldSignPk, successionFields(orgId, identity, keyVersion), "succession");
}

/**
 * TamperedError unless `member` is attested by the organisation (verify_org_member): from the
 * identity a grant receipt names (`granted`), each later org key is named by the one before
 * it, up to the key that signed the member's attestation. `orgKeys` is the server's list of
 * { version, identity (public identity), succession }.
 */
export function verifyOrgMember({ orgId, granted, orgKeys, accountId, member, attestation }) {
  if (!attestation) throw new TamperedError("no attestation");
  const keys = new Map(orgKeys.map((k) => [k.version, k]));
  const start = orgKeys.find((k) => sameIdentity(k.identity, granted))?.version;
  const target = attestation.key_version;
  if (start === undefined || !Number.isInteger(target) || target < start) {
    throw new TamperedError("the attestation is not for a key the grant leads to");
  }
  let current = granted;
  for (let version = start + 1; version <= target; version += 1) {
    const next = keys.get(version);
    if (!next || !next.succession) throw new TamperedError("a key without succession");
    verifySuccession(next.succession, current.signPk, { orgId, identity: next.identity, keyVersion: version });
    current = next.identity;
  }
  verifyMembership(attestation, current.signPk, { orgId, accountId, member, keyVersion: target });
}
