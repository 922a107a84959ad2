// The campaign page (/campagne/{token}): check that both key codes belong to the keys the
// server sends (computed here); without a login, "Ja" opens the choice to make a rugzak or log
// in; logged in, "Ja" makes the grants like dossier/client/campaigns.py accept_campaign:
// per section an owner-signed receipt and the section key sealed to the RECEIVING
// organisation's key (pinned on first use), never to the school (campaign-grants.js).
// "Nee" is a plain form post.
import * as c from "../crypto.js";
import { messageFor, revealJs, say, showError } from "./common.js";
import { campaignGrants, codeMatches, expiryOf } from "./campaign-grants.js";
import { freshState, me } from "./consent.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);
const PAST_27 = "Delen kan tot je 27e verjaardag. Vraag je school wat je nu kunt doen.";

/** Both codes must be the digits of the keys shown; otherwise nothing may be sealed here. */
function codesMatch() {
  let ok = true;
  for (const id of ["code-ontvanger", "code-school"]) {
    const el = $(id);
    if (!el) continue;
    if (!codeMatches(el)) {
      el.textContent = "Deze sleutelcode klopt niet. Zeg nu geen ja.";
      ok = false;
    }
  }
  return ok;
}

function dutchDate(date) {
  const two = (n) => String(n).padStart(2, "0");
  return `${two(date.getUTCDate())}-${two(date.getUTCMonth() + 1)}-${date.getUTCFullYear()}`;
}

function anonymous() {
  const button = $("ja");
  const choice = $("ja-keuze");
  if (!button || !choice) return;
  choice.hidden = true;
  button.addEventListener("click", () => {
    const open = choice.hidden;
    choice.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) $("ja-keuze-titel").focus();
  });
}

async function accept(form) {
  const receiverEl = $("code-ontvanger");
  const receiver = receiverEl.getAttribute("data-org");
  const expiresAt = expiryOf(form);
  const purpose = form.getAttribute("data-purpose");
  const sections = form.getAttribute("data-sections").split(",");
  say($("bezig"), "Je toestemming wordt ondertekend en versleuteld…");
  const state = await freshState();
  const grants = campaignGrants(state, receiver, JSON.parse(receiverEl.getAttribute("data-identity")), { sections, purpose, expiresAt });
  const token = encodeURIComponent(form.getAttribute("data-token"));
  const done = await pageJson("POST", `/api/v1/campaign-invites/${token}/accept`, { grants });
  if (done.campaign.receiver.id !== receiver || done.state !== "accepted") throw new c.TamperedError("answered for someone else");
  return expiresAt;
}

function youth(form) {
  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    $("ja").disabled = true;
    showError($("fout"), "");
    try {
      const expiresAt = await accept(form);
      say($("klaar-tot"), dutchDate(expiresAt));
      $("antwoorden").hidden = true;
      $("antwoord-kop").hidden = true;
      say($("bezig"), "");
      $("klaar-ja").hidden = false;
      $("klaar-titel").focus();
    } catch (err) {
      say($("bezig"), "");
      const past27 = err?.code === "past-27";
      showError($("fout"), past27 ? PAST_27 : messageFor(err));
      $("fout").focus();
      $("ja").disabled = false;
    } finally {
      busy = false;
    }
  });
}

async function start() {
  await c.ready;
  if (!codesMatch()) {
    $("ja-formulier")?.remove();
    $("ja")?.remove();
    $("ja-keuze")?.remove();
    return;
  }
  const form = $("ja-formulier");
  if (!form) {
    revealJs();
    anonymous();
    return;
  }
  try {
    me();
  } catch {
    $("slot").hidden = false;
    return;
  }
  revealJs();
  youth(form);
}

start();
