// The ZRM strip on the caseload ("Toon scores"): only when the professional asks (each life-area
// read is logged in that youth's "Wie keek in mijn rugzak?"), fetch the life areas shared with
// me (GET /api/v1/grants/mine/lifeareas), open the keys and entries in this tab with the same
// checks as the youth's page (pro-actions.js holderOf, htmx-rugzak.js openElement), and show the
// latest score (1-5) per life area in each youth's row. Plaintext only via textContent.
import * as keystore from "../keystore.js";
import { lifeAreas, sectionLabel } from "./config.js";
import { holderOf, openEntries } from "./pro-actions.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);
const TEXT = {
  busy: "De leefgebieden worden geopend…",
  locked: "Je sleutels zijn niet in dit tabblad. Open je sleutels om de scores te zien. Er is niets gelezen.",
  none: "Geen enkele jongere deelt een leefgebied met jou.",
  error: "De scores konden niet worden opgehaald. Probeer het later opnieuw.",
};

/** The latest measurement's score (1-5) in one opened life area, by date then by time
 *  written; null when there is none. `failed` counts entries that could not be opened. */
function latestScore(area, me) {
  const { opened, failed } = openEntries(holderOf(area), me);
  let best = null;
  for (const { article, body } of opened) {
    const score = Number(body?.score);
    if (!Number.isInteger(score) || score < 1 || score > 5) continue;
    const when = `${typeof body.datum === "string" ? body.datum : ""} ${article.getAttribute("data-at") ?? ""}`;
    if (best === null || when > best.when) best = { score, when };
  }
  return { score: best?.score ?? null, failed };
}

function strip(scores, areas) {
  const wrap = document.createElement("span");
  wrap.className = "rz-zrm";
  const said = [];
  for (const [key, label] of areas) {
    const cell = document.createElement("span");
    const score = scores.get(key);
    cell.textContent = score === undefined ? "·" : score === null ? "–" : String(score);
    if (typeof score === "number") cell.setAttribute("data-score", String(score));
    cell.title = `${label}: ${score === undefined ? "niet gedeeld" : score === null ? "nog geen score" : score}`;
    cell.setAttribute("aria-hidden", "true");
    wrap.append(cell);
    if (typeof score === "number") said.push(`${label} ${score}`);
  }
  const spoken = document.createElement("span");
  spoken.className = "rz-visually-hidden";
  spoken.textContent = said.length ? said.join(", ") : "geen scores gedeeld";
  return [wrap, spoken];
}

async function show(button, status, rows) {
  const me = keystore.loadIdentity();
  if (me === null) { status.textContent = TEXT.locked; return; }
  button.disabled = true;
  status.textContent = TEXT.busy;
  let answer;
  try {
    answer = await pageJson("GET", "/api/v1/grants/mine/lifeareas");
  } catch {
    status.textContent = TEXT.error;
    button.disabled = false;
    return;
  }
  const byYouth = new Map();
  let broken = 0;
  for (const area of answer.plans) {
    const { score, failed } = latestScore(area, me);
    if (failed > 0) broken += 1;
    if (!byYouth.has(area.dossier)) byYouth.set(area.dossier, new Map());
    byYouth.get(area.dossier).set(area.section, failed > 0 ? null : score);
  }
  const areas = lifeAreas().map((key) => [key, sectionLabel(key)]);
  for (const row of rows) {
    const cell = row.querySelector("[data-zrm]");
    if (!cell) continue;
    const scores = byYouth.get(row.getAttribute("data-dossier"));
    cell.replaceChildren(...(scores ? strip(scores, areas) : ["–"]));
  }
  const notes = [answer.plans.length === 0 ? TEXT.none : "De laatste score per leefgebied staat in de kolom ZRM."];
  if (broken > 0) notes.push(`${broken} ${broken === 1 ? "leefgebied kon" : "leefgebieden konden"} niet veilig worden geopend.`);
  status.textContent = notes.join(" ");
  button.disabled = false;
  $("jongeren")?.setAttribute("data-zrm-ready", "");
}

export function installZrm(rows) {
  const button = $("toon-scores");
  const status = $("scores-status");
  if (!button || !status) return;
  button.addEventListener("click", () => { show(button, status, rows); });
}
