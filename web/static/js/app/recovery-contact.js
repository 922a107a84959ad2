// Iemand vraagt je hulp (dossier/client/recovery.py recovery_challenge, approve_recovery): the
// contact's browser picks the challenge after it has seen the new device's key, shows the
// short code, and re-seals its share to that key only when the code typed over from the
// youth's device matches and the youth signed this share for this account.
import * as c from "../crypto.js";
import { messageFor, revealJs, showError } from "./common.js";
import { me } from "./consent.js";
import { label, openCard, trust } from "./people.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);
const challenges = new Map();
const digits = (text) => text.replace(/\D/g, "");

function el(tag, cls, text) {
  const out = document.createElement(tag);
  if (cls) out.className = cls;
  if (text) out.textContent = text;
  return out;
}

async function makeCode(req, codeEl) {
  const challenge = c.newChallenge();
  await pageJson("POST", `/api/v1/recovery/asked/${req.id}/challenge`, { challenge: c.b64e(challenge) });
  challenges.set(req.id, challenge);
  codeEl.textContent = c.recoveryShortCode(c.b64d(req.device_pk), req.id, challenge);
}

async function approve(req, typed) {
  const mine = me();
  const challenge = challenges.get(req.id);
  const devicePk = c.b64d(req.device_pk);
  if (!challenge || digits(typed) !== digits(c.recoveryShortCode(devicePk, req.id, challenge))) {
    throw new Error("code");
  }
  const youth = trust(req.youth, req.youth_identity);
  const sealed = c.b64d(req.sealed);
  c.checkShareFor(req.setup, youth.signPk, { account: req.youth, contactId: mine.accountId, sealedShare: sealed });
  const resealed = c.reseal(mine.identity.boxSk, sealed, devicePk);
  await pageJson("POST", `/api/v1/recovery/asked/${req.id}/approve`, {
    challenge: c.b64e(challenge), resealed: c.b64e(resealed),
  });
}

/** { youth id: name } from the cards the youths sealed to me (the server cannot read them). */
async function names() {
  const mine = me();
  const out = {};
  for (const conn of await pageJson("GET", "/api/v1/connections")) {
    const card = openCard(mine, conn.other_id, conn.other_identity, conn.card);
    // A youth's card has display_name (invite.js); a professional's has name.
    const name = typeof card?.display_name === "string" && card.display_name ? card.display_name : label(card);
    if (name) out[conn.other_id] = name;
  }
  return out;
}

function card(req, name) {
  const li = el("li", "rz-card");
  li.setAttribute("data-verzoek", req.id);
  li.append(el("h2", "utrecht-heading-3", `${name ?? "Een jongere"} vraagt je hulp`));
  li.append(el("p", "utrecht-paragraph", req.approved
    ? "Je hebt deze vraag goedgekeurd. Na de wachttijd kan de jongere er weer in."
    : `Gevraagd op ${new Date(req.started_at).toLocaleString("nl-NL", { timeZone: "Europe/Amsterdam" })}.`));
  if (req.approved) return li;
  const make = el("button", "utrecht-button utrecht-button--secondary-action", "Maak de code");
  make.type = "button";
  const code = el("p", "rz-code");
  code.setAttribute("aria-live", "polite");
  const field = el("div", "utrecht-form-field rz-field");
  const lab = el("label", "utrecht-form-label", "Code op het scherm van de jongere");
  lab.htmlFor = `code-${req.id}`;
  const input = el("input", "utrecht-textbox");
  input.id = `code-${req.id}`;
  input.inputMode = "numeric";
  input.autocomplete = "off";
  field.append(lab, input);
  const ok = el("button", "utrecht-button utrecht-button--primary-action", "Goedkeuren");
  ok.type = "button";
  const error = el("p", "rz-form-error");
  error.setAttribute("role", "alert");
  error.hidden = true;
  make.addEventListener("click", async () => {
    try { await makeCode(req, code); showError(error, ""); } catch (err) { showError(error, messageFor(err)); }
  });
  ok.addEventListener("click", async () => {
    try {
      await approve(req, input.value);
      li.replaceChildren(el("p", "utrecht-paragraph", "Goedgekeurd. Na de wachttijd kan de jongere er weer in."));
    } catch (err) {
      showError(error, err.message === "code"
        ? "De codes zijn niet hetzelfde. Keur niets goed. Vraag de jongere om opnieuw te beginnen."
        : messageFor(err));
    }
  });
  li.append(make, code, field, ok, error);
  return li;
}

async function start() {
  revealJs();
  await c.ready;
  try {
    const asked = await pageJson("GET", "/api/v1/recovery/asked");
    const box = $("verzoeken");
    box.replaceChildren();
    if (asked.length === 0) {
      box.append(el("p", "utrecht-paragraph", "Niemand vraagt nu je hulp."));
      return;
    }
    const who = await names().catch(() => ({}));
    const list = el("ul", "rz-cards");
    for (const req of asked) list.append(card(req, who[req.youth]));
    box.append(list);
  } catch (err) {
    showError($("fout"), messageFor(err));
  }
}

start();
