// The export on one campaign's page: choose the file, map its columns, check the lines, seal
// the names and groups in this browser and import them (roster.js reads and checks the file).
import * as c from "../crypto.js";
import { Problem, csrfToken, messageFor, say, showError } from "../app/common.js";
import { pageJson } from "../app/transport.js";
import { lettersReady } from "./letters.js";
import { $, act, base, cell, keys } from "./page.js";
import { FileProblem, UNREADABLE, decode, guess, sealedCsv, students, table } from "./roster.js";
import { refresh } from "./status.js";

let file = null; // { columns, rows } of the chosen export

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

export function preview() {
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

export function summarise() {
  const { good, problems } = checked;
  const skip = $("alleen-goede").checked;
  const ok = good.length > 0 && (problems.length === 0 || skip);
  $("inlezen").disabled = !ok;
  say($("samenvatting"), problems.length && !skip
    ? `${problems.length} ${problems.length === 1 ? "regel heeft" : "regels hebben"} een fout. Verbeter het bestand, of kies hierboven voor alleen de goede regels.`
    : `${good.length} ${good.length === 1 ? "student" : "studenten"} klaar om in te lezen.`);
}

export async function chooseFile() {
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

export function importStudents() {
  const list = checked.good;
  act(`${list.length} studenten worden versleuteld en ingelezen…`, async () => {
    let done;
    try {
      // Marks for the bench (bench/campaign_bench.py reads "rz-seal" and "rz-upload").
      performance.mark("rz-import");
      const sealer = c.batchSealer(keys.org.boxPk);
      let body;
      try {
        body = sealedCsv(list, (texts) => sealer.sealAll(texts).map(c.b64e)); // text: UTF-8
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
