// Ik kom er niet meer in (dossier/client/recovery.py start_contact_recovery, recovery_progress,
// finish_contact_recovery): this tab makes the device key pair and keeps it, and the request
// token, in memory only (a reload starts over). After the contact's approval and the server's
// waiting period it opens the bundle copy with both shares, sets a new passphrase and a new
// recovery code, and rotates the setup to the same contacts.
import * as c from "../crypto.js";
import { api, masterKey, messageFor, revealJs, say, showError, strength, unlock } from "./common.js";

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
    if (s.state === "vetoed" || s.state === "expired") {
      showError($("fout-code"), "Deze poging is gestopt. Was jij het wel? Begin dan opnieuw.");
      return;
    }
    say($("wachttijd"), s.approved
      ? `Goedgekeurd. Je kunt verder vanaf ${ready.toLocaleString("nl-NL", { timeZone: "Europe/Amsterdam" })}.`
      : "Nog niet goedgekeurd door je herstelcontact.");
    if (s.approved && new Date(s.now) >= ready) {
      show("stap-nieuw");
      return;
    }
  } catch (err) {
    showError($("fout-code"), messageFor(err));
  }
  timer = window.setTimeout(poll, 3000);
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
}

start();
