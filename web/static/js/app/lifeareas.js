// Leefgebieden at a glance: from the opened measurements of every life area (the server
// never sees a score), the latest own score, the latest score of a professional and the
// target per area, in the table (the accessible alternative) and one bar chart over all
// areas (an SVG with role="img" and a text summary). DOM calls only, no markup strings.
import { datum } from "./dates.js";

const NS = "http://www.w3.org/2000/svg";
const ROW = 34;
const LEFT = 104;
const RIGHT = 12;
const W = 340;

function el(name, attrs = {}, text = null) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== null) node.textContent = text;
  return node;
}

/** The latest measurement by `door` (jongere or professional) per area, from opened entries. */
export function latest(container) {
  const found = { jongere: null, professional: null };
  for (const entry of container.querySelectorAll("[data-ciphertext][data-crypto=open]:not([data-removed])")) {
    const get = (k) => entry.querySelector(`[data-plain=${k}]`)?.textContent ?? "";
    const m = { datum: get("datum"), door: get("door") === "professional" ? "professional" : "jongere", score: Number(get("score")), doel: Number(get("doel")), version: Number(entry.getAttribute("data-version")), at: entry.getAttribute("data-at") ?? "" };
    if (!(m.score >= 1 && m.score <= 5)) continue;
    const best = found[m.door];
    if (best === null || `${m.datum}|${m.at}` > `${best.datum}|${best.at}`) found[m.door] = m;
  }
  return found;
}

function summary(rows) {
  return rows.map((r) => {
    const parts = [];
    parts.push(r.own ? `jij ${r.own.score} (${datum(r.own.datum)})` : "jij nog geen cijfer");
    if (r.pro) parts.push(`je begeleider ${r.pro.score}`);
    if (r.goal) parts.push(`doel ${r.goal}`);
    return `${r.label}: ${parts.join(", ")}.`;
  }).join(" ");
}

function draw(rows) {
  const figure = document.getElementById("overzicht-figuur");
  const box = document.getElementById("overzicht-grafiek");
  if (!figure || !box) return;
  if (!rows.some((r) => r.own || r.pro)) { figure.hidden = true; return; }
  figure.hidden = false;
  const H = rows.length * ROW + 24;
  const x = (score) => LEFT + ((W - LEFT - RIGHT) * score) / 5;
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "overzicht-svg-titel overzicht-svg-uitleg" });
  svg.appendChild(el("title", { id: "overzicht-svg-titel" }, "Je laatste cijfers per leefgebied"));
  svg.appendChild(el("desc", { id: "overzicht-svg-uitleg" }, summary(rows)));
  for (let s = 1; s <= 5; s += 1) {
    svg.appendChild(el("line", { x1: x(s), x2: x(s), y1: 0, y2: H - 20, stroke: "#d5dade", "stroke-width": 1 }));
    svg.appendChild(el("text", { x: x(s), y: H - 6, "font-size": 11, "text-anchor": "middle", fill: "#4a5560" }, String(s)));
  }
  rows.forEach((r, i) => {
    const top = i * ROW + 4;
    svg.appendChild(el("text", { x: 0, y: top + 17, "font-size": 12, fill: "#1b1f23" }, r.label));
    if (r.own) svg.appendChild(el("rect", { x: LEFT, y: top + 3, width: x(r.own.score) - LEFT, height: 11, rx: 2, fill: "#155e75" }));
    if (r.pro) svg.appendChild(el("rect", { x: LEFT, y: top + 16, width: x(r.pro.score) - LEFT, height: 8, rx: 2, fill: "#b45309" }));
    if (r.goal) svg.appendChild(el("line", { x1: x(r.goal), x2: x(r.goal), y1: top, y2: top + 28, stroke: "#1d6b2f", "stroke-width": 3, "stroke-dasharray": "4 3" }));
  });
  box.replaceChildren(svg);
}

function render() {
  const rows = [];
  for (const row of document.querySelectorAll("#overzicht tr[data-area]")) {
    const key = row.getAttribute("data-area");
    const container = document.querySelector(`[data-area-entries="${CSS.escape(key)}"]`);
    const { jongere: own, professional: pro } = container ? latest(container) : { jongere: null, professional: null };
    const goal = own && own.doel >= 1 && own.doel <= 5 ? own.doel : null;
    row.querySelector("[data-score=jongere]").textContent = own ? String(own.score) : "–";
    row.querySelector("[data-score=professional]").textContent = pro ? String(pro.score) : "–";
    row.querySelector("[data-score=doel]").textContent = goal ? String(goal) : "–";
    rows.push({ label: row.getAttribute("data-label"), own, pro, goal });
  }
  draw(rows);
}

let pending = false;
document.addEventListener("rugzak:opened", () => {
  if (pending) return;
  pending = true;
  setTimeout(() => { pending = false; render(); }, 0);
});
