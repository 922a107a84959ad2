// Mijn jongeren: open every youth's profile card in this tab (the server does not know the
// names), then sort, filter and search on the opened names only here, in the browser. The
// "Acties (14 dagen)" column is filled only when the professional asks (pro-actions.js: each
// plan read is logged for that youth).
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { myProfile } from "./invite-card.js";
import { installActions } from "./pro-actions.js";
import { installZrm } from "./pro-zrm.js";
import { trust } from "./people.js";
import { pageJson } from "./transport.js";
import { lockedBanner, openCard } from "./pro-keys.js";

const $ = (id) => document.getElementById(id);
const NL = new Intl.Collator("nl", { sensitivity: "base", numeric: true });

const FILTERS = {
  alle: () => true,
  nieuw: (row) => row.getAttribute("data-new") === "ja",
  aanspreekpunt: (row) => row.getAttribute("data-contact") === "ja",
  verloopt: (row) => row.getAttribute("data-ends") === "ja",
  acties: (row) => Number(row.getAttribute("data-sort-acties")) > 0,
  nazorg: (row) => row.getAttribute("data-nazorg") === "ja",
};

/** The value a column sorts on: the opened name, or the row's data-sort-<key> attribute. */
function sortValue(row, key) {
  if (key === "naam") return row.querySelector("[data-name]")?.textContent ?? "";
  return row.getAttribute(`data-sort-${key}`) ?? "";
}

/** Newest first for dates and counts (what a coach looks for), A–Z for names. */
const DESCENDING_FIRST = new Set(["activiteit", "nieuw", "acties"]);

export function sortRows(rows, key, direction) {
  const sign = direction === "descending" ? -1 : 1;
  const numeric = key === "nieuw" || key === "acties";
  const missing = (v) => v === "" || v === "~";
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (missing(x) !== missing(y)) return missing(x) ? 1 : -1; // unknown always last
    const order = missing(x) ? 0 : numeric ? Number(x) - Number(y) : NL.compare(x, y);
    return sign * order || NL.compare(sortValue(a, "naam"), sortValue(b, "naam"));
  });
}

function applyFilter(rows) {
  const query = ($("zoek")?.value ?? "").trim().toLowerCase();
  const keep = FILTERS[$("filter")?.value ?? "alle"] ?? FILTERS.alle;
  let shown = 0;
  for (const row of rows) {
    const match = (!query || row.textContent.toLowerCase().includes(query)) && keep(row);
    row.hidden = !match;
    if (match) shown += 1;
  }
  const count = $("zoek-aantal");
  if (count) count.textContent = `${shown} van ${rows.length} jongeren`;
}

function installSorting(table, rows) {
  const body = table.tBodies[0];
  for (const th of table.tHead.querySelectorAll("th[data-sort-key]")) {
    th.querySelector("button")?.addEventListener("click", () => {
      const key = th.getAttribute("data-sort-key");
      const now = th.getAttribute("aria-sort");
      const direction = now === null
        ? (DESCENDING_FIRST.has(key) ? "descending" : "ascending")
        : now === "ascending" ? "descending" : "ascending";
      for (const other of table.tHead.querySelectorAll("th[aria-sort]")) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", direction);
      const sorted = sortRows(rows, key, direction);
      rows.splice(0, rows.length, ...sorted);
      body.replaceChildren(...sorted);
    });
  }
}

/** Fill the actions column from the counts pro-actions.js found (dossier -> count). */
function showActionCounts(rows, counts) {
  for (const row of rows) {
    const cell = row.querySelector("[data-actions]");
    const count = counts.get(row.getAttribute("data-dossier"));
    const known = count !== undefined && !Number.isNaN(count);
    row.setAttribute("data-sort-acties", known ? String(count) : "~");
    if (cell) cell.textContent = known ? String(count) : count === undefined ? "plan niet gedeeld" : "kon niet veilig worden geopend";
  }
}

/** Send my profile card to every youth who has none from me yet (sealed to her, signed by
 *  me), so she sees my name instead of a number. Quietly retried on the next visit. */
async function sendCards(rows, me) {
  const missing = rows.filter((row) => row.hasAttribute("data-card-missing"));
  if (missing.length === 0) return;
  const card = await myProfile(me);
  if (card === null) return;
  for (const row of missing) {
    const youthId = row.getAttribute("data-youth-id");
    const youth = trust(youthId, JSON.parse(row.getAttribute("data-youth-identity")));
    const sealed = c.sealProfileCard(card, { senderId: me.accountId, sender: me.identity, recipientId: youthId, recipientBoxPk: youth.boxPk });
    await pageJson("PUT", `/api/v1/connections/${encodeURIComponent(row.getAttribute("data-connection"))}/card`, { card: c.b64e(sealed) });
    row.removeAttribute("data-card-missing");
  }
}

c.ready.then(() => {
  const me = keystore.loadIdentity();
  document.querySelectorAll("[data-needs-js]").forEach((el) => { el.hidden = false; });
  const table = $("jongeren");
  const rows = table ? [...table.tBodies[0].rows] : [];
  installActions((counts) => { showActionCounts(rows, counts); applyFilter(rows); });
  installZrm(rows);
  if (me === null) {
    if (rows.length) lockedBanner();
    return;
  }
  const started = performance.now();
  for (const row of rows) {
    try {
      openCard(row, me);
    } catch {
      row.querySelectorAll("[data-name]").forEach((n) => { n.textContent = "Naam kon niet veilig worden geopend"; });
      row.setAttribute("data-crypto", "failed");
    }
  }
  if (table) {
    const sorted = sortRows(rows, "naam", "ascending");
    rows.splice(0, rows.length, ...sorted);
    table.tBodies[0].replaceChildren(...sorted);
    installSorting(table, rows);
  }
  applyFilter(rows);
  if (table) {
    table.setAttribute("data-render-ms", String(performance.now() - started));
    table.setAttribute("data-ready", "");
  }
  sendCards(rows, me).catch((err) => console.warn("profile card not sent", err?.name));
  $("zoek")?.addEventListener("input", () => applyFilter(rows));
  $("filter")?.addEventListener("change", () => applyFilter(rows));
});
