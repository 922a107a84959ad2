// The organisation key in an admin's browser (the same recipes as dossier/client/parties.py):
// make a new organisation, seal its key to a colleague, rotate it after a removal. The
// organisation's private key exists only here, in memory, while one of these runs; the server
// gets it sealed to each member's box key. Each member also gets an attestation signed with
// the org key; a rotation seals the new key only to members whose attestation verifies, so a
// member the server slipped in gets nothing. See docs/organisations.md.
import * as c from "../crypto.js";
import { pageJson } from "./transport.js";

const BASE = "/api/v1/organisations";
const ATTEMPTS = 4;
const RETRY = new Set(["version-conflict", "rotation-incomplete"]);

/** Make the organisation's identity here and seal it to my own box key: I am its first admin. */
export async function createOrganisation(me, name, kind) {
  const org = c.generateIdentity();
  const secret = c.identitySecret(org);
  const orgId = crypto.randomUUID();
  try {
    return await pageJson("POST", BASE, {
      id: orgId,
      name,
      kind,
      identity: c.publicIdentityToJson(c.identityPublic(org)),
      sealed_org_key: c.b64e(c.sealTo(me.identity.boxPk, secret)),
      attestation: c.signMembership(org, {
        orgId, accountId: me.accountId, member: c.identityPublic(me.identity), keyVersion: 1,
      }),
    });
  } finally {
    c.wipeIdentity(org);
  }
}

/** My copy of the org key, accepted only if it opens to the identity the server shows. */
export async function orgKey(me, orgId) {
  const data = await pageJson("GET", `${BASE}/${orgId}/key`);
  const secret = c.openSealed(me.identity.boxSk, c.b64d(data.sealed_org_key));
  if (secret.length !== 64) throw new c.TamperedError("sealed org key has the wrong length");
  const org = c.identityFromSecret(secret);
  if (!c.sameIdentity(c.identityPublic(org), c.publicIdentityFromJson(data.identity))) {
    throw new c.TamperedError("org key does not match the organisation's identity");
  }
  return { version: data.key_version, org, secret };
}

/** Seal the current org key to a colleague whose fingerprint the admin compared; a rotation
 *  in between (409) means sealing the new key instead. */
export async function addMember(me, orgId, { accountId, role, identity }) {
  const member = c.publicIdentityFromJson(identity);
  for (let attempt = 1; ; attempt += 1) {
    const { version, org, secret } = await orgKey(me, orgId);
    try {
      return await pageJson("POST", `${BASE}/${orgId}/members`, {
        account_id: accountId,
        role,
        key_version: version,
        sealed_org_key: c.b64e(c.sealTo(member.boxPk, secret)),
        attestation: c.signMembership(org, { orgId, accountId, member, keyVersion: version }),
      });
    } catch (err) {
      if (err.code !== "version-conflict" || attempt >= ATTEMPTS) throw err;
    } finally {
      c.wipeIdentity(org);
    }
  }
}

/** A new identity sealed to every active member, every grant envelope opened with the current
 *  org key and sealed to the new one; null when the key moved between the two reads. */
async function rotationUpload(me, orgId) {
  const { version, org } = await orgKey(me, orgId);
  try {
    const state = await pageJson("GET", `${BASE}/${orgId}/rotation`);
    if (state.key_version !== version) return null;
    const fresh = c.generateIdentity();
    const secret = c.identitySecret(fresh);
    const mine = c.identityPublic(me.identity);
    const members = state.members.map((person) => {
      const shown = c.publicIdentityFromJson(person.identity);
      if (person.account_id === me.accountId && !c.sameIdentity(shown, mine)) {
        throw new c.TamperedError("server shows another identity for me");
      }
      // Refuse, never skip: a member no admin attested is the server's doing.
      if (!person.attestation) throw new c.TamperedError("a member without an attestation");
      const who = { orgId, accountId: person.account_id, member: shown };
      c.verifyMembership(person.attestation, org.signPk, { ...who, keyVersion: version });
      return {
        account_id: person.account_id,
        sealed_org_key: c.b64e(c.sealTo(shown.boxPk, secret)),
        attestation: c.signMembership(fresh, { ...who, keyVersion: version + 1 }),
      };
    });
    const grants = state.grants.map((g) => ({
      grant_id: g.grant_id,
      envelope: c.b64e(c.sealTo(fresh.boxPk, c.openSealed(org.boxSk, c.b64d(g.envelope)))),
    }));
    const identity = c.identityPublic(fresh);
    const upload = {
      old_key_version: version,
      identity: c.publicIdentityToJson(identity),
      succession: c.signSuccession(org, { orgId, identity, keyVersion: version + 1 }),
      members,
      grants,
    };
    c.wipeIdentity(fresh);
    return upload;
  } finally {
    c.wipeIdentity(org);
  }
}

/** Rotate with fresh state until it lands (another admin or a new grant may race us). */
export async function rotateOrgKey(me, orgId) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const body = await rotationUpload(me, orgId);
      if (body !== null) return await pageJson("POST", `${BASE}/${orgId}/rotation`, body);
    } catch (err) {
      if (!RETRY.has(err.code) || attempt >= ATTEMPTS) throw err;
    }
    if (attempt >= ATTEMPTS) throw new Error("the organisation key keeps moving");
  }
}

/** One user action: the server drops the member at once (a refusal throws), then this browser
 *  rotates the key. Returns false when the removal stands but the rotation did not land: the
 *  page then shows the key as due, and any admin can finish it. A member list that does not
 *  verify throws (the removal stands, nothing is sealed). */
export async function removeMember(me, orgId, accountId) {
  await pageJson("DELETE", `${BASE}/${orgId}/members/${accountId}`);
  try {
    await rotateOrgKey(me, orgId);
    return true;
  } catch (err) {
    if (err instanceof c.CryptoError) throw err; // a tampered member list: say so, seal nothing
    console.warn("rotation after removal did not land", err?.code ?? err?.name);
    return false;
  }
}

/** The digits shown next to a colleague, computed here from the keys the page carries. */
export function fingerprintOf(identityJson) {
  return c.formatFingerprint(c.fingerprint(c.publicIdentityFromJson(identityJson)));
}
