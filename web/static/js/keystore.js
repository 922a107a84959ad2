// Unlocked keys of this tab: in memory, mirrored to sessionStorage so they survive a page
// navigation in the same tab. sessionStorage belongs to one tab and is dropped by the browser
// when the tab closes; nothing here is ever written to localStorage, IndexedDB or cookies,
// and nothing is sent anywhere. wipe() (on logout) clears both. See docs/browser-crypto.md.
import {
  TamperedError, b64d, b64e, identityFromSecret, identitySecret,
  publicIdentityFromJson, publicIdentityToJson, sameIdentity,
} from "./crypto.js";
import { S, isReady } from "./crypto/sodium.js";

export const STORAGE_KEY = "rugzak.keystore.v1";

let state = null; // { account, identity, sections: Map, owners: Map }

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: keys live in memory only, for this page
  }
}

function persist() {
  const store = storage();
  if (store === null || state === null) return;
  const json = {
    v: 1,
    account: state.account,
    identity: state.identity === null ? null : b64e(identitySecret(state.identity)),
    sections: Object.fromEntries([...state.sections].map(([k, sk]) => [k, b64e(sk)])),
    owners: Object.fromEntries([...state.owners].map(([k, o]) => [k, { id: o.id, identity: publicIdentityToJson(o.identity) }])),
  };
  store.setItem(STORAGE_KEY, JSON.stringify(json));
}

function load() {
  if (state !== null) return state;
  if (!isReady()) throw new Error("libsodium is not ready yet: await ready first");
  state = { account: null, identity: null, sections: new Map(), owners: new Map() };
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) return state;
  try {
    const json = JSON.parse(raw);
    if (json.v !== 1) throw new Error("unknown keystore version");
    state.account = json.account;
    state.identity = json.identity === null ? null : identityFromSecret(b64d(json.identity));
    for (const [k, sk] of Object.entries(json.sections ?? {})) state.sections.set(k, b64d(sk));
    for (const [k, o] of Object.entries(json.owners ?? {})) {
      state.owners.set(k, { id: o.id, identity: publicIdentityFromJson(o.identity) });
    }
  } catch {
    wipe(); // unreadable: start locked rather than half-unlocked
    state = { account: null, identity: null, sections: new Map(), owners: new Map() };
  }
  return state;
}

const sectionSlot = (dossier, section, keyVersion) => JSON.stringify([dossier, section, keyVersion]);

/** After login/unlock: the account id and its identity (from openBundle). */
export function saveIdentity(accountId, identity) {
  const s = load();
  s.account = accountId;
  s.identity = identity;
  persist();
}

/** { accountId, identity } or null when this tab is locked. */
export function loadIdentity() {
  const s = load();
  return s.identity === null ? null : { accountId: s.account, identity: s.identity };
}

export function isUnlocked() {
  return loadIdentity() !== null;
}

/** A section private key (opened from a read-grant envelope, or the owner's own). */
export function saveSectionKey(dossier, section, keyVersion, sk) {
  load().sections.set(sectionSlot(dossier, section, keyVersion), Uint8Array.from(sk));
  persist();
}

export function sectionKey(dossier, section, keyVersion) {
  return load().sections.get(sectionSlot(dossier, section, keyVersion)) ?? null;
}

/**
 * Pin the owner of a dossier (trust on first use for this tab). A later, different owner
 * identity for the same dossier throws TamperedError instead of replacing the pin.
 */
export function pinOwner(dossier, ownerId, identity) {
  const pub = identity.boxPk instanceof Uint8Array ? identity : publicIdentityFromJson(identity);
  const s = load();
  const have = s.owners.get(dossier);
  if (have !== undefined) {
    if (have.id !== ownerId || !sameIdentity(have.identity, pub)) {
      throw new TamperedError("the dossier owner's key changed");
    }
    return have;
  }
  const pinned = { id: ownerId, identity: pub };
  s.owners.set(dossier, pinned);
  persist();
  return pinned;
}

/** { id, identity } of the pinned owner of a dossier, or null. */
export function owner(dossier) {
  return load().owners.get(dossier) ?? null;
}

/** Forget every key of this tab: memory (overwritten) and the tab's sessionStorage. */
export function wipe() {
  if (state !== null && isReady()) {
    const zero = (bytes) => bytes instanceof Uint8Array && S().memzero(bytes);
    if (state.identity !== null) ["boxSk", "signSeed", "signSk"].forEach((k) => zero(state.identity[k]));
    state.sections.forEach(zero);
  }
  state = null;
  // The whole tab session: our keys and htmx's history snapshots (which could hold plaintext).
  storage()?.clear();
}

/**
 * Wipe on logout: a click or submit on any [data-rugzak-logout] element, and on any page
 * whose <body> carries data-rugzak-wipe (the page the server shows after logging out).
 */
export function installLogoutWipe(doc = document) {
  const handler = (event) => {
    if (event.target instanceof Element && event.target.closest("[data-rugzak-logout]")) wipe();
  };
  doc.addEventListener("click", handler, true);
  doc.addEventListener("submit", handler, true);
  const check = () => {
    if (doc.body?.hasAttribute("data-rugzak-wipe")) wipe();
  };
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", check, { once: true });
  else check();
}
