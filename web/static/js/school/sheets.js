// The printed letters, made in this browser (docs/campaigns.md, "Printing"): one A4 per
// student with the school, who receives what and why, until when, a QR code (lean-qr, made
// here: the server never sees a name next to a link), the link, the school's contact person
// and "niet delen". Sorted and split per group; printed through the browser's print dialog
// (css/school.css), which also saves a PDF. Every text goes in with textContent.
import { correction, generate } from "../../vendor/lean-qr/lean-qr.mjs";
import { toSvg } from "../../vendor/lean-qr/svg.mjs";
import { textImage, textImg } from "./sheet-text.js";

export { imagesLoaded } from "./sheet-text.js";

const el = (tag, cls, text) => {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
};

/** "1 jaar", "6 maanden", "2 jaar" (as web/pages/campaign.py `how_long`). */
export function howLong(days) {
  if (days % 365 === 0) return `${days / 365} jaar`;
  if (days >= 60 && days % 30 === 0) return `${days / 30} maanden`;
  return days === 1 ? "1 dag" : `${days} dagen`;
}

function list(words) {
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} en ${words.at(-1)}`;
}

// A sheet is few boxes: Chromium's print layout costs memory per block box and per line
// (about 14 KB a block, 5 KB a line, measured in docs/performance.md), so the lines of one part
// of the letter are spans in one block, split by <br>, instead of a paragraph each, and the
// text that is the same on every sheet is one image all sheets share (sheet-text.js). The QR
// code is one SVG <path> without a background rectangle (the paper is white).
function block(cls, lines) {
  const node = el("div", cls);
  lines.forEach(([c, text], i) => {
    if (i) node.append(document.createElement("br"));
    node.append(c ? el("span", c, text) : text);
  });
  return node;
}

function qrCode(link) {
  const svg = toSvg(generate(link, { minCorrectionLevel: correction.M }), document, { on: "black", pad: 4 });
  svg.setAttribute("class", "rz-sheet-qr");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "QR-code met je persoonlijke link");
  return svg;
}

/** The parts that are the same on every sheet, each one image all sheets share
 *  (js/school/sheet-text.js); "rz-open" marks a block the sheet goes on with in the DOM. */
function sharedText(info) {
  const scan = new Map(); // per site the links are on: the same for every sheet in practice
  return {
    head: textImage([["rz-sheet-head rz-open", [
      ["rz-sheet-school", info.school],
      ["rz-sheet-title", info.title],
    ]]]),
    body: textImage([["rz-sheet-body", [
      ...(info.school_text ? [["rz-sheet-text", info.school_text]] : []),
      ["", `${info.receiver} wil graag je ${list(info.sections).toLowerCase()} zien in Rugzak, ${howLong(info.period_days)} lang.`],
      ["", `Waarom: ${info.purpose}`],
      ["rz-sheet-strong", `Jij beslist: ja of nee. Antwoorden kan tot en met ${info.closes}. Ja zeggen kun je later altijd weer intrekken. De school ziet alleen of je ja of nee zei.`],
    ]]]),
    scan(site) {
      if (!scan.has(site)) {
        scan.set(site, textImage([["rz-sheet-how rz-open", [
          ["", "Scan de QR-code met je telefoon. Of ga naar:"],
          ["rz-sheet-link", `${site}/campagne`],
        ]]]));
      }
      return scan.get(site);
    },
    end: textImage([
      ...(info.contact ? [["rz-sheet-how", [["", `Vragen? ${info.contact}`]]]] : []),
      ["rz-sheet-warning", [
        ["", "Niet delen: met deze link of code kan iemand anders namens jou antwoorden. Kwijt? Vraag de school om een nieuwe brief; deze link en code werken dan niet meer."],
      ]],
    ]),
  };
}

// The sheet: school and title, "Voor: <name>", the request, the QR code, where to go and the
// code, the whole link, who to ask, "niet delen", group and number. Only the name, the QR
// code, the code, the link and the last line differ per student.
function sheet(shared, student) {
  const page = el("article", "rz-sheet");
  page.setAttribute("data-sheet", student.reference);
  page.append(
    textImg(shared.head),
    block("rz-sheet-head", [["rz-sheet-to", student.name ? `Voor: ${student.name}` : `Voor: student ${student.reference}`]]),
    textImg(shared.body),
    qrCode(student.link),
    textImg(shared.scan(student.link.split("/campagne/")[0])),
    block("rz-sheet-how rz-open", [
      ...(student.code ? [["", "en typ deze code:"], ["rz-sheet-code", student.code]] : []),
      ["rz-sheet-small", `Of typ de hele link: ${student.link}`],
    ]),
    textImg(shared.end),
    el("p", "rz-sheet-foot", [student.group, student.reference].filter(Boolean).join(" · ")),
  );
  return page;
}

const byGroup = (a, b) => (a.group || "").localeCompare(b.group || "", "nl") || (a.name || "").localeCompare(b.name || "", "nl") || a.reference.localeCompare(b.reference);

/** [group, number of letters] per group ("" for none), in print order. */
export function groupCounts(students) {
  const counts = new Map();
  for (const s of students) counts.set(s.group || "", (counts.get(s.group || "") ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b, "nl"));
}

/** Fill `root` with one sheet per student, sorted by group then name; each group starts with
 *  a cover page naming it and how many letters follow. Returns the number of sheets. Print
 *  once `imagesLoaded(root)` (sheet-text.js) resolves: the shared text is an image. */
export function fillSheets(root, info, students) {
  const sorted = [...students].sort(byGroup);
  const groups = new Set(sorted.map((s) => s.group || ""));
  const shared = sharedText(info);
  const nodes = [];
  let current = null;
  for (const student of sorted) {
    const group = student.group || "";
    if (groups.size > 1 && group !== current) {
      current = group;
      const count = sorted.filter((s) => (s.group || "") === group).length;
      const cover = el("section", "rz-sheet rz-sheet-cover");
      cover.append(el("h2", "rz-sheet-title", group ? `Groep ${group}` : "Zonder groep"));
      cover.append(el("p", "", `${count} ${count === 1 ? "brief" : "brieven"} voor ${info.title}`));
      nodes.push(cover);
    }
    nodes.push(sheet(shared, student));
  }
  root.replaceChildren(...nodes);
  return sorted.length;
}
