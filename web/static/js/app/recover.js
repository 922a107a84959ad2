// Herstellen: the recovery code opens the recovery copy of the key bundle here; a new
// passphrase gives a new salt, auth_key and bundle (dossier/client/core.py recover).
import * as c from "../crypto.js";
import { api, masterKey, messageFor, revealJs, say, showError, strength, unlock } from "./common.js";

const $ = (id) => document.getElementById(id);

async function recover(username, codeText, pass, status) {
  await c.ready;
  let code;
  try {
    code = c.parseRecoveryCode(codeText);
  } catch {
    throw new Error("code");
  }
  const recovery = c.recoverySubkeys(code);
  const proof = c.b64e(recovery.authKey);
  const data = await api("POST", "/api/v1/auth/recovery/open", { json: { username, recovery_auth_key: proof } });
  const identity = c.openBundle(data.recovery_bundle, recovery.wrapKey, data.account_id, "recovery");
  const params = c.newKdfParams();
  const { authKey, wrapKey } = c.deriveSubkeys(await masterKey(pass, params, status));
  await api("POST", "/api/v1/auth/recovery", {
    json: {
      username, recovery_auth_key: proof, kdf: c.kdfParamsToJson(params), auth_key: c.b64e(authKey),
      bundle: c.sealBundle(identity, wrapKey, data.account_id),
    },
  });
  return unlock(username, authKey, wrapKey);
}

function start() {
  revealJs();
  let busy = false;
  $("herstelformulier").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const username = $("gebruikersnaam").value.trim().toLowerCase();
    const pass = $("wachtwoordzin").value;
    if (!strength(pass).ok) return showError($("fout"), "Je nieuwe wachtwoordzin is te kort. Gebruik minstens 12 tekens.");
    if (pass !== $("wachtwoordzin2").value) return showError($("fout"), "De twee wachtwoordzinnen zijn niet hetzelfde.");
    showError($("fout"), "");
    busy = true;
    try {
      const { account } = await recover(username, $("code").value, pass, $("voortgang"));
      window.location.assign(account.dossier_id ? "/rugzak" : "/sessies");
    } catch (err) {
      say($("voortgang"), "");
      showError($("fout"), err.message === "code" ? "Deze herstelcode klopt niet. Kijk of je alle tekens goed hebt overgenomen." : messageFor(err));
    } finally {
      busy = false;
    }
    return undefined;
  });
}

start();
