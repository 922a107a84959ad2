// After single sign-on: the session exists, but the keys are still sealed. Fetch my sealed
// bundle with the session cookie, derive the wrap key from the passphrase in the worker, open
// the bundle here. The passphrase and the keys never leave this tab; no login proof is sent
// (single sign-on already authenticated the session). See docs/professionals.md.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { Problem, masterKey, messageFor, revealJs, say, showError } from "./common.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);

async function sealedBundle() {
  try {
    return await pageJson("GET", "/api/v1/account/bundle");
  } catch (err) {
    throw new Problem(err?.status ?? 0, { title: "Je sessie is verlopen. Log opnieuw in." });
  }
}

export async function openWithPassphrase(pass, statusEl) {
  await c.ready;
  const { account, kdf, bundle } = await sealedBundle();
  const params = c.checkKdfParams(kdf);
  const { wrapKey } = c.deriveSubkeys(await masterKey(pass, params, statusEl));
  const identity = c.openBundle(bundle, wrapKey, account.id);
  const claimed = c.publicIdentityFromJson(account.identity);
  if (!c.sameIdentity(claimed, identity)) {
    throw new c.TamperedError("server's public identity does not match the bundle");
  }
  keystore.wipe();
  keystore.saveIdentity(account.id, identity);
  return account;
}

function start() {
  revealJs();
  const form = $("ontgrendelformulier");
  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const pass = $("wachtwoordzin").value;
    if (!pass) {
      showError($("fout"), "Vul je wachtwoordzin in.");
      $("wachtwoordzin").focus();
      return;
    }
    showError($("fout"), "");
    busy = true;
    $("ontgrendelen").disabled = true;
    try {
      await openWithPassphrase(pass, $("voortgang"));
      window.location.assign("/pro");
    } catch (err) {
      say($("voortgang"), "");
      const wrong = err instanceof c.TamperedError || err instanceof c.CryptoError;
      showError($("fout"), wrong && !(err instanceof c.WeakParameters) ? "Deze wachtwoordzin klopt niet. Probeer het opnieuw." : messageFor(err));
      $("wachtwoordzin").focus();
    } finally {
      busy = false;
      $("ontgrendelen").disabled = false;
    }
  });
}

start();
