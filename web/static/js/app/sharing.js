// Delen: names from the opened profile cards, sharing (receipts and envelopes made here),
// "Intrekken" in one tap (revoke + rotation), "Op de achtergrond" (nazorg step-down: narrow
// grants made here, everything else ended, then rotation), answers to consent requests
// (signed statements; a yes to a nazorg proposal signs `step_down` and rotates; a handover's
// note is checked and a yes seals her card to the next professional, handover-answer.js), and "Vragen van je school": "Toch ja" makes the grants like the campaign page
// (campaign-grants.js), "Intrekken" revokes and rotates like the one-tap revoke. After each
// action the page reloads with a fixed message (?melding=…).
import * as c from "../crypto.js";
import { campaignGrants, codeMatches, expiryOf as campaignExpiry } from "./campaign-grants.js";
import { messageFor, revealJs, showError } from "./common.js";
import { grantLimits } from "./config.js";
import {
  dossierPath, freshState, grantItem, me, requestStatement, revoke, settle,
} from "./consent.js";
import { cardFor, showHandovers } from "./handover-answer.js";
import { cards, fillNames, party } from "./people.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);
const AFTERCARE = { sections: ["contact", "plan"], days: 182, purpose: "Nazorg: op de achtergrond" };
const PAST_27 = "Delen kan tot je 27e verjaardag. Kies een eerdere datum, of vink aan dat je toch langer wilt delen.";
let busy = false;

function status(text) {
  $("bezig").textContent = text;
}

function done(message) {
  window.location.assign(`/delen?melding=${message}`);
}

async function guarded(errorEl, work) {
  if (busy) return;
  busy = true;
  showError(errorEl, "");
  try {
    await work();
  } catch (err) {
    status("");
    const past27 = err?.code === "past-27";
    showError(errorEl, past27 ? PAST_27 : messageFor(err));
    errorEl?.focus?.();
  } finally {
    busy = false;
  }
}

function expiryOf(form) {
  const value = form.querySelector("[data-expiry]").value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  return new Date(`${value}T23:59:59Z`);
}

async function share(form) {
  const errorEl = form.querySelector("[data-share-error]");
  const chosen = new Map();
  form.querySelectorAll("input[data-permission]:checked").forEach((box) => {
    const key = box.getAttribute("data-section");
    chosen.set(key, [...(chosen.get(key) ?? []), box.getAttribute("data-permission")]);
  });
  if (chosen.size === 0) { showError(errorEl, "Vink eerst aan wat je wilt delen."); return; }
  const expiresAt = expiryOf(form);
  if (expiresAt === null || expiresAt.getTime() <= Date.now()) { showError(errorEl, "Kies een datum in de toekomst."); return; }
  const latest = grantLimits()?.latest_until;
  const renewed = form.querySelector("[data-renew-27]")?.checked ?? false;
  if (latest && !renewed && expiresAt.toISOString().slice(0, 10) > latest) { showError(errorEl, PAST_27); return; }
  const extra = form.querySelector("[data-purpose-text]").value.trim();
  const purpose = form.querySelector("[data-purpose]").value + (extra ? `: ${extra}` : "");
  await guarded(errorEl, async () => {
    status("Je toestemming wordt ondertekend en versleuteld…");
    const state = await freshState();
    const grantee = form.getAttribute("data-share");
    const who = await party(grantee);
    const grants = [...chosen].map(([key, permissions]) => grantItem(state, key, grantee, who, { permissions, purpose, expiresAt, renewedPast27: renewed }));
    await pageJson("POST", dossierPath(state.dossier.id, "/grants"), { grants });
    done("gedeeld");
  });
}

async function revokeOne(button) {
  await guarded($("fout"), async () => {
    button.disabled = true;
    status("Intrekken: de toegang stopt nu, en de sleutel wordt vervangen…");
    await revoke([button.getAttribute("data-revoke")]);
    done("ingetrokken");
  }).finally(() => { button.disabled = false; });
}

/** Ending a connection revokes everything shared with that person in the same request;
 *  then the sections they could read get new keys, as with "Intrekken". */
async function endConnection(button) {
  await guarded(button.closest("details").querySelector("[data-end-error]"), async () => {
    button.disabled = true;
    status("De verbinding wordt verbroken, en de sleutels worden vervangen…");
    const connection = encodeURIComponent(button.getAttribute("data-end-connection"));
    const { sections } = await pageJson("DELETE", `/api/v1/connections/${connection}`);
    await settle(sections);
    done("verbroken");
  }).finally(() => { button.disabled = false; });
}

/** The end date of a new grant: `days` from now, but never past the day before the 27th
 *  birthday (the page's latest date, when there is one). */
function until(days) {
  const wanted = new Date(Date.now() + days * 86_400_000);
  const latest = grantLimits()?.latest_until;
  if (!latest) return wanted;
  const cap = new Date(`${latest}T23:59:59Z`);
  return cap < wanted ? cap : wanted;
}

/** Nazorg started by the youth: read on contact and plan for half a year, everything else
 *  this person may do ends in the same request; then the sections they read get new keys. */
async function stepDown(button) {
  await guarded(button.closest("details").querySelector("[data-step-down-error]"), async () => {
    button.disabled = true;
    status("Je zet deze persoon op de achtergrond, en de sleutels worden vervangen…");
    const grantee = button.getAttribute("data-step-down");
    const state = await freshState();
    const who = await party(grantee);
    const expiresAt = until(AFTERCARE.days);
    const grants = AFTERCARE.sections.map((key) => grantItem(state, key, grantee, who, {
      permissions: ["read"], purpose: AFTERCARE.purpose, expiresAt,
    }));
    const path = dossierPath(state.dossier.id, `/parties/${encodeURIComponent(grantee)}/step-down`);
    const { sections } = await pageJson("POST", path, { grants });
    await settle(sections);
    done("achtergrond");
  }).finally(() => { button.disabled = false; });
}

async function answer(card, choice) {
  const request = JSON.parse(card.getAttribute("data-request"));
  const errorEl = card.querySelector("[data-answer-error]");
  const ticked = [...card.querySelectorAll("input[data-section]:checked")].map((b) => b.getAttribute("data-section"));
  const chosen = choice === "no" ? [] : (choice === "yes" ? [...request.sections] : ticked).sort();
  const kind = chosen.length === 0 ? "no" : (chosen.join() === [...request.sections].sort().join() ? "yes" : "partly");
  if (choice === "partly" && kind !== "partly") {
    showError(errorEl, chosen.length === 0 ? "Vink minstens één deel aan, of kies Nee." : "Je hebt alles aangevinkt. Kies dan Ja, alles.");
    return;
  }
  const name = card.querySelector("[data-handover-name]")?.value.trim() ?? "";
  const toPerson = request.kind === "handover" && request.grantee_kind === "person";
  if (toPerson && chosen.length > 0 && !name) {
    showError(errorEl, "Vul in hoe je nieuwe begeleider je mag noemen.");
    card.querySelector("[data-handover-name]").focus();
    return;
  }
  await guarded(errorEl, async () => {
    status("Je antwoord wordt ondertekend…");
    const state = await freshState();
    const who = chosen.length ? await party(request.grantee_id) : null;
    const expiresAt = until(request.period_days);
    const grants = chosen.map((key) => grantItem(state, key, request.grantee_id, who, {
      permissions: request.permissions, purpose: request.purpose, expiresAt,
    }));
    const handover = request.kind === "handover" && chosen.length > 0;
    const sealedCard = handover && toPerson ? await cardFor(me(), request, name) : null;
    const stepDown = (request.kind === "aftercare" || (request.kind === "handover" && request.step_down)) && chosen.length > 0;
    const statement = requestStatement(request, "consent-answer", {
      answer: kind, sections: chosen, ...(stepDown ? { step_down: true } : {}),
    });
    const answered = await pageJson("POST", `/api/v1/requests/${encodeURIComponent(request.id)}/answer`, { answer: kind, statement, grants, card: sealedCard });
    if (stepDown) status("De sleutels worden vervangen…");
    await settle(answered.rotation_due);
    done(handover ? "overgedragen" : stepDown ? "achtergrond" : "beantwoord");
  });
}

async function withdraw(button) {
  const request = JSON.parse(button.closest("[data-request]").getAttribute("data-request"));
  await guarded($("fout"), async () => {
    status("Intrekken: de toegang stopt nu, en de sleutel wordt vervangen…");
    const statement = requestStatement(request, "consent-withdraw", { sections: request.granted_sections });
    const { sections } = await pageJson("POST", `/api/v1/requests/${encodeURIComponent(request.id)}/withdraw`, { statement });
    await settle(sections);
    done("ingetrokken");
  });
}

async function campaignYes(button) {
  const card = button.closest("[data-campaign-answer]");
  const errorEl = card.querySelector("[data-campaign-error]");
  if (!codeMatches(card)) {
    card.querySelector("[data-campaign-code]").textContent = "Deze sleutelcode klopt niet. Zeg nu geen ja.";
    button.remove();
    return;
  }
  await guarded(errorEl, async () => {
    button.disabled = true;
    status("Je toestemming wordt ondertekend en versleuteld…");
    const receiver = card.getAttribute("data-org");
    const state = await freshState();
    const grants = campaignGrants(state, receiver, JSON.parse(card.getAttribute("data-identity")), {
      sections: card.getAttribute("data-sections").split(","),
      purpose: card.getAttribute("data-purpose"),
      expiresAt: campaignExpiry(card),
    });
    const entry = encodeURIComponent(card.getAttribute("data-campaign-answer"));
    const answer = await pageJson("POST", `/api/v1/campaign-answers/${entry}/accept`, { grants });
    if (answer.campaign.receiver.id !== receiver || answer.state !== "accepted") throw new c.TamperedError("answered for someone else");
    done("campagne-ja");
  }).finally(() => { button.disabled = false; });
}

async function campaignWithdraw(button) {
  const card = button.closest("[data-campaign-answer]");
  await guarded(card.querySelector("[data-campaign-error]"), async () => {
    button.disabled = true;
    status("Intrekken: de toegang stopt nu, en de sleutel wordt vervangen…");
    const entry = encodeURIComponent(card.getAttribute("data-campaign-answer"));
    const { rotate: sections } = await pageJson("POST", `/api/v1/campaign-answers/${entry}/withdraw`);
    await settle(sections);
    done("ingetrokken");
  }).finally(() => { button.disabled = false; });
}

async function names() {
  const state = await freshState();
  const opened = cards(me(), state.connections);
  fillNames(document, opened);
  document.querySelectorAll("[data-card-line]").forEach((el) => {
    const card = opened[el.closest("[data-party]").getAttribute("data-party")];
    if (card) el.textContent = [card.role, card.organisation, card.phone].filter((v) => typeof v === "string" && v).join(" · ");
  });
}

async function start() {
  await c.ready;
  try {
    me();
  } catch {
    $("slot").hidden = false;
    return;
  }
  revealJs();
  document.addEventListener("submit", (e) => {
    if (e.target.matches("form[data-share]")) { e.preventDefault(); share(e.target); }
    if (e.target.matches("form[data-answer]")) e.preventDefault();
  });
  document.addEventListener("click", (e) => {
    const target = e.target instanceof Element ? e.target.closest("button") : null;
    if (!target) return;
    if (target.hasAttribute("data-revoke")) revokeOne(target);
    else if (target.hasAttribute("data-answer-with")) answer(target.closest("[data-request]"), target.getAttribute("data-answer-with"));
    else if (target.hasAttribute("data-withdraw")) withdraw(target);
    else if (target.hasAttribute("data-end-connection")) endConnection(target);
    else if (target.hasAttribute("data-step-down")) stepDown(target);
    else if (target.hasAttribute("data-campaign-yes")) campaignYes(target);
    else if (target.hasAttribute("data-campaign-withdraw")) campaignWithdraw(target);
  });
  try {
    await names();
    await showHandovers(me());
  } catch (err) {
    showError($("fout"), messageFor(err));
  }
}

start();
