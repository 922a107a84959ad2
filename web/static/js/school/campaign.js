// One campaign's page (school/campagne.html). Everything with a name on it happens here:
// the export is read and mapped here (roster.js), names and groups are sealed here to the
// school's organisation key as opened with my own sealed copy (never a public key the server
// hands out), the letters are made here (sheets.js), and the status opens the names here.
// The calls are the Python client's routes under /api/v1 (docs/campaigns.md).
// The parts: page.js (shared facts and keys), import.js (the export), letters.js (printing),
// status.js (follow up).
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { messageFor, revealJs, say, showError } from "../app/common.js";
import { orgKey } from "../app/org-keys.js";
import { lockedBanner } from "../app/pro-keys.js";
import { chooseFile, importStudents, preview, summarise } from "./import.js";
import { printLetters } from "./letters.js";
import { $, act, keys, school } from "./page.js";
import { closeCampaign, exportCsv, loadStudents, newLetters, refresh, showTable } from "./status.js";

export { excelCell } from "./status.js";

c.ready.then(async () => {
  const me = keystore.loadIdentity();
  if (me === null) {
    lockedBanner();
    return;
  }
  try {
    ({ org: keys.org } = await orgKey(me, school.id));
    keys.opener = c.valueOpener(keys.org.boxSk, keys.org.boxPk);
  } catch (err) {
    showError($("fout"), messageFor(err));
    return;
  }
  revealJs();
  window.addEventListener("afterprint", () => {
    document.body.classList.remove("rz-printing");
    $("brieven").replaceChildren();
  });
  $("afdrukken").addEventListener("click", () => printLetters(null));
  $("toon-studenten").addEventListener("click", () => act("Namen worden geopend…", async () => {
    showTable(await loadStudents());
    say($("voortgang"), "");
  }));
  $("exporteer").addEventListener("click", exportCsv);
  $("herinnering")?.addEventListener("click", () => newLetters(null, "Herinnering: nieuwe brieven voor wie nog niet antwoordde; hun oude links werken niet meer."));
  $("sluiten")?.addEventListener("click", closeCampaign);
  $("bestand")?.addEventListener("change", chooseFile);
  for (const id of ["kolom-nummer", "kolom-groep"]) $(id)?.addEventListener("change", preview);
  $("kolom-naam")?.addEventListener("change", preview);
  $("alleen-goede")?.addEventListener("change", summarise);
  $("inlezen")?.addEventListener("click", importStudents);
  refresh().catch((err) => showError($("fout"), messageFor(err)));
});

