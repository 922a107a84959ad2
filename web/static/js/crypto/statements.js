// Signed statements (dossier/crypto/statements.py): fields plus `v` and an Ed25519 signature
// over their canonical JSON. A membership attestation is one signed with an organisation's own
// key: "this account, with this key, is a member at this key version". Only members hold the
// org key, so the server cannot make one.
import { VERSION, b64e, canonical, checkVersion, equalBytes, getBytes } from "./encoding.js";
import { MalformedError, TamperedError } from "./errors.js";
import { SIGNATURE_BYTES, fingerprint, signBytes, verifySignature } from "./identity.js";

export const MEMBERSHIP = "org-member";

export function signStatement(identity, fields) {
  if ("signature" in fields || "v" in fields) throw new MalformedError("a statement's fields may not be named v or signature");
  const unsigned = { ...fields, v: VERSION };
  return { ...unsigned, signature: b64e(signBytes(identity, canonical(unsigned))) };
}

/** The statement's fields without `v` and the signature, if `signPk` signed exactly them. */
export function verifyStatement(statement, signPk) {
  checkVersion(statement);
  const signature = getBytes(statement, "signature", SIGNATURE_BYTES);
  const { signature: _, ...unsigned } = statement;
  verifySignature(signPk, canonical(unsigned), signature);
  const { v: __, ...fields } = unsigned;
  return fields;
}

function membershipFields(orgId, accountId, member, keyVersion) {
  return { kind: MEMBERSHIP, org: orgId, member: accountId, member_key: b64e(fingerprint(member)), key_version: keyVersion };
}

export function signMembership(org, { orgId, accountId, member, keyVersion }) {
  return signStatement(org, membershipFields(orgId, accountId, member, keyVersion));
}

/** TamperedError unless the organisation's key signed exactly this member, key and version. */
export function verifyMembership(statement, orgSignPk, { orgId, accountId, member, keyVersion }) {
  const fields = verifyStatement(statement, orgSignPk);
  if (!equalBytes(canonical(fields), canonical(membershipFields(orgId, accountId, member, keyVersion)))) {
    throw new TamperedError("the attestation names another member, key or version");
  }
}
