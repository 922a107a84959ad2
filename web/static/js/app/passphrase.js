// Wachtwoordzin wijzigen (dossier/client/core.py change_passphrase): the old passphrase gives
// the auth key that proves it, the new one a fresh salt, auth key and wrap key, and this tab's
// identity is sealed under the new wrap key. Neither passphrase, master key nor wrap key
// leaves the browser. The keystore holds the identity and section keys, not the wrap key, and
// the identity does not change: nothing in it needs updating afterwards.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { api, masterKey, messageFor, revealJs, say, showError, strength } from "./common.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);

/** This tab's keys, if they belong to the account this page is for (else null). */
function myKeys(form) {
  const me = keystore.loadIdentity();
  if (me === null || me.accountId !== form.getAttribute("data-account")) return null;
  const boxPk = c.b64d(form.getAttribute("data-box-pk"));
  const signPk = c.b64d(form.getAttribute("data-sign-pk"));
  if (!c.sameIdentity(me.identity, { boxPk, signPk })) return null;
  return me;
}

/** The three fields' problem as [field id, message], or null. Same rule as recover.js. */
function check(current, next, again) {
  if (!current) return ["huidige", "Vul je huidige wachtwoordzin in."];
  if (!strength(next).ok) return ["nieuwe", "Je nieuwe wachtwoordzin is te kort. Gebruik minstens 12 tekens."];
  if (next !== again) return ["nieuwe2", "De twee wachtwoordzinnen zijn niet hetzelfde."];
  if (next === current) return ["nieuwe", "Je nieuwe wachtwoordzin is hetzelfde als je huidige. Kies een andere."];
  return null;
}

async function change(form, me, current, next, status) {
  const username = form.getAttribute("data-username");
  const { kdf } = await api("GET", `/api/v1/auth/params?username=${encodeURIComponent(username)}`);
  const old = c.deriveSubkeys(await masterKey(current, c.checkKdfParams(kdf), status));
  const params = c.newKdfParams();
  const keys = c.deriveSubkeys(await masterKey(next, params, status));
  const bundle = c.sealBundle(me.identity, keys.wrapKey, me.accountId);
  // Never send a bundle the new passphrase could not open again.
  const reopened = c.openBundle(bundle, keys.wrapKey, me.accountId);
  if (!c.sameIdentity(reopened, me.identity)) {
    throw new c.TamperedError("the new bundle does not open to this identity");
  }
  say(status, "Je nieuwe wachtwoordzin wordt opgeslagen…");
  await pageJson("PUT", "/api/v1/account/passphrase", {
    auth_key: c.b64e(old.authKey),
    new_kdf: c.kdfParamsToJson(params),
    new_auth_key: c.b64e(keys.authKey),
    new_bundle: bundle,
  });
}

/** Mark one field (or none, with id null) and say why; focus goes to that field. */
function fail(id, text) {
  ["huidige", "nieuwe", "nieuwe2"].forEach((f) => $(f).setAttribute("aria-invalid", String(f === id)));
  showError($("fout"), text);
  if (id) $(id).focus();
}

async function start() {
  const form = $("wachtwoordzinformulier");
  await c.ready;
  const me = myKeys(form);
  if (me === null) {
    $("slot").hidden = false;
    return;
  }
  revealJs();
  $("nieuwe").addEventListener("input", (e) => say($("sterkte"), e.target.value ? strength(e.target.value).text : ""));
  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const current = $("huidige").value;
    const next = $("nieuwe").value;
    const problem = check(current, next, $("nieuwe2").value);
    if (problem) {
      fail(...problem);
      return;
    }
    fail(null, "");
    $("klaar").hidden = true;
    busy = true;
    $("wijzig").disabled = true;
    try {
      await change(form, me, current, next, $("voortgang"));
      say($("voortgang"), "");
      form.reset();
      say($("sterkte"), "");
      $("klaar").hidden = false;
      $("klaar").focus();
    } catch (err) {
      say($("voortgang"), "");
      if (err?.code === "invalid-credentials") fail("huidige", "Je huidige wachtwoordzin klopt niet.");
      else fail("huidige", messageFor(err));
    } finally {
      busy = false;
      $("wijzig").disabled = false;
    }
  });
}

start();
