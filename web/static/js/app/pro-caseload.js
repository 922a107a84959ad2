// Mijn jongeren: open every youth's profile card in this tab (the server does not know the
// names), then filter and search on the opened names only here, in the browser.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { installActions } from "./pro-actions.js";
import { lockedBanner, openCard } from "./pro-keys.js";

const $ = (id) => document.getElementById(id);

function applyFilter(rows) {
  const query = ($("zoek")?.value ?? "").trim().toLowerCase();
  const filter = $("filter")?.value ?? "alle";
  let shown = 0;
  for (const row of rows) {
    const text = row.textContent.toLowerCase();
    const match = (!query || text.includes(query))
      && (filter === "alle"
        || (filter === "nieuw" && row.getAttribute("data-new") === "ja")
        || (filter === "aanspreekpunt" && row.getAttribute("data-contact") === "ja")
        || (filter === "verloopt" && row.getAttribute("data-ends") === "ja"));
    row.hidden = !match;
    if (match) shown += 1;
  }
  const count = $("zoek-aantal");
  if (count) count.textContent = `${shown} van ${rows.length} jongeren`;
}

c.ready.then(() => {
  const me = keystore.loadIdentity();
  document.querySelectorAll("[data-needs-js]").forEach((el) => { el.hidden = false; });
  installActions();
  const list = $("jongeren");
  const rows = list ? [...list.querySelectorAll("[data-youth-row]")] : [];
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
  rows.sort((a, b) => (a.querySelector("[data-name]")?.textContent ?? "").localeCompare(b.querySelector("[data-name]")?.textContent ?? "", "nl"));
  if (list) list.replaceChildren(...rows);
  applyFilter(rows);
  if (list) {
    list.setAttribute("data-render-ms", String(performance.now() - started));
    list.setAttribute("data-ready", "");
  }
  $("zoek")?.addEventListener("input", () => applyFilter(rows));
  $("filter")?.addEventListener("change", () => applyFilter(rows));
});
