// Mijn gegevens meenemen (GDPR art. 20), like dossier/export.py: every section decrypted
// here (every version of every entry, each checked: author authorised, signatures, place),
// as <section>.json, plus every original file and a readable copy of it all (rugzak.html,
// export-html.js), zipped in the browser with fflate. The server
// only records that an export happened (a log event) and never sees any plaintext.
import * as c from "../crypto.js";
import { strToU8, zipSync } from "../../vendor/fflate/fflate.mjs";
import { csrfToken, messageFor, revealJs, showError } from "./common.js";
import {
  allVersions, dossierPath, freshState, me, sectionOf,
} from "./consent.js";
import { readableCopy } from "./export-html.js";
import { cards, label } from "./people.js";
import { download, pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);

function safeName(name) {
  const cleaned = String(name).replace(/[^\p{L}\p{N}_.\- ]/gu, "_").replace(/^[ .]+|[ .]+$/g, "");
  return (cleaned || "document").slice(0, 120);
}

/** [{receipt, grantee, members?}] from the section's append receipts, for entries by others
 *  (an organisation's members write under its receipt). */
function receiptsOf(authors) {
  const out = [];
  for (const item of authors) {
    const receipt = c.receiptFromJson(item.receipt);
    const members = item.grantee_kind === "organisation"
      ? { members: item.members, attestations: item.attestations, org_keys: item.org_keys }
      : {};
    if (item.end) members.end = item.end;
    for (const identity of item.identities) {
      if (c.equalBytes(c.fingerprint(c.publicIdentityFromJson(identity)), receipt.granteeKeyFingerprint)) {
        out.push({ receipt: item.receipt, grantee: identity, ...members });
      }
    }
  }
  return out;
}

/** The section's newest owner-signed manifest (null before the first); throws if forged. */
function manifestOf(state, key, listed) {
  if (listed.manifest === null || listed.manifest === undefined) return null;
  return c.verifyManifest(listed.manifest, me().identity.signPk, { dossier: state.dossier.id, section: key });
}

function openOne(state, section, item, receipts, first, manifest) {
  const { accountId, identity } = me();
  if (manifest !== null) c.checkListed(manifest, item.entry); // planted or backdated: refused
  const signer = c.authorisedSigner(item.entry.author, item.entry.at, {
    dossier: state.dossier.id, section: section.key, ownerId: accountId, owner: c.identityPublic(identity), receipts,
    listedEnds: manifest?.ends ?? null,
  });
  // A later version counts only from the author of the first (issue 19).
  c.verifyEntry(item.entry, { authorSignPk: signer.signPk, ownerSignPk: identity.signPk });
  c.checkFirstVersion(item.entry, first, { authorSignPk: signer.signPk, ownerSignPk: identity.signPk });
  return c.openEntryAndKey(item.entry, {
    boxSk: section.sk, authorSignPk: signer.signPk, ownerSignPk: identity.signPk,
    dossier: state.dossier.id, section: section.key, entry: item.entry.entry, version: item.entry.version,
  });
}

async function documentFile(state, item, opened) {
  const { entry, version } = item.entry;
  const path = `/api/v1/dossiers/${state.dossier.id}/sections/${c.DOCUMENT_SECTION}/entries/${entry}/versions/${version}/blob`;
  const response = await fetch(path, { headers: { "x-csrftoken": csrfToken() }, credentials: "same-origin" });
  if (!response.ok) throw new Error("download");
  const blob = await c.openDocumentToBlob(response.body, opened.dataKey, {
    dossier: state.dossier.id, section: c.DOCUMENT_SECTION, entry, version, blobSha256: c.b64d(opened.body.blob_sha256),
  });
  return new Uint8Array(await blob.arrayBuffer());
}

async function build(progress) {
  const state = await freshState();
  const files = {};
  const opened = [];
  const sections = state.dossier.sections;
  for (const [i, s] of sections.entries()) {
    progress(Math.round((100 * i) / sections.length), s.key);
    const section = sectionOf(state, s.key);
    const listed = await allVersions(state.dossier.id, s.key);
    const receipts = receiptsOf(await pageJson("GET", dossierPath(state.dossier.id, `/sections/${encodeURIComponent(s.key)}/authors`)));
    const byEntry = new Map();
    const firsts = new Map(listed.entries.filter((i) => i.entry.version === 1).map((i) => [i.entry.entry, i.entry]));
    const manifest = manifestOf(state, s.key, listed);
    for (const item of listed.entries) {
      const version = { version: item.entry.version, author: item.entry.author, created_at: item.created_at };
      try {
        const opened = openOne(state, section, item, receipts, firsts.get(item.entry.entry) ?? null, manifest);
        version.body = opened.body;
        if (s.key === c.DOCUMENT_SECTION && item.has_blob) {
          const name = `documenten/${item.entry.entry.slice(0, 8)}-v${item.entry.version}-${safeName(opened.body.name)}`;
          files[name] = [await documentFile(state, item, opened), { level: 0 }];
          version.file = name;
        }
      } catch (err) {
        if (!(err instanceof c.CryptoError)) throw err;
        version.error = "Dit stuk kon niet veilig worden geopend.";
      }
      byEntry.set(item.entry.entry, [...(byEntry.get(item.entry.entry) ?? []), version]);
    }
    const entries = [...byEntry].map(([entry, versions]) => ({ entry, versions: versions.sort((a, b) => a.version - b.version) }));
    // Listed in the owner's manifest but not given by the server (docs/crypto.md).
    const latest = new Map();
    for (const item of listed.entries) latest.set(item.entry.entry, Math.max(latest.get(item.entry.entry) ?? 0, item.entry.version));
    const withheld = manifest === null ? [] : c.withheld(manifest, latest);
    files[`${s.key}.json`] = strToU8(`${JSON.stringify({ section: s.key, entries, ...(withheld.length ? { withheld } : {}) }, null, 2)}\n`);
    opened.push({ section: s.key, entries });
  }
  // The readable copy beside the JSON: authors by the names on their profile cards.
  const names = cards(me(), state.connections);
  const who = (id) => (id === me().accountId ? "Jij" : label(names[id]) ?? `Iemand (${String(id).replaceAll("-", "").slice(0, 8).toUpperCase()})`);
  files["rugzak.html"] = strToU8(readableCopy(opened, who));
  files["toestemmingen.json"] = strToU8(`${JSON.stringify({ grants: state.grants, requests: state.requests }, null, 2)}\n`);
  return zipSync(files, { level: 6, mtime: new Date() });
}

async function start() {
  await c.ready;
  try { me(); } catch { $("slot").hidden = false; return; }
  revealJs();
  const button = $("download");
  button.addEventListener("click", async () => {
    button.disabled = true;
    showError($("fout"), "");
    const bar = $("voortgang");
    bar.hidden = false;
    try {
      await pageJson("POST", `/api/v1/dossiers/${$("meenemen").getAttribute("data-dossier")}/log/export`);
      const zip = await build((pct) => { bar.value = pct; $("status").textContent = `Bezig met openen… ${pct}%`; });
      bar.value = 100;
      download(`rugzak-${new Date().toISOString().slice(0, 10)}.zip`, new Blob([zip], { type: "application/zip" }));
      $("status").textContent = "Klaar. Je gegevens zijn gedownload.";
    } catch (err) {
      $("status").textContent = "";
      showError($("fout"), messageFor(err));
    } finally {
      button.disabled = false;
    }
  });
}

start();
