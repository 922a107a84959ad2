// Leefgebied: the progress chart, drawn in the browser from the opened measurements (the
// server never sees a score). Built with DOM calls only (no markup strings). The table of
// measurements on the page is the accessible alternative; the SVG has a text summary.
import { datum, datumKort } from "./dates.js";

const NS = "http://www.w3.org/2000/svg";
const W = 320;
const H = 180;
const PAD = { left: 28, right: 12, top: 12, bottom: 28 };

function el(name, attrs = {}, text = null) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== null) node.textContent = text;
  return node;
}

function measurements() {
  const rows = [...document.querySelectorAll("tr.rz-measurement[data-crypto=open]")];
  return rows.map((row) => {
    const get = (k) => {
      const node = row.querySelector(`[data-plain=${k}]`);
      return node?.getAttribute("data-iso") ?? node?.textContent ?? "";
    };
    return { datum: get("datum"), door: get("door"), score: Number(get("score")), doel: Number(get("doel")) };
  }).filter((m) => m.score >= 1 && m.score <= 5).sort((a, b) => a.datum.localeCompare(b.datum));
}

function summary(label, list) {
  const own = list.filter((m) => m.door !== "professional");
  const pro = list.filter((m) => m.door === "professional");
  const parts = [];
  if (own.length) parts.push(`Jouw cijfers: ${own.map((m) => `${m.score} op ${datum(m.datum)}`).join(", ")}.`);
  if (pro.length) parts.push(`Cijfers van een professional: ${pro.map((m) => `${m.score} op ${datum(m.datum)}`).join(", ")}.`);
  const goal = list.at(-1)?.doel;
  if (goal) parts.push(`Je doel is ${goal}.`);
  return `${label}: ${parts.join(" ")}`;
}

function draw() {
  const box = document.getElementById("grafiek");
  if (!box) return;
  const list = measurements();
  const figure = document.getElementById("voortgang-figuur");
  if (list.length === 0) {
    box.replaceChildren();
    return;
  }
  figure.hidden = false;
  const x = (i, n) => PAD.left + (n === 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  const y = (score) => PAD.top + ((5 - score) * (H - PAD.top - PAD.bottom)) / 4;
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "grafiek-svg-titel grafiek-svg-uitleg", class: "rz-svg" });
  svg.appendChild(el("title", { id: "grafiek-svg-titel" }, `Voortgang ${box.getAttribute("data-label")}`));
  svg.appendChild(el("desc", { id: "grafiek-svg-uitleg" }, summary(box.getAttribute("data-label"), list)));
  for (let s = 1; s <= 5; s += 1) {
    svg.appendChild(el("line", { x1: PAD.left, x2: W - PAD.right, y1: y(s), y2: y(s), stroke: "#d0d0d0", "stroke-width": 1 }));
    svg.appendChild(el("text", { x: 6, y: y(s) + 4, "font-size": 11, fill: "#333" }, String(s)));
  }
  const goal = list.at(-1).doel;
  if (goal >= 1 && goal <= 5) {
    svg.appendChild(el("line", { x1: PAD.left, x2: W - PAD.right, y1: y(goal), y2: y(goal), stroke: "#1d6b2f", "stroke-width": 2, "stroke-dasharray": "6 4" }));
  }
  const series = [
    { who: "jongere", color: "#1a5a9c", items: list.filter((m) => m.door !== "professional") },
    { who: "professional", color: "#8a3b00", items: list.filter((m) => m.door === "professional") },
  ];
  const n = list.length;
  for (const s of series) {
    if (s.items.length === 0) continue;
    const points = s.items.map((m) => [x(list.indexOf(m), n), y(m.score)]);
    svg.appendChild(el("polyline", { points: points.map((p) => p.join(",")).join(" "), fill: "none", stroke: s.color, "stroke-width": 3 }));
    for (const [px, py] of points) svg.appendChild(el("circle", { cx: px, cy: py, r: 5, fill: s.color }));
  }
  // Dates as dd-mm-jjjj (dates.js); with many points only the first and the last are named.
  list.forEach((m, i) => {
    if (n > 3 && i !== 0 && i !== n - 1) return;
    const anchor = n === 1 ? "middle" : i === 0 ? "start" : i === n - 1 ? "end" : "middle";
    svg.appendChild(el("text", { x: x(i, n), y: H - 8, "font-size": 10, "text-anchor": anchor, fill: "#333" }, datumKort(m.datum)));
  });
  box.replaceChildren(svg);
}

let pending = false;
document.addEventListener("rugzak:opened", () => {
  if (pending) return;
  pending = true;
  setTimeout(() => { pending = false; draw(); }, 0);
});
