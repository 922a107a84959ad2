// The letters of one campaign's page: the print buttons and the hand-over to the print window
// (docs/campaigns.md, "Printing").
import { say } from "../app/common.js";
import { $, campaignId, info } from "./page.js";
import { fillSheets, groupCounts, imagesLoaded } from "./sheets.js";

// The letters live here (the links exist nowhere else) and become sheets only when printed,
// all of them or one group: a print run of one group of 160 needs about half the browser
// memory of one of 650 (docs/performance.md). After printing the sheets are removed again.
let letters = [];

function printButton(group, count) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "utrecht-button utrecht-button--secondary-action";
  button.setAttribute("data-print-group", group);
  button.textContent = `${group ? `Groep ${group}` : "Zonder groep"} afdrukken (${count} ${count === 1 ? "brief" : "brieven"})`;
  button.addEventListener("click", () => printLetters(group));
  return button;
}

export function lettersReady(list, why) {
  letters = list;
  $("brieven").replaceChildren();
  const groups = groupCounts(list);
  $("afdruk-knoppen").replaceChildren($("afdrukken"), ...(groups.length > 1 ? groups.map(([g, n]) => printButton(g, n)) : []));
  $("per-groep-uitleg").hidden = groups.length < 2;
  $("brieven-uitleg").textContent = `${why} ${list.length} ${list.length === 1 ? "brief" : "brieven"}, gesorteerd per groep.`;
  $("brieven-klaar").hidden = false;
  say($("voortgang"), "");
  $("afdrukken").focus();
}

/** `group`: null for every letter, else the letters of that group ("" for no group). */
const chosenLetters = (group) => (group === null ? letters : letters.filter((s) => (s.group || "") === group));

/** The fallback: the sheets in this tab, printed from here (more memory: the whole page is in
 *  this renderer). Only when the print window did not open. */
export async function printHere(group = null) {
  $("printvenster-fout").hidden = true;
  fillSheets($("brieven"), info, chosenLetters(group));
  await imagesLoaded($("brieven"));
  document.body.classList.add("rz-printing");
  window.print();
}

// The print window (docs/campaigns.md, "Printing"): a page of its own in a fresh renderer
// process (`noopener`), /pro/campagnes/{id}/brieven. The letters go to it over a
// BroadcastChannel with a fresh random name, passed in the URL fragment (which never reaches
// the server); only this browser's same-origin pages can join it, and only a page that knows
// the name. With `noopener`, window.open returns null even when the window opens, so a
// blocked pop-up shows as a window that never says "ready".
const WINDOW_WAIT_MS = 10_000;

export function printLetters(group = null) {
  const chosen = chosenLetters(group).map(({ reference, name, group: g, link, code }) => ({ reference, name, group: g, link, code }));
  const name = `rz-brieven-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
  const channel = new BroadcastChannel(name);
  $("printvenster-fout").hidden = true;
  const timer = window.setTimeout(() => {
    say($("voortgang"), "");
    $("printvenster-fout").hidden = false;
    $("hier-afdrukken").onclick = () => {
      channel.close();
      printHere(group);
    };
  }, WINDOW_WAIT_MS);
  channel.addEventListener("message", ({ data }) => {
    if (data?.type === "ready") {
      window.clearTimeout(timer);
      $("printvenster-fout").hidden = true;
      channel.postMessage({ type: "letters", letters: chosen });
    } else if (data?.type === "received") {
      channel.close();
      say($("voortgang"), `De brieven staan in een nieuw venster (${chosen.length}). Print ze daar.`);
    }
  });
  say($("voortgang"), "Het printvenster gaat open…");
  window.open(`/pro/campagnes/${campaignId}/brieven#${name}`, "_blank", "noopener");
}
