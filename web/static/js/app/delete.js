// Verwijder mijn rugzak: the word VERWIJDER and the passphrase; the auth key is derived here
// (the passphrase never leaves the browser), the server crypto-shreds the account, and this
// tab's keys are wiped before landing on the logged-out page.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { api, csrfToken, masterKey, messageFor, revealJs, say, showError } from "./common.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);

function start() {
  revealJs();
  const form = $("verwijderformulier");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const word = $("bevestig").value.trim();
    const pass = $("wachtwoordzin").value;
    $("bevestig").setAttribute("aria-invalid", String(word !== "VERWIJDER"));
    if (word !== "VERWIJDER") {
      showError($("fout"), "Typ het woord VERWIJDER in hoofdletters.");
      $("bevestig").focus();
      return;
    }
    if (!pass) {
      showError($("fout"), "Vul je wachtwoordzin in.");
      $("wachtwoordzin").focus();
      return;
    }
    showError($("fout"), "");
    $("verwijder").disabled = true;
    try {
      await c.ready;
      const username = form.getAttribute("data-username");
      const { kdf } = await api("GET", `/api/v1/auth/params?username=${encodeURIComponent(username)}`);
      const { authKey } = c.deriveSubkeys(await masterKey(pass, c.checkKdfParams(kdf), $("voortgang")));
      say($("voortgang"), "Je rugzak wordt verwijderd…");
      await pageJson("POST", "/api/v1/account/delete", { auth_key: c.b64e(authKey) });
      keystore.wipe();
      // The session went with the account; logging out clears the cookie and lands on
      // the logged-out page.
      await fetch("/uitloggen", { method: "POST", headers: { "x-csrftoken": csrfToken() }, credentials: "same-origin" }).catch(() => {});
      window.location.assign("/uitgelogd");
    } catch (err) {
      say($("voortgang"), "");
      showError($("fout"), err?.status === 401 ? "Je wachtwoordzin klopt niet." : messageFor(err));
      $("wachtwoordzin").focus();
    } finally {
      $("verwijder").disabled = false;
    }
  });
}

start();
