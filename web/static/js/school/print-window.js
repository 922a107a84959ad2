// The print window (school/brieven.html, docs/campaigns.md "Printing"). The campaign page
// opens it with `noopener`, so it runs in a renderer process of its own that holds only the
// sheets: not the campaign page's state, libsodium heap or status table. That keeps the
// print run of a whole cohort under the memory the campaign tab alone would need.
//
// The hand-over, all in this browser: the URL fragment names a fresh random BroadcastChannel
// (a fragment never goes to the server; it is dropped from the address at once). This window
// says "ready" on it; the campaign tab answers with the letters it opened (reference, name,
// group, link, code); this window says "received", makes the sheets (sorted and split per
// group, js/school/sheets.js), prints, and closes after printing.
import { fillSheets, imagesLoaded } from "./sheets.js";

const $ = (id) => document.getElementById(id);
const root = $("brieven");
const info = JSON.parse(root.getAttribute("data-sheet"));
const status = (text) => { $("printstand").textContent = text; };
const name = window.location.hash.slice(1);
window.history.replaceState(null, "", window.location.pathname);

function print() {
  window.print();
}

/** A letter as the campaign tab sends it; anything else is left out. */
function letter(item) {
  const text = (v) => (typeof v === "string" ? v : "");
  return { reference: text(item?.reference), name: text(item?.name), group: text(item?.group), link: text(item?.link), code: text(item?.code) };
}

if (!/^rz-brieven-[0-9a-f]{32}$/.test(name)) {
  status("Dit venster opent alleen vanaf de campagnepagina. Sluit het en kies daar \"Alle brieven afdrukken\".");
} else {
  const channel = new BroadcastChannel(name);
  channel.addEventListener("message", ({ data }) => {
    if (data?.type !== "letters" || !Array.isArray(data.letters)) return;
    channel.postMessage({ type: "received" });
    channel.close();
    const letters = data.letters.map(letter).filter((l) => l.reference && l.link);
    const count = fillSheets(root, info, letters);
    status(`${count} ${count === 1 ? "brief staat" : "brieven staan"} klaar. Het printvenster gaat open.`);
    document.body.setAttribute("data-brieven", String(count));
    window.addEventListener("afterprint", () => {
      window.close();
      // Still open (the browser may keep a window it did not open itself): say so.
      status("Klaar. Je kunt dit venster sluiten.");
      $("opnieuw").hidden = false;
    });
    $("opnieuw").addEventListener("click", print);
    // Once the shared text images are loaded, and one frame later, so the status is on
    // screen before the dialog takes over.
    imagesLoaded(root).then(() => window.requestAnimationFrame(() => window.setTimeout(print, 0)));
  });
  channel.postMessage({ type: "ready" });
}
