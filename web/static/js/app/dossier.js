// On every page of Mijn rugzak, loaded before htmx-rugzak.js: make sure this tab holds the
// owner's key of each section shown (the page carries it sealed to the owner's box key), fill
// edit forms from the opened entries, place reactions under their note, and explain a form
// that could not be sealed. Plaintext is only ever written with textContent or .value.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { datum, datumKort } from "./dates.js";

function lockedBanner() {
  const slot = document.getElementById("slot");
  if (slot) slot.hidden = false;
}

/** Open the owner's sealed section key of every [data-owner-sealed-sk] block, if missing. */
export function loadKeys(root = document) {
  const me = keystore.loadIdentity();
  const blocks = root.querySelectorAll("[data-owner-sealed-sk]");
  if (me === null) {
    if (blocks.length > 0) lockedBanner();
    return;
  }
  for (const block of blocks) {
    const dossier = block.getAttribute("data-dossier");
    const section = block.getAttribute("data-section");
    const version = Number(block.getAttribute("data-key-version"));
    if (keystore.sectionKey(dossier, section, version) !== null) continue;
    try {
      const signed = c.verifySectionKey(JSON.parse(block.getAttribute("data-section-key")), me.identity.signPk);
      if (signed.dossier !== dossier || signed.section !== section || signed.version !== version) throw new c.TamperedError();
      const sk = c.openSealed(me.identity.boxSk, c.b64d(block.getAttribute("data-owner-sealed-sk")));
      if (!c.equalBytes(c.boxPublicKey(sk), signed.pk)) throw new c.TamperedError();
      keystore.saveSectionKey(dossier, section, version, sk);
    } catch {
      lockedBanner();
    }
  }
}

function reveal(root) {
  if (!c.isReady() || !keystore.isUnlocked()) return; // before ready: c.ready.then below
  root.querySelectorAll("[data-needs-js]:not([data-removed-control])").forEach((el) => { el.hidden = false; });
}

/** After an entry opened: copy its values into forms marked data-fill-from="<entry id>". */
function fill(entryElt) {
  const id = entryElt.getAttribute("data-entry");
  const values = {};
  entryElt.querySelectorAll("[data-plain]").forEach((n) => { values[n.getAttribute("data-plain")] = n.textContent; });
  for (const target of document.querySelectorAll(`[data-fill-from="${CSS.escape(id)}"]`)) {
    const fields = target.matches("[data-sealed-field]") ? [target] : target.querySelectorAll("[data-sealed-field]");
    for (const field of fields) {
      const key = field.getAttribute("data-sealed-field");
      if (!Object.hasOwn(values, key)) continue;
      if (field.getAttribute("data-sealed-type") === "bool") field.checked = values[key] === "true";
      else field.value = values[key];
    }
  }
}

function tidy(entryElt) {
  // Dates in the one Dutch way (dates.js); the ISO value stays in data-iso for scripts.
  entryElt.querySelectorAll("[data-date]").forEach((n) => {
    if (n.hasAttribute("data-iso")) return;
    n.setAttribute("data-iso", n.textContent);
    n.textContent = n.getAttribute("data-date") === "kort" ? datumKort(n.textContent) : datum(n.textContent);
  });
  // Stored words (jongere, nulmeting...) in plain Dutch: data-words='{"stored":"shown"}'.
  entryElt.querySelectorAll("[data-words]").forEach((n) => {
    const words = JSON.parse(n.getAttribute("data-words"));
    if (Object.hasOwn(words, n.textContent)) n.textContent = words[n.textContent];
  });
  entryElt.querySelectorAll("[data-bool]").forEach((n) => { n.textContent = n.textContent === "true" ? "Ja" : "Nee"; });
  entryElt.querySelectorAll("[data-bytes]").forEach((n) => {
    const bytes = Number(n.textContent);
    if (!Number.isFinite(bytes) || n.textContent === "") return;
    n.textContent = bytes < 1024 * 1024 ? `(${Math.max(1, Math.round(bytes / 1024))} kB)` : `(${(bytes / 1024 / 1024).toFixed(1)} MB)`;
  });
  // A reaction (AVG art. 16) is shown under the note it answers.
  const soort = entryElt.querySelector("[data-plain=soort]")?.textContent;
  const op = entryElt.querySelector("[data-plain=op]")?.textContent;
  if (soort === "reactie" && op) {
    const list = document.getElementById(`reacties-${op}`);
    const card = entryElt.closest("li");
    if (list && card) {
      const item = document.createElement("li");
      item.appendChild(entryElt);
      list.appendChild(item);
      card.remove();
    }
  }
}

const SEAL_MESSAGES = {
  locked: "Je sleutels zijn niet in dit tabblad. Log opnieuw in; er is niets verstuurd.",
  "not a whole number": "Vul een heel getal in.",
};

document.addEventListener("rugzak:opened", (e) => {
  if (e.target.hasAttribute("data-removed")) {
    // A removed entry: nothing left to edit, download or remove.
    e.target.closest("li")?.querySelectorAll("form, [data-download]").forEach((n) => { n.hidden = true; n.setAttribute("data-removed-control", ""); });
    e.target.closest("li")?.classList.add("rz-card--removed");
    return;
  }
  fill(e.target);
  tidy(e.target);
});
/** Clear the field errors of a form (after a good seal or before showing a new one). */
function clearFieldErrors(form) {
  form.querySelectorAll(".rz-field-error").forEach((n) => n.remove());
  form.querySelectorAll("[aria-invalid]").forEach((f) => {
    f.removeAttribute("aria-invalid");
    const ids = (f.getAttribute("aria-describedby") ?? "").split(/\s+/).filter((id) => id && !id.endsWith("-fout"));
    if (ids.length) f.setAttribute("aria-describedby", ids.join(" "));
    else f.removeAttribute("aria-describedby");
  });
}

/** Show `text` at the field it is about (aria-invalid, described by the message, focused). */
export function fieldError(form, key, text) {
  const field = key === null ? null : form.querySelector(`[data-sealed-field="${CSS.escape(key)}"]:not([type=hidden])`);
  if (field === null || field.id === "") return false;
  const message = document.createElement("p");
  message.className = "rz-field-error utrecht-form-field-error-message";
  message.id = `${field.id}-fout`;
  message.setAttribute("role", "alert");
  message.textContent = text;
  field.insertAdjacentElement("beforebegin", message);
  field.setAttribute("aria-invalid", "true");
  field.setAttribute("aria-describedby", `${field.getAttribute("aria-describedby") ?? ""} ${message.id}`.trim());
  field.focus();
  return true;
}

document.addEventListener("rugzak:seal-failed", (e) => {
  const form = e.target;
  const box = form.querySelector(".rz-seal-error");
  clearFieldErrors(form);
  if (box) box.hidden = true;
  const text = e.detail.text ?? SEAL_MESSAGES[e.detail.reason] ?? "Dit kon niet veilig worden versleuteld. Er is niets verstuurd.";
  if (e.detail.text !== null && fieldError(form, e.detail.field, text)) return;
  if (box) { box.textContent = text; box.hidden = false; }
});
document.addEventListener("rugzak:sealed", (e) => {
  const box = e.target.querySelector(".rz-seal-error");
  clearFieldErrors(e.target);
  if (box) box.hidden = true;
});
// A sealing form must never be sent as a plain form (it would carry no entry).
document.addEventListener("submit", (e) => {
  if (e.target instanceof HTMLFormElement && e.target.hasAttribute("data-seal") && !window.htmx) e.preventDefault();
});
document.addEventListener("htmx:load", (e) => reveal(e.detail.elt));

c.ready.then(() => {
  loadKeys(document);
  reveal(document);
});
