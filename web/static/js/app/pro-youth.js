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
});
document.addEventListener("htmx:load", (e) => reveal(e.detail.elt));

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
