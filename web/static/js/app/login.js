// Inloggen: KDF parameters from the server (refused if weaker than v1), Argon2id in the worker,
// then the API login with auth_key only; the bundle is opened here (dossier/client/core.py).
import * as c from "../crypto.js";
import { api, masterKey, messageFor, revealJs, say, showError, unlock } from "./common.js";
import { rotateDue } from "./consent.js";

const $ = (id) => document.getElementById(id);

/** Like RugzakClient.login: rotate sections an ended grant could still open (DESIGN §4). A
 *  failure does not block the login; the next unlock tries again. */
async function rotateAfterUnlock(dossier) {
  try {
    say($("voortgang"), "Je rugzak wordt bijgewerkt…");
    await rotateDue(dossier);
  } catch {
    /* tried again on the next unlock */
  }
}

function start() {
  revealJs();
  const form = $("inlogformulier");
  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const username = $("gebruikersnaam").value.trim().toLowerCase();
    const pass = $("wachtwoordzin").value;
    if (!username || !pass) {
      showError($("fout"), "Vul je gebruikersnaam en je wachtwoordzin in.");
      (username ? $("wachtwoordzin") : $("gebruikersnaam")).focus();
      return;
    }
    showError($("fout"), "");
    busy = true;
    $("inloggen").disabled = true;
    try {
      await c.ready;
      const { kdf } = await api("GET", `/api/v1/auth/params?username=${encodeURIComponent(username)}`);
      const params = c.checkKdfParams(kdf);
      const { authKey, wrapKey } = c.deriveSubkeys(await masterKey(pass, params, $("voortgang")));
      const { account } = await unlock(username, authKey, wrapKey);
      if (account.dossier_id) await rotateAfterUnlock(account.dossier_id);
      const next = new URLSearchParams(window.location.search).get("verder") ?? "";
      window.location.assign(/^\/(uitnodiging|campagne|pro\/lid-worden)\/[\w-]+$/.test(next) ? next : account.dossier_id ? "/rugzak" : account.kind === "professional" ? "/pro" : "/sessies");
    } catch (err) {
      say($("voortgang"), "");
      showError($("fout"), messageFor(err));
      $("wachtwoordzin").focus();
    } finally {
      busy = false;
      $("inloggen").disabled = false;
    }
  });
}

start();
