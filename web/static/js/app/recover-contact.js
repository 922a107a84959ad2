// Ik kom er niet meer in (dossier/client/recovery.py start_contact_recovery, recovery_progress,
// finish_contact_recovery): the device makes its key pair and keeps it, with the request
// token, on this device (recovery-store.js, IndexedDB) so a reload or a closed tab during the
// wait continues where it was. After the contact's approval and the server's waiting period it
// opens the bundle copy with both shares, sets a new passphrase and a new recovery code, and
// rotates the setup to the same contacts. "Opnieuw beginnen" ends the request at the server.
import * as c from "../crypto.js";
import { Problem, api, masterKey, messageFor, revealJs, say, showError, strength, unlock } from "./common.js";
import { clearRequest, loadRequest, saveRequest } from "./recovery-store.js";

const $ = (id) => document.getElementById(id);
const state = { username: "", id: "", token: "", deviceSk: null, devicePk: null };
const headers = () => ({ "x-recovery-token": state.token });
let timer = null;

function show(step) {
  for (const s of ["stap-naam", "stap-code", "stap-nieuw", "stap-klaar"]) $(s).hidden = s !== step;
}

async function begin(event) {
  event.preventDefault();
  const username = $("gebruikersnaam").value.trim().toLowerCase();
  if (!username) return showError($("fout-naam"), "Vul je gebruikersnaam in.");
  try {
    await c.ready;
    state.deviceSk = c.generateBoxSecretKey();
    state.devicePk = c.boxPublicKey(state.deviceSk);
    const data = await api("POST", "/api/v1/auth/recovery/contact", {
      json: { username, device_pk: c.b64e(state.devicePk) },
    });
    Object.assign(state, { username, id: data.id, token: data.token });
    await saveRequest(state);
    showError($("fout-naam"), "");
    show("stap-code");
    poll();
  } catch (err) {
    showError($("fout-naam"), messageFor(err));
  }
  return undefined;
}

async function poll() {
  window.clearTimeout(timer);
  try {
    const s = await api("GET", `/api/v1/auth/recovery/contact/${state.id}`, { headers: headers() });
    if (s.challenge) $("korte-code").textContent = c.recoveryShortCode(state.devicePk, state.id, c.b64d(s.challenge));
    const ready = new Date(s.not_before);
    if (s.state !== "waiting" && s.state !== "released") {
      await over("Deze poging is gestopt. Was jij het wel? Begin dan opnieuw.");
      return;
    }
    say($("nog-uur"), left(new Date(s.now), ready));
    say($("wachttijd"), s.approved
      ? `Goedgekeurd. Je kunt verder vanaf ${ready.toLocaleString("nl-NL", { timeZone: "Europe/Amsterdam" })}.`
      : "Nog niet goedgekeurd door je herstelcontact.");
    if (s.approved && new Date(s.now) >= ready) {
      show("stap-nieuw");
      return;
    }
  } catch (err) {
    if (err instanceof Problem && err.code === "recovery-unavailable") {
      await over("Deze poging kennen we niet meer. Begin opnieuw.");
      return;
    }
    showError($("fout-code"), messageFor(err));
  }
  timer = window.setTimeout(poll, 3000);
}

/** "Je verzoek loopt nog — nog 71 uur." (whole hours, rounded up), or "" when the wait is over. */
function left(now, ready) {
  const hours = Math.ceil((ready - now) / 3_600_000);
  if (hours <= 0) return "";
  return `Je verzoek loopt nog — nog ${hours} uur.`;
}

/** The request ended (stopped, expired, unknown): forget it here and go back to the start. */
async function over(message) {
  window.clearTimeout(timer);
  await clearRequest();
  Object.assign(state, { username: "", id: "", token: "", deviceSk: null, devicePk: null });
  show("stap-naam");
  showError($("fout-naam"), message);
}

/** "Opnieuw beginnen": end the request at the server (only this device has the token). */
async function restart() {
  try {
    await api("POST", `/api/v1/auth/recovery/contact/${state.id}/cancel`, { headers: headers() });
  } catch (err) {
    const gone = err instanceof Problem && ["recovery-ended", "recovery-unavailable"].includes(err.code);
    if (!gone) return showError($("fout-code"), messageFor(err));
  }
  await over("");
  $("gebruikersnaam").value = "";
  $("gebruikersnaam").focus();
  return undefined;
}

/** A request this device started earlier (another day, a closed tab): continue it. */
async function resume() {
  const saved = await loadRequest();
  if (saved === null) return;
  await c.ready;
  Object.assign(state, {
    username: saved.username, id: saved.id, token: saved.token, deviceSk: saved.deviceSk, devicePk: saved.devicePk,
  });
  $("gebruikersnaam").value = saved.username;
  show("stap-code");
  poll();
}

/** The body of POST …/complete (dossier/client/recovery.py finish_contact_recovery). */
async function finish(pass) {
  const path = `/api/v1/auth/recovery/contact/${state.id}`;
  const data = await api("POST", `${path}/release`, { headers: headers() });
  const contactShare = c.openShare(state.deviceSk, c.b64d(data.resealed));
  const identity = c.openContactBundle(data.bundle, c.b64d(data.server_share), contactShare, data.account_id);
  if (!c.sameIdentity(identity, c.publicIdentityFromJson(data.identity))) throw new c.TamperedError("not this account");
  const record = c.verifyRecoverySetup(data.setup, identity.signPk);
  const contacts = data.contacts.map((raw) => {
    const pub = c.publicIdentityFromJson(raw.identity);
    const signed = record.contacts.find((x) => x.account === raw.account);
    if (!signed || !c.equalBytes(signed.fingerprint, c.fingerprint(pub))) throw new c.TamperedError("contact key");
    return { id: raw.account, pub };
  });
  const params = c.newKdfParams();
  const keys = c.deriveSubkeys(await masterKey(pass, params, $("voortgang")));
  const code = c.newRecoveryCode();
  const recovery = c.recoverySubkeys(c.parseRecoveryCode(code));
  let setup = null;
  if (contacts.length) {
    const split = c.newRecoverySplit();
    const sealed = contacts.map(({ pub }) => c.sealContactShare(pub.boxPk, split.contactShare));
    setup = {
      setup: c.signRecoverySetup(identity, {
        account: data.account_id,
        setup: crypto.randomUUID(),
        contacts: contacts.map(({ id, pub }, i) => ({ account: id, fingerprint: c.fingerprint(pub), share_sha256: c.shareHash(sealed[i]) })),
        waitSeconds: record.waitSeconds,
      }),
      server_share: c.b64e(split.serverShare),
      bundle: c.sealContactBundle(identity, split.key, data.account_id),
      shares: contacts.map(({ id }, i) => ({ contact: id, sealed: c.b64e(sealed[i]) })),
    };
  }
  await api("POST", `${path}/complete`, {
    headers: headers(),
    json: {
      kdf: c.kdfParamsToJson(params),
      auth_key: c.b64e(keys.authKey),
      bundle: c.sealBundle(identity, keys.wrapKey, data.account_id),
      recovery_auth_key: c.b64e(recovery.authKey),
      recovery_bundle: c.sealBundle(identity, recovery.wrapKey, data.account_id, "recovery"),
      setup,
    },
  });
  await clearRequest();
  await unlock(data.username, keys.authKey, keys.wrapKey);
  return code;
}

async function save(event) {
  event.preventDefault();
  const pass = $("wachtwoordzin").value;
  if (!strength(pass).ok) return showError($("fout-nieuw"), "Je nieuwe wachtwoordzin is te kort. Gebruik minstens 12 tekens.");
  if (pass !== $("wachtwoordzin2").value) return showError($("fout-nieuw"), "De twee wachtwoordzinnen zijn niet hetzelfde.");
  showError($("fout-nieuw"), "");
  try {
    const code = await finish(pass);
    $("nieuwe-code").textContent = code;
    show("stap-klaar");
  } catch (err) {
    say($("voortgang"), "");
    showError($("fout-nieuw"), messageFor(err));
  }
  return undefined;
}

function start() {
  revealJs();
  $("startformulier").addEventListener("submit", begin);
  $("verder").addEventListener("click", () => poll());
  $("nieuwformulier").addEventListener("submit", save);
  $("opnieuw").addEventListener("click", restart);
  resume();
}

start();
