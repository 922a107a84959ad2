// The text that is the same on every sheet of a print run (what the receiver asks and why,
// until when, "niet delen"), laid out once and printed as one shared image (docs/performance.md,
// "Session 5: the shared text image"). Chromium lays out every page of a print job in the
// renderer that prints, and the text is most of that memory: as HTML on each of 650 sheets it
// was laid out 650 times. Here it is one SVG document with the text as XHTML in a
// <foreignObject>, in a data: URL (CSP img-src allows data:), which every sheet's <img> shares:
// one image resource, laid out once, painted on every page as vector text (the PDF keeps it as
// text, not pixels). The image's `alt` carries the same text.
//
// The SVG image cannot load a stylesheet, so its CSS is here (the sheet's look in
// css/school.css, for the parts in the image). The height is measured by laying the same
// XHTML out once in this document, under the same CSS in a shadow root, at the printed width.

/** The printed width of a sheet: A4 less the 18 mm margins of `@page` (css/school.css). */
const WIDTH = "174mm";
const XHTML = "http://www.w3.org/1999/xhtml";
const CSS = `
.rz-text { display: flow-root; inline-size: ${WIDTH}; font-family: Arial, Helvetica, sans-serif;
  font-size: 12pt; line-height: 1.4; color: #000; }
.rz-text > div { margin: 0 0 4mm; }
.rz-text > .rz-open { margin: 0; }
.rz-sheet-school { font-size: 11pt; }
.rz-sheet-title { font-size: 18pt; font-weight: 700; line-height: 1.6; }
.rz-sheet-strong { font-weight: 700; }
.rz-sheet-link { font-family: "Courier New", monospace; font-size: 13pt; word-break: break-all; }
.rz-sheet-warning { border: 1pt solid #000; padding: 3mm; }
`;

function block(cls, lines) {
  const node = document.createElementNS(XHTML, "div");
  if (cls) node.setAttribute("class", cls);
  lines.forEach(([c, text], i) => {
    if (i) node.append(document.createElementNS(XHTML, "br"));
    if (!c) {
      node.append(text);
      return;
    }
    const span = document.createElementNS(XHTML, "span");
    span.setAttribute("class", c);
    span.textContent = text;
    node.append(span);
  });
  return node;
}

let measuring = null;

/** Height in CSS pixels of `content` laid out at the printed width under CSS. */
function heightOf(content) {
  if (!measuring) {
    const host = document.createElement("div");
    host.className = "rz-measure";
    measuring = host.attachShadow({ mode: "open" });
    const css = new CSSStyleSheet();
    css.replaceSync(CSS);
    measuring.adoptedStyleSheets = [css];
    document.body.append(host);
  }
  const copy = content.cloneNode(true);
  measuring.replaceChildren(copy);
  const height = copy.getBoundingClientRect().height;
  measuring.replaceChildren();
  return Math.ceil(height);
}

/** One text part of the sheet as an image every sheet shares: `blocks` are [class, lines]
 *  (lines as [span class or "", text]), as js/school/sheets.js builds its own blocks.
 *  Returns { src, alt, height } (height in CSS pixels; the width is `WIDTH`). */
export function textImage(blocks) {
  const content = document.createElementNS(XHTML, "div");
  content.setAttribute("class", "rz-text");
  content.append(...blocks.map(([cls, lines]) => block(cls, lines)));
  const height = heightOf(content);
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("width", WIDTH);
  svg.setAttribute("height", `${height}px`);
  const style = document.createElementNS("http://www.w3.org/2000/svg", "style");
  style.textContent = CSS;
  const object = document.createElementNS("http://www.w3.org/2000/svg", "foreignObject");
  object.setAttribute("width", "100%");
  object.setAttribute("height", "100%");
  object.append(content);
  svg.append(style, object);
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
  const alt = blocks.flatMap(([, lines]) => lines.map(([, text]) => text)).join(" ");
  return { src, alt, height };
}

/** An <img> of a shared text image. */
export function textImg({ src, alt, height }) {
  const img = document.createElement("img");
  img.className = "rz-sheet-image";
  img.alt = alt;
  img.width = Math.round((174 / 25.4) * 96);
  img.height = height;
  img.src = src;
  return img;
}

/** Resolves when every image below `node` has loaded (or failed): print only then. */
export function imagesLoaded(node) {
  const waiting = [...node.querySelectorAll("img")].filter((img) => !img.complete);
  return Promise.all(waiting.map((img) => new Promise((resolve) => {
    img.addEventListener("load", resolve, { once: true });
    img.addEventListener("error", resolve, { once: true });
  })));
}
