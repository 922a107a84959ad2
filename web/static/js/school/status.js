// Follow-up on one campaign's page: the counts, progress per group, the students with their
// names opened here, new letters (a reminder, a lost letter), the CSV for Excel, closing.
import { say } from "../app/common.js";
import { download, pageJson } from "../app/transport.js";
import { lettersReady } from "./letters.js";
import { $, act, base, campaignId, cell, open, root } from "./page.js";

const STATES = { not_opened: "Niet geopend", opened: "Geopend", accepted: "Akkoord", declined: "Geweigerd", withdrawn: "Ingetrokken" };

let current = [];

export async function loadStudents() {
  const rows = await pageJson("GET", `${base}/students`);
  current = rows.map((r) => ({ reference: r.reference, state: r.state, name: open(r.sealed_name), group: open(r.sealed_group) }));
  return current;
}

function countCells(list) {
  const counts = Object.fromEntries(Object.keys(STATES).map((k) => [k, 0]));
  for (const s of list) counts[s.state] += 1;
  return counts;
}

function showGroups(list) {
  const groups = new Map();
  for (const s of list) {
    const g = s.group || "Zonder groep";
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(s);
  }
  const items = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b, "nl")).map(([g, members]) => {
    const counts = countCells(members);
    const answered = counts.accepted + counts.declined + counts.withdrawn;
    const li = document.createElement("li");
    li.setAttribute("data-group", g);
    const progress = document.createElement("progress");
    progress.className = "rz-progress";
    progress.max = members.length;
    progress.value = answered;
    progress.setAttribute("aria-label", `Groep ${g}: ${answered} van ${members.length} antwoordden`);
    li.append(`${g}: ${answered} van ${members.length} antwoordden (${counts.accepted} akkoord, ${counts.declined} geweigerd) `, progress);
    return li;
  });
  const heading = document.createElement("h3");
  heading.className = "utrecht-heading-3";
  heading.textContent = "Per groep";
  const ul = document.createElement("ul");
  ul.className = "rz-list";
  ul.append(...items);
  $("per-groep").replaceChildren(...(items.length ? [heading, ul] : []));
}

export function showTable(list) {
  const open = root.getAttribute("data-open") === "ja";
  const rows = list.map((s) => {
    const tr = document.createElement("tr");
    tr.className = "utrecht-table__row";
    tr.setAttribute("data-student", s.reference);
    const action = cell("");
    if (open && (s.state === "not_opened" || s.state === "opened")) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "utrecht-button utrecht-button--subtle";
      button.textContent = "Nieuwe brief";
      button.setAttribute("aria-label", `Nieuwe brief voor ${s.name || s.reference}`);
      button.addEventListener("click", () => newLetters([s.reference], "Nieuwe brief gemaakt; de oude link werkt niet meer."));
      action.append(button);
    }
    tr.append(cell(s.reference), cell(s.name), cell(s.group), cell(STATES[s.state]), action);
    return tr;
  });
  $("studenten").tBodies[0].replaceChildren(...rows);
  $("studenten-wrap").hidden = false;
}

export async function refresh() {
  const list = await loadStudents();
  const counts = countCells(list);
  for (const td of document.querySelectorAll("#tellingen [data-count]")) td.textContent = String(counts[td.getAttribute("data-count")]);
  $("tellingen").caption.textContent = `${list.length} ${list.length === 1 ? "student" : "studenten"}`;
  showGroups(list);
  if (!$("studenten-wrap").hidden) showTable(list);
}

export function newLetters(references, why) {
  act("Nieuwe brieven worden gemaakt…", async () => {
    const links = await pageJson("POST", `${base}/links`, { references });
    if (current.length === 0) await loadStudents();
    const byRef = new Map(current.map((s) => [s.reference, s]));
    if (links.length === 0) {
      say($("voortgang"), "Iedereen heeft al geantwoord: er zijn geen nieuwe brieven nodig.");
      return;
    }
    lettersReady(links.map((l) => ({ ...byRef.get(l.reference), link: l.link, code: l.code })), why);
  });
}

/** A cell Excel would run as a formula (= + - @, also after a tab or CR) is made text. */
export function excelCell(value) {
  const text = String(value ?? "");
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[";\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function exportCsv() {
  act("De lijst wordt gemaakt…", async () => {
    const list = await loadStudents();
    const lines = [["Studentnummer", "Naam", "Groep", "Stand"], ...list.map((s) => [s.reference, s.name, s.group, STATES[s.state]])];
    const text = `\ufeff${lines.map((l) => l.map(excelCell).join(";")).join("\r\n")}\r\n`;
    download(`campagne-${campaignId.slice(0, 8)}.csv`, text, "text/csv;charset=utf-8");
    say($("voortgang"), "De lijst is gedownload. Open hem in Excel.");
  });
}

export function closeCampaign() {
  if (!window.confirm("Weet je het zeker? Na het sluiten werkt geen enkele link van deze campagne meer.")) return;
  act("De campagne wordt gesloten…", async () => {
    await pageJson("POST", `${base}/close`);
    window.location.reload();
  });
}
