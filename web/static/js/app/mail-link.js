// The pages a mail links to: a button, so a mail scanner that opens the link changes nothing.
// Confirm: POST /api/v1/mail/confirm {token}; unsubscribe: POST /api/v1/mail/unsubscribe/{token}
// (the same one-click route a mail client uses, RFC 8058).
import { messageFor, revealJs, say, showError } from "./common.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);

function start() {
  revealJs();
  const form = $("linkformulier");
  const { action, token } = form.dataset;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    $("doe").disabled = true;
    try {
      if (action === "confirm") {
        await pageJson("POST", "/api/v1/mail/confirm", { token });
        say($("status"), "Gelukt. Je e-mailadres is bevestigd.");
      } else {
        await pageJson("POST", `/api/v1/mail/unsubscribe/${encodeURIComponent(token)}`);
        say($("status"), "Gelukt. Je krijgt geen mails meer van Rugzak.");
      }
      form.hidden = true;
      showError($("fout"), "");
    } catch (err) {
      showError($("fout"), messageFor(err));
      $("doe").disabled = false;
    }
  });
}

start();
