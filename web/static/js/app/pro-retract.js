// "Jouw vragen" on a youth's page: the asker withdraws an unanswered request or handover
// proposal ("Voorstel intrekken") through POST /api/v1/requests/{id}/retract, the route the
// Python client calls. The statement is signed in this tab: the youth keeps it as the receipt.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { messageFor, say, showError } from "./common.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);
const STATE = "ingetrokken door jou";

async function retract(button, me, dossier) {
  const item = button.closest("[data-request-id]");
  const id = item.getAttribute("data-request-id");
  const statement = c.signStatement(me.identity, {
    kind: "consent-retract", request: id, dossier, at: c.formatTime(new Date()),
  });
  await pageJson("POST", `/api/v1/requests/${encodeURIComponent(id)}/retract`, { statement });
  item.querySelector("[data-request-state]").textContent = STATE;
  button.remove();
  say($("vragen-status"), "Ingetrokken. De jongere ziet deze vraag niet meer.");
}

c.ready.then(() => {
  const list = $("vragen");
  if (!list) return;
  const dossier = list.getAttribute("data-dossier");
  for (const button of list.querySelectorAll("[data-retract]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const me = keystore.loadIdentity();
      showError($("vragen-fout"), "");
      if (me === null) {
        showError($("vragen-fout"), "Je sleutels zijn niet in dit tabblad. Open je sleutels en probeer het opnieuw.");
        return;
      }
      button.disabled = true;
      try {
        await retract(button, me, dossier);
      } catch (err) {
        showError($("vragen-fout"), messageFor(err));
        button.disabled = false;
      }
    });
  }
});
