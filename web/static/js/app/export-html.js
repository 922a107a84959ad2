// The readable copy in the export zip ("rugzak.html"): the whole rugzak as one HTML page that
// opens in any browser and prints well, next to the JSON files. Made here from the opened
// sections (export.js); names of authors come from their profile cards, documents link to
// their files in the zip. Every value is escaped: the file is a document, never a program.
import { fieldLabels, sectionLabel, storedWords } from "./config.js";
import { datum, moment } from "./dates.js";

const esc = (value) => String(value).replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);
const SKIP = new Set(["blob_sha256", "size", "mime", "v", "op"]);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const STYLE = `
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1b1f23; max-width: 48rem; margin: 0 auto; padding: 1rem; }
h1, h2, h3 { color: #0e3f4f; line-height: 1.25; }
h2 { border-bottom: 2px solid #155e75; padding-bottom: .25rem; margin-top: 2rem; }
.entry { border: 1px solid #d5dade; border-radius: .5rem; padding: .75rem 1rem; margin: .75rem 0; break-inside: avoid; }
.meta { color: #4a5560; font-size: .9rem; margin: 0 0 .5rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dt { font-weight: 700; } dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.removed { color: #4a5560; font-style: italic; }
details { margin-top: .5rem; } summary { cursor: pointer; color: #155e75; }
.note { background: #e6f2f5; padding: .75rem 1rem; border-radius: .5rem; }
@media print { details { display: block; } details > summary { display: none; } details > * { display: block; } body { padding: 0; } a { color: inherit; } }
`;

function value(key, v, words) {
  if (typeof v === "boolean") return v ? "Ja" : "Nee";
  if (typeof v === "string" && DATE.test(v)) return datum(v);
  if (typeof v === "string" && Object.hasOwn(words, v) && (key === "soort" || key === "door")) return words[v];
  return typeof v === "string" ? v : JSON.stringify(v);
}

function bodyHtml(version, words, labels) {
  if (version.error) return `<p class="removed">${esc(version.error)}</p>`;
  const body = version.body ?? {};
  if (body.verwijderd === true && Object.keys(body).length === 1) return '<p class="removed">Verwijderd.</p>';
  const rows = Object.entries(body)
    .filter(([k, v]) => !SKIP.has(k) && v !== "" && v !== null)
    .map(([k, v]) => `<dt>${esc(labels[k] ?? k)}</dt><dd>${esc(value(k, v, words))}</dd>`);
  const file = version.file ? `<p><a href="${esc(version.file)}">Open het bestand ${esc(body.name ?? "")}</a></p>` : "";
  return `${rows.length ? `<dl>${rows.join("")}</dl>` : ""}${file}`;
}

/** The readable copy. `sections`: [{ section, entries: [{ entry, versions: [...] }] }] as in
 *  the JSON files; `who(authorId)`: "Jij", a name from a card, or a short id. */
export function readableCopy(sections, who, made = new Date()) {
  const words = storedWords();
  const labels = fieldLabels();
  const parts = [];
  for (const { section, entries } of sections) {
    parts.push(`<section><h2>${esc(sectionLabel(section) ?? section)}</h2>`);
    if (entries.length === 0) parts.push('<p class="removed">Hier staat niets in.</p>');
    for (const { versions } of entries) {
      const last = versions.at(-1);
      const meta = `${esc(who(last.author))} · ${esc(moment(last.created_at))}${versions.length > 1 ? ` · versie ${last.version}` : ""}`;
      parts.push(`<article class="entry"><p class="meta">${meta}</p>${bodyHtml(last, words, labels)}`);
      if (versions.length > 1) {
        parts.push(`<details><summary>Eerdere versies (${versions.length - 1})</summary>`);
        for (const v of versions.slice(0, -1).reverse()) {
          parts.push(`<p class="meta">Versie ${v.version} · ${esc(who(v.author))} · ${esc(moment(v.created_at))}</p>${bodyHtml(v, words, labels)}`);
        }
        parts.push("</details>");
      }
      parts.push("</article>");
    }
    parts.push("</section>");
  }
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mijn rugzak</title><style>${STYLE}</style></head><body>
<h1>Mijn rugzak</h1>
<p class="note">Dit is een kopie van alles in je rugzak, gemaakt op ${esc(moment(made))}. Dit bestand is <strong>niet versleuteld</strong>: bewaar het goed. De bestanden met .json erachter hebben dezelfde gegevens voor een computer; je documenten staan in de map documenten.</p>
${parts.join("\n")}
</body></html>
`;
}
