// Meldingen per e-mail: add an address (the server queues a confirmation mail), choose how
// often, or remove it. Every call goes through the API (PUT/PATCH/DELETE /api/v1/account/mail).
import { messageFor, revealJs, say, showError } from "./common.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);

function start() {
  revealJs();
  $("adresformulier").addEventListener("submit", async (event) => {
    event.preventDefault();
    const address = $("adres").value.trim();
    if (!address.includes("@")) {
      showError($("adres-fout"), "Vul een e-mailadres in, zoals naam@voorbeeld.nl.");
      $("adres").setAttribute("aria-invalid", "true");
      $("adres").focus();
      return;
    }
    try {
      await pageJson("PUT", "/api/v1/account/mail", { address });
      window.location.assign("/meldingen/e-mail");
    } catch (err) {
      showError($("adres-fout"), messageFor(err));
      $("adres").setAttribute("aria-invalid", "true");
      $("adres").focus();
    }
  });
  $("vaakformulier")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const mode = document.querySelector("input[name=hoe-vaak]:checked")?.value;
    try {
      await pageJson("PATCH", "/api/v1/account/mail", { mode });
      showError($("fout"), "");
      say($("status"), "Opgeslagen.");
    } catch (err) {
      showError($("fout"), messageFor(err));
    }
  });
  $("verwijder")?.addEventListener("click", async () => {
    try {
      await pageJson("DELETE", "/api/v1/account/mail");
      window.location.assign("/meldingen/e-mail");
    } catch (err) {
      showError($("fout"), messageFor(err));
    }
  });
}

start();
