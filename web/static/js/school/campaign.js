// One campaign's page (school/campagne.html). Everything with a name on it happens here:
// the export is read and mapped here (roster.js), names and groups are sealed here to the
// school's organisation key as opened with my own sealed copy (never a public key the server
// hands out), the letters are made here (sheets.js), and the status opens the names here.
// The calls are the Python client's routes under /api/v1 (docs/campaigns.md).
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { Problem, csrfToken, messageFor, revealJs, say, showError } from "../app/common.js";
import { orgKey } from "../app/org-keys.js";
import { lockedBanner } from "../app/pro-keys.js";
import { download, pageJson } from "../app/transport.js";
import { FileProblem, UNREADABLE, decode, guess, sealedCsv, students, table } from "./roster.js";
import { fillSheets, groupCounts, imagesLoaded } from "./sheets.js";

const $ = (id) => document.getElementById(id);
const STATES = { not_opened: "Niet geopend", opened: "Geopend", accepted: "Akkoord", declined: "Geweigerd", withdrawn: "Ingetrokken" };
const root = $("campagne");
const campaignId = root.getAttribute("data-campaign");
const school = JSON.parse(root.getAttribute("data-school"));
const info = JSON.parse(root.getAttribute("data-sheet"));
const base = `/api/v1/campaigns/${campaignId}`;

let key = null; // the school's organisation identity, opened with my sealed copy
let file = null; // { columns, rows } of the chosen export
let busy = false;

async function act(status, work) {
  if (busy) return;
  busy = true;
  showError($("fout"), "");
  say($("voortgang"), status);
  try {
    await work();
  } catch (err) {
    say($("voortgang"), "");
    showError($("fout"), messageFor(err));
  } finally {
    busy = false;
  }
}

// Names and groups are sealed in one batch per import (docs/crypto.md, "Batch-sealed
// values"): one ephemeral key, the shared key computed once, a random nonce per value, so the
// server still cannot tell two equal names or groups apart. The ephemeral key is wiped when
// the import's values are sealed. Opening caches the shared key per ephemeral key: a whole
// import opens with one X25519 operation; older classic sealed boxes still open.
let opener = null;
const open = (sealed) => (sealed ? c.fromUtf8(opener.open(c.b64d(sealed))) : "");

/** The upload door: the sealed CSV as the body, the page cookie and the CSRF header. */
async function uploadCsv(text) {
  let response;
  try {
    response = await fetch(`${base}/students`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "text/csv; charset=utf-8", "x-csrftoken": csrfToken() },
      body: text,
      credentials: "same-origin",
    });
  } catch {
    throw new Problem(0, { title: "Er is geen verbinding. Controleer je internet en probeer het opnieuw." });
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const err = new Problem(response.status, data);
    err.errors = data.errors ?? [];
    throw err;
  }
  return data;
}

// -- letters ---------------------------------------------------------------------------------

// The letters live here (the links exist nowhere else) and become sheets only when printed,
// all of them or one group: a print run of one group of 160 needs about half the browser
// memory of one of 650 (docs/performance.md). After printing the sheets are removed again.
let letters = [];

function printButton(group, count) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "utrecht-button utrecht-button--secondary-action";
  button.setAttribute("data-print-group", group);
  button.textContent = `${group ? `Groep ${group}` : "Zonder groep"} afdrukken (${count} ${count === 1 ? "brief" : "brieven"})`;
  button.addEventListener("click", () => printLetters(group));
  return button;
}

function lettersReady(list, why) {
  letters = list;
  $("brieven").replaceChildren();
  const groups = groupCounts(list);
  $("afdruk-knoppen").replaceChildren($("afdrukken"), ...(groups.length > 1 ? groups.map(([g, n]) => printButton(g, n)) : []));
  $("per-groep-uitleg").hidden = groups.length < 2;
  $("brieven-uitleg").textContent = `${why} ${list.length} ${list.length === 1 ? "brief" : "brieven"}, gesorteerd per groep.`;
  $("brieven-klaar").hidden = false;
  say($("voortgang"), "");
  $("afdrukken").focus();
}

/** `group`: null for every letter, else the letters of that group ("" for no group). */
const chosenLetters = (group) => (group === null ? letters : letters.filter((s) => (s.group || "") === group));

/** The fallback: the sheets in this tab, printed from here (more memory: the whole page is in
 *  this renderer). Only when the print window did not open. */
async function printHere(group = null) {
  $("printvenster-fout").hidden = true;
  fillSheets($("brieven"), info, chosenLetters(group));
  await imagesLoaded($("brieven"));
  document.body.classList.add("rz-printing");
  window.print();
}

// The print window (docs/campaigns.md, "Printing"): a page of its own in a fresh renderer
// process (`noopener`), /pro/campagnes/{id}/brieven. The letters go to it over a
// BroadcastChannel with a fresh random name, passed in the URL fragment (which never reaches
// the server); only this browser's same-origin pages can join it, and only a page that knows
// the name. With `noopener`, window.open returns null even when the window opens, so a
// blocked pop-up shows as a window that never says "ready".
const WINDOW_WAIT_MS = 10_000;

function printLetters(group = null) {
  const chosen = chosenLetters(group).map(({ reference, name, group: g, link, code }) => ({ reference, name, group: g, link, code }));
  const name = `rz-brieven-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
  const channel = new BroadcastChannel(name);
  $("printvenster-fout").hidden = true;
  const timer = window.setTimeout(() => {
    say($("voortgang"), "");
    $("printvenster-fout").hidden = false;
    $("hier-afdrukken").onclick = () => {
      channel.close();
      printHere(group);
    };
  }, WINDOW_WAIT_MS);
  channel.addEventListener("message", ({ data }) => {
    if (data?.type === "ready") {
      window.clearTimeout(timer);
      $("printvenster-fout").hidden = true;
      channel.postMessage({ type: "letters", letters: chosen });
    } else if (data?.type === "received") {
      channel.close();
      say($("voortgang"), `De brieven staan in een nieuw venster (${chosen.length}). Print ze daar.`);
    }
  });
  say($("voortgang"), "Het printvenster gaat open…");
  window.open(`/pro/campagnes/${campaignId}/brieven#${name}`, "_blank", "noopener");
}

// -- the export: choose, map, check, import ----------------------------------------------------

function option(value, text) {
  const o = document.createElement("option");
  o.value = String(value);
  o.textContent = text;
  return o;
}

function showMapping() {
  const mapping = guess(file.columns);
  $("kolom-nummer").replaceChildren(...file.columns.map((name, i) => option(i, name)));
  $("kolom-nummer").value = String(Math.max(mapping.number, 0));
  $("kolom-groep").replaceChildren(option(-1, "Geen groep"), ...file.columns.map((name, i) => option(i, name)));
  $("kolom-groep").value = String(mapping.group);
  $("kolom-naam").replaceChildren(...file.columns.map((name, i) => {
    const wrap = document.createElement("div");
    wrap.className = "utrecht-form-field utrecht-form-field--checkbox";
    const input = document.createElement("input");
    input.className = "utrecht-checkbox";
    input.type = "checkbox";
    input.id = `naamkolom-${i}`;
    input.value = String(i);
    input.checked = mapping.name.includes(i);
    const label = document.createElement("label");
    label.className = "utrecht-form-label utrecht-form-label--checkbox";
    label.htmlFor = input.id;
    label.textContent = name;
    wrap.append(input, label);
    return wrap;
  }));
  $("koppelen").hidden = false;
  preview();
}

function currentMapping() {
  return {
    number: Number($("kolom-nummer").value),
    name: [...$("kolom-naam").querySelectorAll("input:checked")].map((i) => Number(i.value)),
    group: Number($("kolom-groep").value),
  };
}

let existing = new Set();
let checked = null;

function cell(text) {
  const td = document.createElement("td");
  td.className = "utrecht-table__cell";
  td.textContent = text;
  return td;
}

function preview() {
  const mapping = currentMapping();
  checked = students(file, mapping, existing);
  const used = new Set([mapping.number, ...mapping.name, mapping.group]);
  const dropped = file.columns.filter((_, i) => !used.has(i));
  $("weggelaten").textContent = dropped.length ? `Deze kolommen blijven op deze computer en gaan niet naar Rugzak: ${dropped.join(", ")}.` : "";
  const rows = checked.good.slice(0, 5).map((s) => {
    const tr = document.createElement("tr");
    tr.className = "utrecht-table__row";
    tr.append(cell(String(s.line)), cell(s.reference), cell(s.name), cell(s.group));
    return tr;
  });
  $("voorbeeld").tBodies[0].replaceChildren(...rows);
  $("problemen").replaceChildren(...checked.problems.map((p) => {
    const li = document.createElement("li");
    li.textContent = p.message;
    return li;
  }));
  $("problemen-wrap").hidden = checked.problems.length === 0;
  $("alleen-goede-label").textContent = `Lees alleen de goede regels in (${checked.good.length}); de ${checked.problems.length} ${checked.problems.length === 1 ? "regel" : "regels"} met een fout worden overgeslagen`;
  summarise();
}

function summarise() {
  const { good, problems } = checked;
  const skip = $("alleen-goede").checked;
  const ok = good.length > 0 && (problems.length === 0 || skip);
  $("inlezen").disabled = !ok;
  say($("samenvatting"), problems.length && !skip
    ? `${problems.length} ${problems.length === 1 ? "regel heeft" : "regels hebben"} een fout. Verbeter het bestand, of kies hierboven voor alleen de goede regels.`
    : `${good.length} ${good.length === 1 ? "student" : "studenten"} klaar om in te lezen.`);
}

async function chooseFile() {
  showError($("bestand-fout"), "");
  $("koppelen").hidden = true;
  file = null;
  const chosen = $("bestand").files[0];
  if (!chosen) return;
  try {
    file = table(decode(await chosen.arrayBuffer()));
  } catch (err) {
    showError($("bestand-fout"), err instanceof FileProblem ? err.message : UNREADABLE);
    return;
  }
  try {
    existing = new Set((await pageJson("GET", `${base}/students`)).map((s) => s.reference));
  } catch (err) {
    showError($("fout"), messageFor(err));
    return;
  }
  showMapping();
}

function importStudents() {
  const list = checked.good;
  act(`${list.length} studenten worden versleuteld en ingelezen…`, async () => {
    let done;
    try {
      // Marks for the bench (bench/campaign_bench.py reads "rz-seal" and "rz-upload").
      performance.mark("rz-import");
      const sealer = c.batchSealer(key.boxPk);
      let body;
      try {
        body = sealedCsv(list, (texts) => sealer.sealAll(texts.map(c.utf8)).map(c.b64e));
      } finally {
        sealer.wipe();
      }
      performance.measure("rz-seal", "rz-import");
      performance.mark("rz-sealed");
      done = await uploadCsv(body);
      performance.measure("rz-upload", "rz-sealed");
    } catch (err) {
      // Our CSV's line n+1 is list[n-2]; say the line of the school's own file.
      if (err.errors?.length) {
        err.message = err.errors.map((e) => e.message.replace(/^Regel (\d+)/, (_, n) => `Regel ${list[Number(n) - 2]?.line ?? n}`)).join(" ");
      }
      throw err;
    }
    const byRef = new Map(list.map((s) => [s.reference, s]));
    const letters = done.links.map((l) => ({ ...byRef.get(l.reference), link: l.link, code: l.code }));
    $("koppelen").hidden = true;
    $("bestand").value = "";
    lettersReady(letters, `${done.imported} ${done.imported === 1 ? "student" : "studenten"} ingelezen.`);
    await refresh();
  });
}

// -- follow up -------------------------------------------------------------------------------

let current = [];

async function loadStudents() {
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

function showTable(list) {
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

async function refresh() {
  const list = await loadStudents();
  const counts = countCells(list);
  for (const td of document.querySelectorAll("#tellingen [data-count]")) td.textContent = String(counts[td.getAttribute("data-count")]);
  $("tellingen").caption.textContent = `${list.length} ${list.length === 1 ? "student" : "studenten"}`;
  showGroups(list);
  if (!$("studenten-wrap").hidden) showTable(list);
}

function newLetters(references, why) {
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

function exportCsv() {
  act("De lijst wordt gemaakt…", async () => {
    const list = await loadStudents();
    const lines = [["Studentnummer", "Naam", "Groep", "Stand"], ...list.map((s) => [s.reference, s.name, s.group, STATES[s.state]])];
    const text = `\ufeff${lines.map((l) => l.map(excelCell).join(";")).join("\r\n")}\r\n`;
    download(`campagne-${campaignId.slice(0, 8)}.csv`, text, "text/csv;charset=utf-8");
    say($("voortgang"), "De lijst is gedownload. Open hem in Excel.");
  });
}

function closeCampaign() {
  if (!window.confirm("Weet je het zeker? Na het sluiten werkt geen enkele link van deze campagne meer.")) return;
  act("De campagne wordt gesloten…", async () => {
    await pageJson("POST", `${base}/close`);
    window.location.reload();
  });
}

c.ready.then(async () => {
  const me = keystore.loadIdentity();
  if (me === null) {
    lockedBanner();
    return;
  }
  try {
    ({ org: key } = await orgKey(me, school.id));
    opener = c.valueOpener(key.boxSk, key.boxPk);
  } catch (err) {
    showError($("fout"), messageFor(err));
    return;
  }
  revealJs();
  window.addEventListener("afterprint", () => {
    document.body.classList.remove("rz-printing");
    $("brieven").replaceChildren();
  });
  $("afdrukken").addEventListener("click", () => printLetters(null));
  $("toon-studenten").addEventListener("click", () => act("Namen worden geopend…", async () => {
    showTable(await loadStudents());
    say($("voortgang"), "");
  }));
  $("exporteer").addEventListener("click", exportCsv);
  $("herinnering")?.addEventListener("click", () => newLetters(null, "Herinnering: nieuwe brieven voor wie nog niet antwoordde; hun oude links werken niet meer."));
  $("sluiten")?.addEventListener("click", closeCampaign);
  $("bestand")?.addEventListener("change", chooseFile);
  for (const id of ["kolom-nummer", "kolom-groep"]) $(id)?.addEventListener("change", preview);
  $("kolom-naam")?.addEventListener("change", preview);
  $("alleen-goede")?.addEventListener("change", summarise);
  $("inlezen")?.addEventListener("click", importStudents);
  refresh().catch((err) => showError($("fout"), messageFor(err)));
});
