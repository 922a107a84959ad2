// The school's export, read entirely in this browser (docs/campaigns.md, "The school's
// pages"): bytes → text (encoding detected) → rows (papaparse) → the mapped students with a
// Dutch problem per line. Nothing here touches the network or the DOM. Only the mapped
// columns go on; every other column (e-mail, address, BSN…) is dropped here.
import "../../vendor/papaparse/papaparse.mjs";

const Papa = globalThis.Papa;
export const MAX_NAME = 200;
export const MAX_GROUP = 60;
export const MAX_ROWS = 5000;
// The server's rule for a reference (consent/campaigns/csv_import.py REFERENCE).
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const SAVE_AS = "Sla het bestand in Excel op met 'Opslaan als' en kies 'CSV UTF-8 (door komma's gescheiden)' of 'CSV (puntkomma-gescheiden)'.";
export const UNREADABLE = `Dit bestand kunnen we niet lezen. ${SAVE_AS}`;

export class FileProblem extends Error {}

const startsWith = (bytes, ...sig) => sig.every((b, i) => bytes[i] === b);

/** The text of the file: UTF-8 (with or without BOM), UTF-16 (BOM, or the NUL pattern of
 *  ASCII text without one), else Windows-1252 (what Dutch Excel writes as "CSV"). An .xlsx
 *  (a zip: "PK") or a file with NUL bytes gets one message for the whole file. */
export function decode(buffer) {
  const bytes = new Uint8Array(buffer);
  if (bytes.length === 0) throw new FileProblem("Het bestand is leeg.");
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) {
    throw new FileProblem(`Dit is een Excel-bestand (.xlsx). Rugzak leest alleen CSV. Open het in Excel, kies 'Opslaan als' en dan 'CSV UTF-8 (door komma's gescheiden)'. Kies daarna dat nieuwe bestand.`);
  }
  let text;
  if (startsWith(bytes, 0xef, 0xbb, 0xbf)) text = strict("utf-8", bytes.subarray(3));
  else if (startsWith(bytes, 0xff, 0xfe)) text = strict("utf-16le", bytes.subarray(2));
  else if (startsWith(bytes, 0xfe, 0xff)) text = strict("utf-16be", bytes.subarray(2));
  else {
    const sample = bytes.subarray(0, 400);
    const zeros = (odd) => sample.filter((b, i) => b === 0 && i % 2 === (odd ? 1 : 0)).length;
    if (sample.length >= 4 && zeros(true) > sample.length / 4 && zeros(false) === 0) text = strict("utf-16le", bytes);
    else if (sample.length >= 4 && zeros(false) > sample.length / 4 && zeros(true) === 0) text = strict("utf-16be", bytes);
    else {
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        text = new TextDecoder("windows-1252").decode(bytes);
      }
    }
  }
  if (text.includes("\u0000")) throw new FileProblem(UNREADABLE);
  if (!text.trim()) throw new FileProblem("Het bestand is leeg.");
  return text;
}

function strict(encoding, bytes) {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new FileProblem(UNREADABLE);
  }
}

/** The separator of the header line: whichever of `;`, tab and `,` it has most of (Dutch
 *  Excel writes `;`; papaparse's own guess needs more lines than a short list has). */
export function separator(text) {
  const first = text.split(/\r?\n/).find((line) => line.replace(/[;,\t\s]/g, "")) ?? "";
  const count = (ch) => first.split(ch).length - 1;
  return [";", "\t", ","].reduce((best, ch) => (count(ch) > count(best) ? ch : best), ";");
}

const blank = (row) => row.every((cell) => !String(cell).trim());

/** Rows of the text with their line numbers; `;`, `,` or tab; CRLF; Excel's trailing
 *  `;;;;` columns and blank lines ignored. Returns { columns, rows: [{ line, cells }] }. */
export function table(text) {
  const parsed = Papa.parse(text, { delimiter: separator(text), skipEmptyLines: false });
  const all = parsed.data.map((cells, i) => ({ line: i + 1, cells: cells.map((c) => String(c)) })).filter((r) => !blank(r.cells));
  if (all.length === 0) throw new FileProblem("Het bestand is leeg.");
  const [head, ...rows] = all;
  let width = head.cells.length;
  while (width > 0 && !head.cells[width - 1].trim()) width -= 1;
  if (width === 0) throw new FileProblem("De eerste regel moet de namen van de kolommen geven, zoals Studentnummer;Roepnaam;Achternaam.");
  if (rows.length > MAX_ROWS) throw new FileProblem(`Er mogen hoogstens ${MAX_ROWS} studenten in één lijst.`);
  const columns = head.cells.slice(0, width).map((name, i) => name.trim() || `Kolom ${i + 1}`);
  return { columns, rows };
}

const pick = (columns, pattern, not = /$^/) => columns.findIndex((name) => pattern.test(name) && !not.test(name));

/** A first guess at the mapping, which the school checks and changes. */
export function guess(columns) {
  const number = pick(columns, /stud.*n(umme)?r|deelnemer|stamn|leerlingn|referentie|^nummer$|^nr\.?$/i);
  const nameParts = [/roepnaam|voornaam/i, /tussenv/i, /achternaam/i].map((p) => pick(columns, p)).filter((i) => i >= 0);
  const name = nameParts.length ? nameParts : [pick(columns, /naam/i, /mail/i)].filter((i) => i >= 0);
  return { number, name, group: pick(columns, /klas|groep|opleiding/i) };
}

const shown = (value) => (value.length > 30 ? `${value.slice(0, 29)}…` : value).replace(CONTROL, "?");

/** The students as they will be sent (before sealing) and every problem per line in Dutch.
 *  `existing`: references already in the campaign. */
export function students({ rows }, mapping, existing = new Set()) {
  const good = [];
  const problems = [];
  const seen = new Map();
  for (const { line, cells } of rows) {
    const cell = (i) => (i >= 0 && i < cells.length ? cells[i].trim() : "");
    const reference = cell(mapping.number);
    const name = mapping.name.map(cell).filter(Boolean).join(" ");
    const group = mapping.group >= 0 ? cell(mapping.group) : "";
    const wrong = [];
    if (!reference) wrong.push("het nummer is leeg.");
    else if (reference.length > 64) wrong.push(`het nummer is te lang (${reference.length} tekens, hoogstens 64).`);
    else if (!REFERENCE.test(reference)) wrong.push(`het nummer '${shown(reference)}' mag alleen letters, cijfers, punt, streepje, schuine streep en liggend streepje hebben.`);
    else if (seen.has(reference)) wrong.push(`het nummer ${reference} staat ook op regel ${seen.get(reference)}.`);
    else if (existing.has(reference)) wrong.push(`het nummer ${reference} staat al in deze campagne.`);
    if (name.length > MAX_NAME) wrong.push(`de naam is te lang (${name.length} tekens, hoogstens ${MAX_NAME}).`);
    else if (CONTROL.test(name)) wrong.push("in de naam staan tekens die niet mogen.");
    if (group.length > MAX_GROUP) wrong.push(`de groep is te lang (${group.length} tekens, hoogstens ${MAX_GROUP}).`);
    else if (CONTROL.test(group)) wrong.push("in de groep staan tekens die niet mogen.");
    if (reference && !seen.has(reference)) seen.set(reference, line);
    if (wrong.length) problems.push({ line, message: `Regel ${line}: ${wrong.join(" En ")}` });
    else good.push({ line, reference, name, group });
  }
  if (rows.length === 0) problems.push({ line: 2, message: "Er staan geen studenten in het bestand." });
  return { good, problems };
}

/** The list as uploaded: references and the sealed names and groups. `sealAll` takes every
 *  non-empty name and group in row order (texts) and returns them sealed (base64url), all in
 *  one call: one batch, one read of the random source for its nonces. */
export function sealedCsv(list, sealAll) {
  const texts = [];
  for (const s of list) {
    if (s.name) texts.push(s.name);
    if (s.group) texts.push(s.group);
  }
  const sealed = sealAll(texts);
  let at = 0;
  const out = ["referentie;naam;groep"];
  for (const s of list) {
    const name = s.name ? sealed[at++] : "";
    const group = s.group ? sealed[at++] : "";
    out.push(`${s.reference};${name};${group}`);
  }
  return `${out.join("\n")}\n`;
}
