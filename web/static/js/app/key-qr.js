// The key code as a QR code beside its digits (issue 19): the same six groups of five digits
// (crypto formatFingerprint, via people.js fingerprintOf), so any phone camera shows exactly the
// text to compare. lean-qr is vendored with SRI (scripts/vendor.mjs), like the school sheets.
import { correction, generate } from "../../vendor/lean-qr/lean-qr.mjs";
import { toSvg } from "../../vendor/lean-qr/svg.mjs";

/** Put (or replace) the QR of `codeElement`'s text right after it. */
export function showKeyQr(codeElement) {
  const text = codeElement.textContent.trim();
  const next = codeElement.nextElementSibling;
  if (next?.hasAttribute("data-key-qr")) next.remove();
  if (!/^[0-9]{5}( [0-9]{5}){5}$/.test(text)) return null;
  const figure = document.createElement("figure");
  figure.className = "rz-key-qr";
  figure.setAttribute("data-key-qr", text);
  const svg = toSvg(generate(text, { minCorrectionLevel: correction.M }), document, { on: "black", off: "white", pad: 4 });
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `QR-code van de sleutelcode ${text}`);
  figure.append(svg);
  codeElement.after(figure);
  return figure;
}
