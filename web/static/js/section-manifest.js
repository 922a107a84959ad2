// Section manifests in the browser reader (dossier/client/manifests.py; docs/crypto.md,
// "Section manifests"). Every opened entry is checked against the owner's newest signed
// manifest (data-manifest): a version it does not list, signed well before it, is refused.
// On a page that shows a whole section (data-manifest-complete) a listed entry that is
// missing or older is reported, and the owner's tab signs a new manifest when it saw more.
// This device keeps the highest manifest number it has seen per section in localStorage
// (a number, nothing secret) and refuses an older manifest.
import * as c from "./crypto.js";
import * as keystore from "./keystore.js";
import { pageJson } from "./app/transport.js";

export const WITHHELD_TEXT = "Er ontbreekt iets in wat de server laat zien.";
const seqKey = (dossier, section) => `rugzak:manifest-seq:${dossier}:${section}`;

function seenSeq(dossier, section) {
  return Number(window.localStorage.getItem(seqKey(dossier, section)) ?? "0");
}

/** The verified manifest on `holder` (or null), never older than one this device saw. */
export function manifestOf(holder, ownerSignPk, dossier, section) {
  const text = holder?.getAttribute("data-manifest") ?? null;
  const seen = seenSeq(dossier, section);
  if (text === null || text === "") {
    if (seen > 0) throw new c.TamperedError("the server no longer shows the section's manifest");
    return null;
  }
  const manifest = c.verifyManifest(c.wireJson(text), ownerSignPk, { dossier, section });
  if (manifest.seq < seen) throw new c.TamperedError("the server shows an older manifest than this device saw");
  window.localStorage.setItem(seqKey(dossier, section), String(manifest.seq));
  return manifest;
}

/** The verified manifest that applies to an entry element (or null). */
export function manifestFor(elt, ownerSignPk, dossier, section) {
  return manifestOf(elt.closest("[data-manifest]"), ownerSignPk, dossier, section);
}

/** Throws unless this opened entry is one the manifest allows. */
export function checkEntry(manifest, sealed) {
  if (manifest !== null) c.checkListed(manifest, sealed);
}

/** Grant ends for the next manifest: the last manifest's (never dropped) and every end the
 *  server served beside a receipt (data-receipts) that verifies under the owner's key. */
function knownEnds(container, manifest, ownerSignPk, dossier, section) {
  const ends = { ...(manifest?.ends ?? {}) };
  for (const item of c.wireJson(container.getAttribute("data-receipts") || "[]")) {
    if (!item.end) continue;
    const at = c.grantEndTime(item.end, ownerSignPk, { grant: item.receipt.grant, dossier, section });
    if (at !== null) ends[item.receipt.grant] = Math.min(at, ends[item.receipt.grant] ?? at);
  }
  return ends;
}

function banner(container) {
  if (container.querySelector("[data-withheld]")) return;
  const p = document.createElement("p");
  p.className = "utrecht-paragraph rz-alert";
  p.setAttribute("role", "alert");
  p.setAttribute("data-withheld", "");
  p.textContent = WITHHELD_TEXT;
  container.prepend(p);
}

// One check per section at a time in this tab: a swap while this tab's manifest is on its way
// must not sign the same number again (the server answers 409), and a part rendered before
// that manifest landed gets the manifest this tab signed (its own signature, so trusted).
const queues = new Map();
const signedHere = new Map();

/** After every entry of a whole-section page was opened: report what is withheld; as the
 *  owner, sign what was seen if it is new. Resolves to "withheld", "signed" or "ok". */
export function afterOpen(container, ownerId, ownerSignPk) {
  const key = `${container.getAttribute("data-dossier")}:${container.getAttribute("data-section")}`;
  const run = (queues.get(key) ?? Promise.resolve()).then(() => checkAndSign(container, ownerId, ownerSignPk, key));
  queues.set(key, run.catch(() => undefined));
  return run;
}

function newestSignedHere(container, key) {
  const mine = signedHere.get(key);
  if (mine === undefined) return;
  const text = container.getAttribute("data-manifest");
  const shown = text ? c.wireJson(text) : null;
  if (shown === null || shown.seq < mine.seq) container.setAttribute("data-manifest", JSON.stringify(mine));
}

async function checkAndSign(container, ownerId, ownerSignPk, key) {
  const dossier = container.getAttribute("data-dossier");
  const section = container.getAttribute("data-section");
  newestSignedHere(container, key);
  const elements = [...container.querySelectorAll("[data-ciphertext]")];
  if (elements.some((e) => e.getAttribute("data-crypto") !== "open")) return "ok";
  const shown = elements.map((e) => c.wireJson(e.getAttribute("data-ciphertext")));
  const manifest = manifestOf(container, ownerSignPk, dossier, section);
  if (manifest !== null) {
    const missing = c.withheld(manifest, new Map(shown.map((s) => [s.entry, s.version])));
    if (missing.length > 0) {
      banner(container);
      container.dispatchEvent(new CustomEvent("rugzak:withheld", { bubbles: true, detail: { entries: missing } }));
      return "withheld";
    }
  }
  const unlocked = keystore.loadIdentity();
  if (unlocked === null || unlocked.accountId !== ownerId) return "ok";
  const ends = knownEnds(container, manifest, ownerSignPk, dossier, section);
  const sameEnds = manifest !== null && c.equalBytes(c.canonical(manifest.ends), c.canonical(ends));
  const same = sameEnds && manifest.entries.size === shown.length && shown.every((s) => {
    const listed = manifest.entries.get(s.entry);
    return listed !== undefined && listed.version === s.version
      && c.equalBytes(listed.hash, c.sha256(c.b64d(s.signature)));
  });
  if (same) return "ok";
  const seq = manifest === null ? 1 : manifest.seq + 1;
  const statement = c.signManifest(unlocked.identity, { dossier, section, seq, at: new Date(), entries: shown, ends });
  try {
    await pageJson("PUT", `/api/v1/dossiers/${encodeURIComponent(dossier)}/sections/${encodeURIComponent(section)}/manifest`, statement);
  } catch (err) {
    if (err?.status === 409) return "ok"; // another device of the owner signed a newer one
    throw err;
  }
  window.localStorage.setItem(seqKey(dossier, section), String(seq));
  signedHere.set(key, statement);
  container.setAttribute("data-manifest", JSON.stringify(statement));
  return "signed";
}
