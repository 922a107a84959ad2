// One youth's shared view (loaded before htmx-rugzak.js): pin the youth, open their card,
// open my section keys from the envelopes, so the extension can open the entries; show the
// write forms once unlocked and explain a form that could not be sealed.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { loadSectionKeys, lockedBanner, openCard } from "./pro-keys.js";

const SEAL_MESSAGES = {
  locked: "Je sleutels zijn niet in dit tabblad. Open ze opnieuw; er is niets verstuurd.",
  "not a whole number": "Kies een cijfer.",
};

function reveal(root) {
  if (!c.isReady() || !keystore.isUnlocked()) return;
  root.querySelectorAll("[data-needs-js]").forEach((el) => { el.hidden = false; });
}

document.addEventListener("rugzak:seal-failed", (e) => {
  const box = e.target.querySelector(".rz-seal-error");
  if (box) { box.textContent = SEAL_MESSAGES[e.detail.reason] ?? "Dit kon niet veilig worden versleuteld. Er is niets verstuurd."; box.hidden = false; }
});
document.addEventListener("rugzak:opened", (e) => {
  e.target.querySelectorAll("[data-plain=klaar]").forEach((n) => { n.textContent = n.textContent === "true" ? "Ja" : "Nee"; });
  nestReaction(e.target);
});

/** Notes and reactions as one timeline: a youth's reaction (soort "reactie", op = the note's
 *  entry id) moves under the note it answers, in the order written. */
function nestReaction(article) {
  if (article.querySelector("[data-plain=soort]")?.textContent !== "reactie") return;
  const op = article.querySelector("[data-plain=op]")?.textContent ?? "";
  const block = article.closest("[data-section]");
  const list = op && block ? block.querySelector(`[data-reactions-for="${CSS.escape(op)}"]`) : null;
  const card = article.closest("li");
  if (!list || !card) return;
  const item = document.createElement("li");
  item.setAttribute("data-reaction", "");
  item.append(article);
  list.append(item);
  for (const empty of card.querySelectorAll(".rz-reactions:empty")) empty.remove();
  card.remove();
}
document.addEventListener("htmx:load", (e) => reveal(e.detail.elt));

// A refusal is shown where the coach is working: when the youth stopped sharing a section
// (403), that section's entries and form are removed at once and the reason takes their
// place, with focus on it; any other failure is said at the form, which stays.
const STOPPED = "De jongere deelt dit onderdeel niet meer met jou. Er is niets opgeslagen.";
const FAILED = "Opslaan lukte niet. Probeer het opnieuw.";

export function showRefusal(block) {
  const note = document.createElement("div");
  note.className = "utrecht-alert rz-alert rz-alert--error";
  note.setAttribute("role", "alert");
  note.setAttribute("tabindex", "-1");
  note.setAttribute("data-refused", "");
  const text = document.createElement("p");
  text.className = "utrecht-paragraph";
  text.textContent = STOPPED;
  note.append(text);
  const heading = block.querySelector("h2");
  block.replaceChildren(...(heading ? [heading, note] : [note]));
  block.removeAttribute("data-envelope");
  note.focus();
}

// Page errors answer htmx with 200, retargeted to #meldingen, and the status in a header
// (web/pages/errors.py); for a section's form the refusal goes to the section instead.
const WRITE = /^\/pro\/jongeren\/[0-9a-f-]+\/schrijven\/([a-z]+)$/;

document.addEventListener("htmx:beforeSwap", (e) => {
  const status = e.detail.xhr?.getResponseHeader("x-rugzak-status");
  const path = e.detail.pathInfo?.requestPath ?? e.detail.requestConfig?.path ?? "";
  const section = WRITE.exec(path)?.[1];
  const block = section ? document.getElementById(`sectie-${section}`) : null;
  const form = block?.querySelector("form");
  if (!status || !form || !block) return;
  e.detail.shouldSwap = false;
  if (status === "403") { showRefusal(block); return; }
  const box = form.querySelector(".rz-seal-error");
  if (box) { box.textContent = FAILED; box.hidden = false; }
});

c.ready.then(() => {
  const me = keystore.loadIdentity();
  if (me === null) {
    lockedBanner();
    return;
  }
  const youth = document.getElementById("jongere");
  try {
    if (youth) openCard(youth, me);
  } catch {
    youth.querySelectorAll("[data-name]").forEach((n) => { n.textContent = "Naam kon niet veilig worden geopend"; });
  }
  loadSectionKeys(document, me);
  reveal(document);
});
