// The owner's side of consent, made in the browser exactly like dossier/client/grants.py and
// requests.py: owner-signed receipts and read envelopes, signed statements, and section key
// rotation after a revocation (new keypair, every version of every entry re-wrapped, the new
// private key sealed to each remaining reader whose key matches the pin, one upload; on 409
// retry on fresh state). The server only ever receives sealed or signed material. Every call
// goes to the same /api/v1 route as the Python client (the page cookie with the CSRF header).
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { saveSectionKeys } from "./common.js";
import { signEndsDue } from "./grant-ends.js";
import { party } from "./people.js";
import { pageJson } from "./transport.js";

export const ROTATION_TRIES = 5;

export function me() {
  const unlocked = keystore.loadIdentity();
  if (unlocked === null) throw new c.TamperedError("locked");
  return unlocked;
}

/** The owner's dossier this page is about: every page that shares or rotates renders it. */
export function pageDossier() {
  const id = document.querySelector("[data-dossier]")?.getAttribute("data-dossier");
  if (!id) throw new c.MalformedError("this page names no dossier");
  return id;
}

/** `/api/v1/dossiers/{dossier}` + rest. */
export function dossierPath(dossier, rest = "") {
  return `/api/v1/dossiers/${encodeURIComponent(dossier)}${rest}`;
}

/** Every version of every entry of one section (for rotation and export). */
export async function allVersions(dossier, key) {
  return pageJson("GET", dossierPath(dossier, `/sections/${encodeURIComponent(key)}/entries?versions=all`));
}

/** GET /api/v1/dossiers/{id}/sharing, with every own section key verified, opened and kept
 *  in this tab. */
export async function freshState(dossier = pageDossier()) {
  const state = await pageJson("GET", dossierPath(dossier, "/sharing"));
  const { accountId, identity } = me();
  if (state.dossier.owner_id !== accountId || state.dossier.id !== dossier) throw new c.TamperedError("not my dossier");
  saveSectionKeys(state.dossier, identity);
  return state;
}

export function sectionOf(state, key) {
  const section = state.dossier.sections.find((s) => s.key === key);
  if (!section) throw new c.MalformedError(`no section ${key}`);
  const sk = keystore.sectionKey(state.dossier.id, key, section.key_version);
  return { ...section, sk };
}

/** One grant as the owner makes it (GrantsClient.grant_item). */
export function grantItem(state, key, grantee, { kind, identity }, { permissions, purpose, expiresAt, renewedPast27 = false }) {
  const section = sectionOf(state, key);
  const perms = [...new Set(permissions)].sort();
  const id = crypto.randomUUID();
  const receipt = c.signReceipt(me().identity, {
    grant: id,
    dossier: state.dossier.id,
    section: key,
    grantee,
    granteeKeyFingerprint: c.fingerprint(identity),
    permissions: perms,
    purpose,
    issuedAt: new Date(Date.now() - 1000),
    expiresAt,
    keyVersion: section.key_version,
  });
  const envelope = perms.includes("read")
    ? c.b64e(c.sealGrantEnvelope(section.sk, identity.boxPk, { grant: id, sectionKey: c.verifySectionKey(section.signed_key, me().identity.signPk) }))
    : null;
  return { id, section: key, grantee_kind: kind, grantee_id: grantee, receipt, envelope, renewed_past_27: renewedPast27 };
}

/** `fields` plus v and the owner's signature over their canonical JSON (sign_statement). */
export function signStatement(fields) {
  return c.signStatement(me().identity, fields);
}

export function requestStatement(request, kind, extra) {
  return signStatement({
    kind, request: request.id, dossier: request.dossier_id, at: c.formatTime(new Date()), ...extra,
  });
}

async function rotateOnce(key, dossier) {
  const { identity } = me();
  const state = await freshState(dossier);
  const section = sectionOf(state, key);
  if (section.sk === null) throw new c.TamperedError("no owner key for this section");
  const listed = await allVersions(state.dossier.id, key);
  if (listed.entries.some((item) => item.entry.key_version > section.key_version)) {
    // Read in two requests: another device's rotation landed in between. Not tampering (that
    // stays a TamperedError in rewrapEntry): read both again, as after a 409.
    throw Object.assign(new Error("rotated meanwhile"), { status: 409 });
  }
  const fresh = c.generateSectionKeyPair();
  const version = section.key_version + 1;
  const signed = c.signSectionKey(identity, state.dossier.id, key, version, fresh.pk);
  const entries = listed.entries.map((item) => c.rewrapEntry(item.entry, {
    oldSectionSk: section.sk, newSectionKey: signed, owner: identity,
  }));
  const readers = state.grants.filter((g) => g.section === key && g.state === "active" && g.permissions.includes("read"));
  const envelopes = [];
  for (const g of readers) {
    const { identity: reader } = await party(g.grantee_id);
    envelopes.push({ grant_id: g.id, envelope: c.b64e(c.sealGrantEnvelope(fresh.sk, reader.boxPk, { grant: g.id, sectionKey: signed })) });
  }
  await pageJson("POST", dossierPath(state.dossier.id, `/sections/${encodeURIComponent(key)}/rotate`), {
    old_key_version: section.key_version,
    signed_key: signed,
    owner_sealed_sk: c.b64e(c.sealTo(identity.boxPk, fresh.sk)),
    entries,
    envelopes,
  });
  keystore.saveSectionKey(state.dossier.id, key, version, fresh.sk);
}

/** Rotate a section; if someone rotated first (a 409, or entries already under a newer key
 * than the section we read), try again on fresh state. */
export async function rotate(key, dossier = pageDossier()) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await rotateOnce(key, dossier);
      return;
    } catch (err) {
      if (err?.status !== 409 || attempt === ROTATION_TRIES - 1) throw err;
    }
  }
}

/** After anything that ended grants (GrantsClient.settle): sign the ends, then rotate. */
export async function settle(sections, dossier = pageDossier()) {
  await signEndsDue(dossier);
  for (const key of sections) await rotate(key, dossier);
}

/** On unlock: sign missing grant ends and rotate every section an ended (expired or revoked)
 *  read grant could still open. */
export async function rotateDue(dossier = pageDossier()) {
  const { sections } = await pageJson("GET", dossierPath(dossier, "/rotation-due"));
  await settle(sections, dossier);
  return sections;
}

/** Intrekken: refused by the server at once, then the ends signed and every section that was
 *  read rotated. */
export async function revoke(grantIds, dossier = pageDossier()) {
  const { sections } = await pageJson("POST", dossierPath(dossier, "/grants/revoke"), { grant_ids: grantIds });
  await settle(sections, dossier);
  return sections;
}
