// Section manifests (dossier/crypto/manifests.py): the owner's signed list of the latest
// version of every entry of a section, so the server cannot plant, withhold or roll back
// entries unnoticed. GRACE is twice the server's clock-skew window.
import {
  MAX_SAFE_INT, b64e, canonical, equalBytes, formatTime, getBytes, getInt, getStr, isPlainObject,
  parseTime, sha256,
} from "./encoding.js";
import { MalformedError, TamperedError } from "./errors.js";
import { signStatement, verifyStatement } from "./statements.js";

export const MANIFEST = "manifest";
export const GRACE_MS = 10 * 60 * 1000;
const FIELDS = ["at", "dossier", "ends", "entries", "kind", "section", "seq"];

export class UnlistedEntry extends TamperedError {
  constructor(message = "entry is not in the owner's manifest") {
    super(message);
  }
}

const sig = (entryJson) => getBytes(entryJson, "signature", 64);

export function listing(entryJson) {
  return { version: entryJson.version, signature_sha256: b64e(sha256(sig(entryJson))) };
}

export function signManifest(owner, { dossier, section, seq, at, entries, ends = {} }) {
  const listed = {};
  for (const e of entries) {
    if (e.dossier !== dossier || e.section !== section) throw new MalformedError("entry of another section");
    if (Object.hasOwn(listed, e.entry) && listed[e.entry].version >= e.version) continue;
    listed[e.entry] = listing(e);
  }
  const ended = Object.fromEntries(Object.entries(ends).map(([grant, when]) => [grant, formatTime(typeof when === "number" ? new Date(when) : when)]));
  return signStatement(owner, { kind: MANIFEST, dossier, section, seq, at: formatTime(at), entries: listed, ends: ended });
}

/** { dossier, section, seq, at (epoch ms), entries: Map(id -> { version, hash }), ends: { grant:
 *  epoch ms } }. Order: `v`,
 *  the signature (TamperedError), then the fields (MalformedError). */
export function verifyManifest(statement, ownerSignPk, { dossier, section }) {
  const fields = verifyStatement(statement, ownerSignPk);
  if (!equalBytes(canonical(Object.keys(fields).sort()), canonical(FIELDS)) || fields.kind !== MANIFEST) {
    throw new MalformedError("not a manifest");
  }
  if (fields.dossier !== dossier || fields.section !== section) throw new MalformedError("the manifest is of another section");
  const seq = getInt(fields, "seq");
  if (seq < 1 || seq > MAX_SAFE_INT) throw new MalformedError("seq: expected a positive integer");
  if (!isPlainObject(fields.entries)) throw new MalformedError("entries: expected an object");
  const entries = new Map();
  for (const [id, item] of Object.entries(fields.entries)) {
    if (!isPlainObject(item) || !equalBytes(canonical(Object.keys(item).sort()), canonical(["signature_sha256", "version"]))) {
      throw new MalformedError("entries: expected {version, signature_sha256}");
    }
    const version = getInt(item, "version");
    if (version < 1) throw new MalformedError("version: expected a positive integer");
    entries.set(id, { version, hash: getBytes(item, "signature_sha256", 32) });
  }
  if (!isPlainObject(fields.ends)) throw new MalformedError("ends: expected an object");
  const ends = {};
  for (const [grant, when] of Object.entries(fields.ends)) ends[grant] = parseTime(when);
  return { dossier, section, seq, at: parseTime(getStr(fields, "at")), entries, ends };
}

/** Accept one shown version against the manifest, or throw (UnlistedEntry, TamperedError). */
export function checkListed(manifest, entryJson) {
  const listed = manifest.entries.get(entryJson.entry);
  if (listed !== undefined && entryJson.version <= listed.version) {
    if (entryJson.version === listed.version && !equalBytes(sha256(sig(entryJson)), listed.hash)) {
      throw new TamperedError("another version than the owner's manifest lists");
    }
    return;
  }
  if (parseTime(entryJson.at) < manifest.at - GRACE_MS) throw new UnlistedEntry();
}

/** Listed entry ids the server does not show, or shows older (`shown`: Map id -> version). */
export function withheld(manifest, shown) {
  return [...manifest.entries].filter(([id, { version }]) => (shown.get(id) ?? 0) < version).map(([id]) => id).sort();
}
