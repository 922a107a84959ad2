// Wie keek in mijn rugzak?: the access log checked here like dossier/client/log.py. Every
// link of the hash chain is recomputed from GENESIS; the log must reach every checkpoint this
// browser knows (the server's, signed by me, and the newest one this device saw, remembered in
// localStorage: a checkpoint is public); a shorter log or a different hash is a rollback or a
// rewrite, shown as a clear warning. After a clean check a new checkpoint is signed and posted.
import * as c from "../crypto.js";
import { messageFor, revealJs, showError } from "./common.js";
import { sectionLabel } from "./config.js";
import { moment } from "./dates.js";
import { freshState, me } from "./consent.js";
import { groupVisits, peopleIn, visitSentence } from "./log-visits.js";
import { cards, label } from "./people.js";
import { download, pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);
const REMEMBERED = "rugzak.checkpoints.v1";

function remembered(dossier) {
  try { return JSON.parse(window.localStorage.getItem(REMEMBERED) ?? "{}")[dossier] ?? null; } catch { return null; }
}

function remember(checkpoint) {
  try {
    const all = JSON.parse(window.localStorage.getItem(REMEMBERED) ?? "{}");
    const have = all[checkpoint.dossier];
    if (!have || checkpoint.seq > have.seq) all[checkpoint.dossier] = checkpoint;
    window.localStorage.setItem(REMEMBERED, JSON.stringify(all));
  } catch { /* storage off: the server's checkpoint still counts */ }
}

async function fetchLog(dossier) {
  const events = [];
  let after = 0;
  for (;;) {
    const page = await pageJson("GET", `/api/v1/dossiers/${dossier}/log?after=${after}&limit=1000`);
    events.push(...page.events);
    if (page.next === null) return { events, served: page.checkpoint };
    if (!Number.isInteger(page.next) || page.next <= after) throw new c.TamperedError("log pages do not advance");
    after = page.next;
  }
}

/** Throws TamperedError when the log is not the history this device and the server pinned. */
export function verify(events, served, dossier, signPk) {
  const known = [served, remembered(dossier)].filter(Boolean).map((cp) => ({ v: c.VERSION, dossier: cp.dossier, seq: cp.seq, hash: cp.hash, signature: cp.signature }));
  for (const cp of known) {
    c.verifyCheckpoint(cp, signPk);
    if (cp.dossier !== dossier || cp.seq < 1 || events.length < cp.seq) throw new c.TamperedError("rollback");
  }
  const newest = known.reduce((a, b) => (a === null || b.seq > a.seq ? b : a), null);
  const head = c.verifyChain(events, { checkpoint: newest, ownerSignPk: signPk });
  if (events.length && events[0].dossier !== dossier) throw new c.TamperedError("another dossier");
  for (const cp of known) {
    if (events[cp.seq - 1].hash !== cp.hash) throw new c.TamperedError("fork");
  }
  return { head, newest };
}

function sentence(event, who, ownerId) {
  const actor = event.actor === ownerId ? "Jij" : who;
  const part = sectionLabel(event.section) ?? "je rugzak";
  switch (event.action) {
    case "section:read": return `${actor} las ${part}`;
    case "document:read": return `${actor} opende een document`;
    case "section:append": return `${actor} schreef iets in ${part}`;
    case "account:login": return `${actor} logde in`;
    case "dossier:export": return `${actor} downloadde al je gegevens`;
    case "grant:create": return `${actor} deelde ${part}`;
    case "grant:revoke": return `${actor} trok de toegang tot ${part} in`;
    case "grant:step-down": return `${actor} zette een begeleider op de achtergrond (${part})`;
    case "section:rotate": return `De sleutel van ${part} is vervangen`;
    case "connection:accept": return `${actor} verbond met een begeleider`;
    case "request:answer": return `${actor} beantwoordde een vraag om toestemming${event.section ? ` (${part})` : ""}`;
    case "request:withdraw": return `${actor} trok toestemming in (${part})`;
    case "request:handover": return `${actor} stelde een nieuwe begeleider voor`;
    case "request:retract": return `${actor} trok een vraag of voorstel in`;
    case "recovery:setup": return `${actor} koos een herstelcontact`;
    case "recovery:contact-remove": return `${actor} haalde een herstelcontact weg`;
    case "recovery:start": return "Iemand vroeg op een nieuw apparaat hulp om in je rugzak te komen";
    case "recovery:approve": return `${actor} keurde als herstelcontact een hulpvraag goed`;
    case "recovery:veto": return `${actor} stopte een hulpvraag: 'Dit ben ik niet'`;
    case "recovery:cancel": return "Het nieuwe apparaat stopte zijn eigen hulpvraag (opnieuw beginnen)";
    case "recovery:release": return "Het nieuwe apparaat kreeg na de wachttijd de sleutel van Rugzak";
    case "recovery:complete": return "Je rugzak is hersteld met je herstelcontact. Er is een nieuwe wachtwoordzin";
    case "recovery:code-check": return `${actor} controleerde de herstelcode`;
    case "recovery:code-new": return `${actor} maakte een nieuwe herstelcode`;
    default: return `${actor}: ${event.action}`;
  }
}

function item(text, actor) {
  const li = document.createElement("li");
  li.className = "rz-card";
  li.setAttribute("data-actor", actor);
  li.textContent = text;
  return li;
}

/** One line per visit (log-visits.js) or event, newest first; the parts of a visit in a
 *  list under it. Every event stays in the checked chain. */
function show(events, names, ownerId) {
  const list = $("log-lijst");
  list.replaceChildren();
  const nameOf = (id) => (id === ownerId ? "Jij" : label(names[id]) ?? `Iemand (${id.replaceAll("-", "").slice(0, 8).toUpperCase()})`);
  const when = (e) => moment(new Date(c.parseTime(e.at)));
  for (const entry of groupVisits(events, ownerId).reverse()) {
    if (entry.kind === "event") {
      list.appendChild(item(`${sentence(entry.event, nameOf(entry.event.actor), ownerId)} op ${when(entry.event)}.`, entry.event.actor));
      continue;
    }
    const what = visitSentence(entry, (s) => sectionLabel(s) ?? s);
    if (what === null) {
      list.appendChild(item(`${sentence(entry.events[0], nameOf(entry.actor), ownerId)} op ${when(entry.events[0])}.`, entry.actor));
      continue;
    }
    const li = item(`${nameOf(entry.actor)} ${what} op ${when(entry.events[0])}.`, entry.actor);
    li.setAttribute("data-visit", String(entry.events.length));
    const parts = document.createElement("ul");
    parts.className = "rz-list rz-muted";
    for (const s of entry.sections) {
      const part = document.createElement("li");
      part.textContent = sectionLabel(s) ?? s;
      parts.appendChild(part);
    }
    li.appendChild(parts);
    list.appendChild(li);
  }
  fillPeople(events, nameOf);
  $("log-status").textContent = events.length ? `${events.length} gebeurtenissen.` : "Er is nog niets gebeurd.";
}

/** The filter per person: only that person's lines stay visible. */
function fillPeople(events, nameOf) {
  const select = $("log-persoon");
  if (!select) return;
  select.replaceChildren(new Option("Iedereen", ""));
  for (const [id, name] of peopleIn(events, nameOf)) select.appendChild(new Option(name, id));
  select.onchange = () => {
    for (const li of $("log-lijst").children) li.hidden = Boolean(select.value) && li.getAttribute("data-actor") !== select.value;
  };
}

function receipts(state) {
  const list = $("bewijzen");
  const files = [
    ...state.grants.map((g) => [`toestemming-${g.section}-${g.id.slice(0, 8)}.json`, `Toestemming: ${sectionLabel(g.section) ?? g.section}, ${g.state === "active" ? "actief" : g.state === "revoked" ? "ingetrokken" : "verlopen"}`, g.receipt]),
    ...state.requests.filter((r) => r.receipts.length).map((r) => [`antwoord-${r.id.slice(0, 8)}.json`, `Antwoord op een vraag: ${r.purpose}`, r.receipts]),
  ];
  list.replaceChildren();
  if (!files.length) {
    const none = document.createElement("li");
    none.textContent = "Nog geen bewijzen.";
    list.appendChild(none);
  }
  files.forEach(([name, text, json]) => {
    const item = document.createElement("li");
    item.className = "rz-card";
    const p = document.createElement("p");
    p.className = "utrecht-paragraph";
    p.textContent = text;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "utrecht-button utrecht-button--secondary-action";
    button.textContent = "Download bewijs";
    const hidden = document.createElement("span");
    hidden.className = "rz-visually-hidden";
    hidden.textContent = ` (${text})`;
    button.appendChild(hidden);
    button.setAttribute("data-receipt", name);
    button.addEventListener("click", () => download(name, `${JSON.stringify(json, null, 2)}\n`));
    item.append(p, button);
    list.appendChild(item);
  });
}

async function start() {
  await c.ready;
  let unlocked;
  try { unlocked = me(); } catch { $("slot").hidden = false; return; }
  revealJs();
  const dossier = $("log").getAttribute("data-dossier");
  try {
    const state = await freshState();
    const names = cards(unlocked, state.connections);
    receipts(state);
    const { events, served } = await fetchLog(dossier);
    const signPk = unlocked.identity.signPk;
    let checked = null;
    try {
      checked = verify(events, served, dossier, signPk);
    } catch (err) {
      if (!(err instanceof c.CryptoError)) throw err;
      $("log-kapot").hidden = false;
      $("log-kapot").focus();
    }
    show(events, names, unlocked.accountId);
    if (checked === null) return;
    if (checked.newest) remember(checked.newest);
    if (events.length && (checked.newest === null || events.length > checked.newest.seq)) {
      const checkpoint = c.signCheckpoint(unlocked.identity, dossier, events.length, checked.head);
      remember(checkpoint);
      await pageJson("POST", `/api/v1/dossiers/${dossier}/log/checkpoints`, checkpoint);
    }
  } catch (err) {
    $("log-status").textContent = "";
    showError($("fout"), messageFor(err));
  }
}

start();
