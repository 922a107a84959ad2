// Acties die binnenkort moeten, on the caseload: only when the professional asks (each plan read
// is logged in that youth's "Wie keek in mijn rugzak?"), fetch the plans shared with me, open
// the section keys (pro-keys.js) and the entries (htmx-rugzak.js, with the same signature and
// author checks as the youth's page) in this tab, and list the open actions that are overdue
// or due within 14 days. Plaintext is written with textContent only and never leaves the tab.
import * as keystore from "../keystore.js";
import { openElement } from "../htmx-rugzak.js";
import { loadSectionKeys, openCard } from "./pro-keys.js";
import { pageJson } from "./transport.js";

export const DAYS = 14;
const DAY_MS = 86_400_000;
const TEXT = {
  busy: "De plannen worden geopend…",
  locked: "Je sleutels zijn niet in dit tabblad. Open je sleutels om de acties te zien. Er is niets gelezen.",
  none: "Geen enkele jongere deelt een plan met jou.",
  empty: `Geen open acties die te laat zijn of binnen ${DAYS} dagen klaar moeten zijn.`,
  error: "De acties konden niet worden opgehaald. Probeer het later opnieuw.",
};

const $ = (id) => document.getElementById(id);

/** A detached element carrying the same data attributes as the youth page's section block
 *  (the plan, or a life area for the ZRM strip: pro-zrm.js). */
export function holderOf(plan) {
  const holder = document.createElement("section");
  const attrs = {
    "data-dossier": plan.dossier,
    "data-section": plan.section ?? "plan",
    "data-owner-id": plan.owner_id,
    "data-owner-identity": plan.owner_identity,
    "data-youth-id": plan.owner_id,
    "data-youth-identity": plan.owner_identity,
    "data-section-key": plan.section_key,
    "data-key-version": String(plan.key_version),
    "data-receipts": plan.receipts,
    "data-receipt": plan.receipt,
    "data-envelope": plan.envelope,
    "data-org-key": plan.org_key,
    "data-card": plan.card,
  };
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) holder.setAttribute(name, value);
  }
  for (const e of plan.entries) {
    const article = document.createElement("article");
    article.setAttribute("data-ciphertext", e.ciphertext);
    article.setAttribute("data-entry", e.entry);
    article.setAttribute("data-version", String(e.version));
    article.setAttribute("data-at", e.at);
    if (e.first) article.setAttribute("data-first", e.first);
    holder.append(article);
  }
  return holder;
}

/** Days from today (this device's calendar) to a yyyy-mm-dd date; null if it is not one. */
export function daysUntil(value, today = new Date()) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typeof value === "string" ? value : "");
  if (m === null) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3])) return null;
  const now = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((date.getTime() - now) / DAY_MS);
}

/** Open one youth's plan; returns { name, actions, failed } (failed: entries refused). */
function openPlan(plan, me) {
  const holder = holderOf(plan);
  let name = plan.card ? "Naam onbekend" : "Naam niet gedeeld"; // no card: shared with my organisation
  try {
    const card = openCard(holder, me);
    if (card && typeof card.display_name === "string" && card.display_name) name = card.display_name;
  } catch {
    name = "Naam kon niet veilig worden geopend";
  }
  const { opened, failed } = openEntries(holder, me);
  const actions = [];
  for (const { body } of opened) {
    const days = daysUntil(body.wanneer);
    if (body.klaar === true || days === null || days > DAYS) continue;
    actions.push({ dossier: plan.dossier, name, days, due: body.wanneer, actie: body.actie, doel: body.doel });
  }
  return { dossier: plan.dossier, name, actions, failed };
}

/** Open the section keys and every entry of a holder (`holderOf`) in this tab, with the same
 *  checks as the youth's page: the opened bodies with their article, and how many failed. */
export function openEntries(holder, me) {
  const box = document.createElement("div");
  box.append(holder);
  loadSectionKeys(box, me);
  const opened = [];
  let failed = 0;
  for (const article of holder.querySelectorAll("[data-ciphertext]")) {
    try {
      opened.push({ article, body: openElement(article) });
    } catch {
      failed += 1;
    }
  }
  return { opened, failed };
}

function text(value) {
  return typeof value === "string" ? value.trim() : "";
}

function itemOf(action) {
  const li = document.createElement("li");
  li.className = "rz-card";
  li.setAttribute("data-action", "");
  const when = document.createElement("p");
  when.className = "utrecht-paragraph";
  const strong = document.createElement("strong");
  const [y, m, d] = action.due.split("-");
  strong.textContent = `${d}-${m}-${y}`;
  const late = action.days < 0 ? "te laat" : action.days === 0 ? "vandaag" : action.days === 1 ? "morgen" : `over ${action.days} dagen`;
  when.append(strong, ` · ${late}`);
  const what = document.createElement("p");
  what.className = "utrecht-paragraph";
  const link = document.createElement("a");
  link.className = "utrecht-link";
  link.href = `/pro/jongeren/${encodeURIComponent(action.dossier)}#sectie-plan`;
  link.textContent = action.name;
  link.setAttribute("data-name", "");
  what.append(link, `: ${text(action.actie) || text(action.doel) || "actie zonder omschrijving"}`);
  li.append(when, what);
  if (text(action.doel) && text(action.actie)) {
    const goal = document.createElement("p");
    goal.className = "utrecht-paragraph rz-muted";
    goal.textContent = `Doel: ${text(action.doel)}`;
    li.append(goal);
  }
  return li;
}

async function show(button, status, list, onCounts) {
  const me = keystore.loadIdentity();
  list.replaceChildren();
  list.hidden = true;
  list.removeAttribute("data-ready");
  if (me === null) {
    status.textContent = TEXT.locked;
    list.setAttribute("data-ready", "locked");
    return;
  }
  button.disabled = true;
  status.textContent = TEXT.busy;
  let answer;
  try {
    answer = await pageJson("GET", "/api/v1/grants/mine/plans");
  } catch (err) {
    status.textContent = err?.message ? `${TEXT.error} ${err.message}` : TEXT.error;
    button.disabled = false;
    list.setAttribute("data-ready", "error");
    return;
  }
  const opened = answer.plans.map((plan) => openPlan(plan, me));
  const actions = opened.flatMap((p) => p.actions)
    .sort((a, b) => a.due.localeCompare(b.due) || a.name.localeCompare(b.name, "nl"));
  const broken = opened.filter((p) => p.failed > 0).length;
  const notes = [];
  if (answer.plans.length === 0) notes.push(TEXT.none);
  else if (actions.length === 0) notes.push(TEXT.empty);
  else notes.push(actions.length === 1 ? "1 open actie." : `${actions.length} open acties.`);
  if (broken > 0) {
    notes.push(`Het plan van ${broken} ${broken === 1 ? "jongere" : "jongeren"} kon niet veilig worden geopend.`);
  }
  const counts = new Map(opened.map((p) => [p.dossier, p.failed > 0 ? NaN : p.actions.length]));
  onCounts?.(counts);
  list.replaceChildren(...actions.map(itemOf));
  list.hidden = actions.length === 0;
  status.textContent = notes.join(" ");
  button.disabled = false;
  list.setAttribute("data-ready", "shown");
}

/** Wire the button of the panel, if the page has one; `onCounts` gets dossier -> number of
 *  open actions (NaN when that plan could not be opened safely). */
export function installActions(onCounts) {
  const button = $("toon-acties");
  const status = $("acties-status");
  const list = $("acties-lijst");
  if (!button || !status || !list) return;
  button.addEventListener("click", () => { show(button, status, list, onCounts); });
}
