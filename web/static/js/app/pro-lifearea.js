// Life areas on one youth's page for a professional: a chart per area, drawn here from the
// measurements opened in this tab (the youth's scores, the professional's scores and the
// target side by side). DOM calls only; the list of measurements under it is the accessible
// alternative and the SVG carries a text summary.
const NS = "http://www.w3.org/2000/svg";
const W = 320;
const H = 160;
const PAD = { left: 24, right: 12, top: 10, bottom: 24 };

function el(name, attrs = {}, text = null) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== null) node.textContent = text;
  return node;
}

/** The opened measurements of one block, oldest first. */
export function measurementsOf(block) {
  return [...block.querySelectorAll("[data-ciphertext][data-crypto=open]")].map((a) => {
    const get = (k) => a.querySelector(`[data-plain=${k}]`)?.textContent ?? "";
    return { datum: get("datum"), door: get("door"), score: Number(get("score")), doel: Number(get("doel")) };
  }).filter((m) => m.score >= 1 && m.score <= 5).sort((a, b) => a.datum.localeCompare(b.datum));
}

function summary(label, list) {
  const own = list.filter((m) => m.door !== "professional");
  const pro = list.filter((m) => m.door === "professional");
  const parts = [];
  if (own.length) parts.push(`Cijfers van de jongere: ${own.map((m) => `${m.score} op ${m.datum}`).join(", ")}.`);
  if (pro.length) parts.push(`Cijfers van een professional: ${pro.map((m) => `${m.score} op ${m.datum}`).join(", ")}.`);
  const goal = [...list].reverse().find((m) => m.doel >= 1 && m.doel <= 5)?.doel;
  if (goal) parts.push(`Het doel is ${goal}.`);
  return `${label}: ${parts.join(" ")}`;
}

export function drawChart(block) {
  const figure = block.querySelector("[data-chart]");
  const box = figure?.querySelector("[data-chart-svg]");
  if (!figure || !box) return;
  const list = measurementsOf(block);
  if (list.length === 0) { figure.hidden = true; return; }
  const label = figure.getAttribute("data-label");
  const id = block.getAttribute("data-section");
  const x = (i, n) => PAD.left + (n === 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  const y = (score) => PAD.top + ((5 - score) * (H - PAD.top - PAD.bottom)) / 4;
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `grafiek-${id}-titel grafiek-${id}-uitleg`, class: "rz-svg" });
  svg.appendChild(el("title", { id: `grafiek-${id}-titel` }, `Voortgang ${label}`));
  svg.appendChild(el("desc", { id: `grafiek-${id}-uitleg` }, summary(label, list)));
  for (let s = 1; s <= 5; s += 1) {
    svg.appendChild(el("line", { x1: PAD.left, x2: W - PAD.right, y1: y(s), y2: y(s), stroke: "#d0d0d0", "stroke-width": 1 }));
    svg.appendChild(el("text", { x: 6, y: y(s) + 4, "font-size": 11, fill: "#333" }, String(s)));
  }
  const goal = [...list].reverse().find((m) => m.doel >= 1 && m.doel <= 5)?.doel;
  if (goal) {
    svg.appendChild(el("line", { x1: PAD.left, x2: W - PAD.right, y1: y(goal), y2: y(goal), stroke: "#1d6b2f", "stroke-width": 2, "stroke-dasharray": "6 4", "data-goal": goal }));
  }
  const n = list.length;
  for (const [who, color, items] of [
    ["jongere", "#1a5a9c", list.filter((m) => m.door !== "professional")],
    ["professional", "#8a3b00", list.filter((m) => m.door === "professional")],
  ]) {
    if (items.length === 0) continue;
    const points = items.map((m) => [x(list.indexOf(m), n), y(m.score)]);
    svg.appendChild(el("polyline", { points: points.map((p) => p.join(",")).join(" "), fill: "none", stroke: color, "stroke-width": 3, "data-series": who }));
    for (const [px, py] of points) svg.appendChild(el("circle", { cx: px, cy: py, r: 5, fill: color }));
  }
  list.forEach((m, i) => svg.appendChild(el("text", { x: x(i, n), y: H - 6, "font-size": 10, "text-anchor": "middle", fill: "#333" }, m.datum.slice(5))));
  box.replaceChildren(svg);
  figure.hidden = false;
}

const dirty = new Set();
document.addEventListener("rugzak:opened", (e) => {
  const block = e.target instanceof Element ? e.target.closest("[data-section]") : null;
  if (!block?.querySelector("[data-chart]")) return;
  if (dirty.size === 0) setTimeout(() => { for (const b of dirty) drawChart(b); dirty.clear(); }, 0);
  dirty.add(block);
});
