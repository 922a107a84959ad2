// Mijn profielkaart: open my own card here, let me change it, seal it to myself and store it.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { messageFor, revealJs, showError } from "./common.js";
import { FIELDS, myProfile, saveProfile } from "./invite-card.js";
import { lockedBanner } from "./pro-keys.js";

const $ = (id) => document.getElementById(id);
const MISSING = {
  name: "Vul je naam in.",
  organisation: "Vul je organisatie in.",
  role: "Vul je rol in.",
  phone: "Vul je telefoonnummer in.",
};

async function start() {
  await c.ready;
  const me = keystore.loadIdentity();
  const form = $("profiel");
  if (!form) return;
  if (me === null) { lockedBanner(); return; }
  revealJs();
  try {
    const card = await myProfile(me);
    for (const f of FIELDS) if (typeof card?.[f] === "string") $(`profiel-${f}`).value = card[f];
  } catch (err) {
    showError($("fout"), messageFor(err));
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const card = {};
    let first = null;
    for (const f of FIELDS) {
      const input = $(`profiel-${f}`);
      card[f] = input.value.trim();
      const empty = card[f] === "";
      showError($(`profiel-${f}-fout`), empty ? MISSING[f] : "");
      input.setAttribute("aria-invalid", String(empty));
      if (empty && first === null) first = input;
    }
    if (first !== null) { first.focus(); return; }
    $("bewaar-profiel").disabled = true;
    try {
      await saveProfile(me, card);
      $("profiel-status").textContent = "Je profielkaart is bewaard.";
      const next = new URLSearchParams(window.location.search).get("verder");
      if (next === "/pro/uitnodigen") window.location.assign(next);
    } catch (err) {
      showError($("fout"), messageFor(err));
    } finally {
      $("bewaar-profiel").disabled = false;
    }
  });
}

start();
