// htmx 2 extension "rugzak": seals forms marked data-seal before they are sent, and opens every
// element carrying data-ciphertext after a swap, writing plaintext with textContent only.
// The attribute contract is in docs/browser-crypto.md. Load order:
//   <script src="/static/vendor/htmx/htmx.min.js" defer></script>
//   <script type="module" src="/static/js/htmx-rugzak.js"></script>
//   <body hx-ext="rugzak">
// Argon2 never runs here; sealing and opening are synchronous once libsodium is ready.
import * as c from "./crypto.js";
import * as keystore from "./keystore.js";
import { afterOpen, checkEntry, manifestFor } from "./section-manifest.js";

export const NAME = "rugzak";
const FAILED_TEXT = "Dit stuk kon niet veilig worden geopend.";
// A later version by someone other than the author of the first (issue 19).
const ANOTHER_AUTHOR_TEXT = "Deze versie is niet gemaakt door wie dit stuk schreef. We laten haar daarom niet zien.";

function emit(elt, name, detail) {
  elt.dispatchEvent(new CustomEvent(name, { bubbles: true, detail }));
}

function attr(elt, name) {
  const holder = elt.closest(`[${name}]`);
  return holder === null ? null : holder.getAttribute(name);
}

function requireAttr(elt, name) {
  const value = attr(elt, name);
  if (value === null || value === "") throw new SealError(`missing ${name}`);
  return value;
}

function jsonAttr(elt, name) {
  const value = attr(elt, name);
  return value === null ? null : c.wireJson(value);
}

function intAttr(elt, name, fallback) {
  const value = attr(elt, name);
  if (value === null || value === "") return fallback;
  if (!/^(0|[1-9][0-9]*)$/.test(value)) throw new SealError(`${name} is not a whole number`);
  return Number(value);
}

class SealError extends Error {
  /** `field`: the [data-sealed-field] key the reason is about; `message` stays the reason. */
  constructor(reason, field = null, text = null) {
    super(reason);
    this.field = field;
    this.text = text;
  }
}

/** The input rules of the page config (dossier/sections/input.py), or null without one. */
function inputRules() {
  const el = document.getElementById("rugzak-config");
  return el === null ? null : JSON.parse(el.textContent).input ?? null;
}

const REMOVED = Object.freeze({ verwijderd: true });

const filled = (v) => (typeof v === "string" ? v.trim() !== "" : v !== null && v !== undefined);

/** Refuse an empty or too long body before sealing (the server cannot see inside). */
export function checkBody(section, body, rules = inputRules()) {
  if (rules === null) return;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === "string" && value.length > rules.max_text_chars) {
      throw new SealError("too-long", key, rules.too_long.replace("{nu}", value.length.toLocaleString("nl-NL")));
    }
  }
  const markers = new Set(rules.markers);
  if (!Object.entries(body).some(([k, v]) => !markers.has(k) && filled(v))) {
    const at = rules.empty_at[section] ?? null;
    throw new SealError("empty", at?.field ?? null, at?.message ?? rules.empty_any);
  }
}

/** The pinned owner of a dossier; pins data-owner-id/data-owner-identity on first use. */
function ownerOf(elt, dossier) {
  const pinned = keystore.owner(dossier);
  const id = attr(elt, "data-owner-id");
  const identity = jsonAttr(elt, "data-owner-identity");
  if (id !== null && identity !== null) return keystore.pinOwner(dossier, id, identity);
  if (pinned !== null) return pinned;
  throw new SealError("the dossier owner is unknown");
}

function fieldValue(field) {
  const type = field.getAttribute("data-sealed-type") ?? "text";
  if (type === "bool") return Boolean(field.checked);
  const raw = field.value;
  if (type === "int") {
    if (!/^-?(0|[1-9][0-9]*)$/.test(raw.trim())) throw new SealError("not a whole number");
    return Number(raw.trim());
  }
  return raw;
}

/** Collect the body of a data-seal form: every [data-sealed-field] inside it. */
export function collectBody(form) {
  const body = {};
  for (const field of form.querySelectorAll("[data-sealed-field]")) {
    const key = field.getAttribute("data-sealed-field") || field.getAttribute("name");
    if (!key) throw new SealError("a sealed field has no key");
    if (field.matches("input[type=radio]") && !field.checked) continue;
    body[key] = fieldValue(field);
  }
  return body;
}

/** Seal a data-seal form; returns { entry (wire JSON), names (the plaintext parameter names) }. */
export function sealForm(form) {
  const unlocked = keystore.loadIdentity();
  if (unlocked === null) throw new SealError("locked");
  const dossier = requireAttr(form, "data-dossier");
  const section = requireAttr(form, "data-section");
  const owner = ownerOf(form, dossier);
  const sectionKey = c.verifySectionKey(JSON.parse(requireAttr(form, "data-section-key")), owner.identity.signPk);
  const entry = form.getAttribute("data-entry") || crypto.randomUUID();
  const version = intAttr(form, "data-version", 1);
  // data-seal-remove: the next version is the tombstone {verwijderd: true} (a removed entry).
  const body = form.hasAttribute("data-seal-remove") ? { ...REMOVED } : collectBody(form);
  if (!form.hasAttribute("data-seal-remove")) checkBody(section, body);
  const sealed = c.sealEntry(body, {
    dossier, section, entry, version, authorId: unlocked.accountId, author: unlocked.identity, sectionKey,
  });
  const names = [...form.querySelectorAll("[data-sealed-field][name]")].map((f) => f.getAttribute("name"));
  return { entry: sealed, names };
}

function onConfigRequest(evt) {
  const detail = evt.detail;
  const form = detail.elt instanceof Element ? detail.elt.closest("[data-seal]") : null;
  if (form === null) return true;
  try {
    if (!c.isReady()) throw new SealError("not-ready");
    if (detail.useUrlParams) throw new SealError("a sealed form must use POST, PUT or PATCH");
    const { entry } = sealForm(form);
    const keep = new Set((form.getAttribute("data-seal-keep") ?? "").split(/\s+/).filter(Boolean));
    const params = new FormData();
    for (const name of keep) {
      for (const value of detail.formData.getAll(name)) params.append(name, value);
    }
    params.set("entry", JSON.stringify(entry));
    // Replace, not mutate: htmx reads the request body from detail.parameters after this event.
    detail.parameters = params;
    detail.formData = params;
    emit(form, "rugzak:sealed", { entry: entry.entry, version: entry.version });
    return true;
  } catch (err) {
    // Never let a request go out unsealed: cancel it and tell the page why.
    evt.preventDefault();
    const reason = err instanceof SealError || err instanceof c.CryptoError ? err.message : "error";
    emit(form, "rugzak:seal-failed", { reason, error: err?.name ?? "Error", field: err?.field ?? null, text: err?.text ?? null });
    return false;
  }
}

function show(elt, body) {
  if (body.verwijderd === true && Object.keys(body).length === 1) {
    // A tombstone: say so in place of the fields, and let pages hide what acts on the entry.
    elt.setAttribute("data-removed", "");
    elt.querySelectorAll("[data-plain]").forEach((n) => { n.textContent = ""; });
    elt.textContent = elt.getAttribute("data-removed-text") ?? "Verwijderd.";
    return;
  }
  const targets = elt.querySelectorAll("[data-plain]");
  const write = (node, key) => {
    const value = Object.hasOwn(body, key) ? body[key] : null;
    node.textContent = value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);
  };
  if (targets.length > 0) {
    for (const node of targets) write(node, node.getAttribute("data-plain"));
  } else {
    write(elt, elt.getAttribute("data-field") || "text");
  }
}

/** Open one [data-ciphertext] element in place; throws on any failure. */
export function openElement(elt) {
  const unlocked = keystore.loadIdentity();
  if (unlocked === null) throw new SealError("locked");
  const sealed = c.wireJson(elt.getAttribute("data-ciphertext"));
  const dossier = requireAttr(elt, "data-dossier");
  const section = requireAttr(elt, "data-section");
  const entry = elt.getAttribute("data-entry");
  if (!entry) throw new SealError("missing data-entry");
  const owner = ownerOf(elt, dossier);
  const authorIdentity = jsonAttr(elt, "data-author-identity");
  const isAuthor = sealed.author === unlocked.accountId;
  const sectionSk = keystore.sectionKey(dossier, section, sealed.key_version);
  const useAuthorCopy = sectionSk === null && isAuthor;
  const boxSk = useAuthorCopy ? unlocked.identity.boxSk : sectionSk;
  if (boxSk === null) throw new SealError("no key for this section");
  const version = elt.getAttribute("data-version");
  if (version !== null && !/^(0|[1-9][0-9]*)$/.test(version)) throw new SealError("data-version is not a whole number");
  const manifest = manifestFor(elt, owner.identity.signPk, dossier, section);
  const body = c.verifyAndOpenEntry(sealed, {
    listedEnds: manifest?.ends ?? null, // grant ends the owner's manifest lists
    boxSk,
    at: sealed.at, // the author's signed time, checked against the grant's validity
    ownerId: owner.id,
    owner: owner.identity,
    receipts: jsonAttr(elt, "data-receipts") ?? [],
    memberOf: jsonAttr(elt, "data-member-of"),
    authorIdentity: isAuthor ? c.identityPublic(unlocked.identity) : authorIdentity,
    dossier,
    section,
    entry,
    version: version === null ? null : Number(version),
    useAuthorCopy,
    first: jsonAttr(elt, "data-first"),
  });
  checkEntry(manifest, sealed);
  show(elt, body);
  return body;
}

/** Open every [data-ciphertext] element in root (and root itself); never throws. */
export function openAll(root) {
  if (!(root instanceof Element || root instanceof Document)) return;
  const elements = [...root.querySelectorAll("[data-ciphertext]")];
  if (root instanceof Element && root.hasAttribute("data-ciphertext")) elements.unshift(root);
  for (const elt of elements) {
    if (elt.getAttribute("data-crypto") === "open") continue;
    try {
      openElement(elt);
      elt.setAttribute("data-crypto", "open");
      emit(elt, "rugzak:opened", {});
    } catch (err) {
      elt.setAttribute("data-crypto", "failed");
      elt.querySelectorAll("[data-plain]").forEach((n) => { n.textContent = ""; });
      elt.textContent = err instanceof c.AnotherAuthor ? ANOTHER_AUTHOR_TEXT : (elt.getAttribute("data-failed-text") ?? FAILED_TEXT);
      emit(elt, "rugzak:open-failed", { reason: err instanceof SealError || err instanceof c.CryptoError ? err.message : "error", error: err?.name ?? "Error" });
    }
  }
  checkWholeSections(root);
}

/** A page showing a whole section (data-manifest-complete): the withheld check, and the
 *  owner's tab signing a new manifest (section-manifest.js). Never throws. */
function checkWholeSections(root) {
  const containers = [...root.querySelectorAll("[data-manifest-complete]")];
  if (root instanceof Element && root.hasAttribute("data-manifest-complete")) containers.unshift(root);
  for (const container of containers) {
    try {
      const owner = ownerOf(container, requireAttr(container, "data-dossier"));
      afterOpen(container, owner.id, owner.identity.signPk)
        .then((state) => emit(container, "rugzak:manifest", { state }))
        .catch((err) => emit(container, "rugzak:manifest", { state: "failed", error: err?.name ?? "Error" }));
    } catch (err) {
      emit(container, "rugzak:manifest", { state: "failed", error: err?.name ?? "Error" });
    }
  }
}

function inScope(elt) {
  const holder = elt.closest("[hx-ext],[data-hx-ext]");
  const list = holder?.getAttribute("hx-ext") ?? holder?.getAttribute("data-hx-ext") ?? "";
  return list.split(",").map((s) => s.trim()).includes(NAME);
}

function openWhenReady(root) {
  if (c.isReady()) openAll(root);
  else c.ready.then(() => openAll(root));
}

export function register(htmx) {
  // Decrypted text must never be snapshotted into storage by htmx's history cache.
  htmx.config.historyCacheSize = 0;
  htmx.config.allowEval = false;
  htmx.config.allowScriptTags = false;
  htmx.defineExtension(NAME, {
    onEvent(name, evt) {
      if (name === "htmx:configRequest") return onConfigRequest(evt);
      if (name === "htmx:load") openWhenReady(evt.detail.elt);
      return true;
    },
  });
  keystore.installLogoutWipe(document);
  // Content that was on the page before the extension existed (htmx:load may have fired).
  const initial = () => {
    if (document.body && inScope(document.body)) openWhenReady(document.body);
    else document.querySelectorAll("[hx-ext],[data-hx-ext]").forEach((el) => inScope(el) && openWhenReady(el));
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initial, { once: true });
  else initial();
}

if (typeof window !== "undefined" && window.htmx) {
  register(window.htmx);
} else if (typeof window !== "undefined") {
  window.addEventListener("DOMContentLoaded", () => {
    if (window.htmx) register(window.htmx);
    else console.error("htmx-rugzak.js: load htmx.min.js before this module");
  }, { once: true });
}
