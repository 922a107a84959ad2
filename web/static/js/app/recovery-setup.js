// Herstelcontact (dossier/client/recovery.py set_up_recovery, check_recovery_code,
// new_recovery_code, veto_recovery): the recovery key is made and split here, the contact
// share sealed to each chosen contact's pinned key, the setup signed with this tab's identity.
// The recovery code typed for the yearly check never leaves this page.
import * as c from "../crypto.js";
import { masterKey, messageFor, revealJs, say, showError } from "./common.js";
import { me } from "./consent.js";
import { fingerprintOf, label, openCard, trust } from "./people.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);

async function connections() {
  const all = await pageJson("GET", "/api/v1/connections");
  return all.filter((conn) => conn.ended_at === null && conn.role === "youth");
}

function choices(list, mine) {
  const box = $("keuzes");
  box.replaceChildren();
  if (list.length === 0) {
    const p = document.createElement("p");
    p.className = "utrecht-paragraph";
    p.textContent = "Je bent nog met niemand verbonden. Verbind eerst met je coach of iemand die je vertrouwt.";
    box.append(p);
    return;
  }
  for (const conn of list) {
    const card = openCard(mine, conn.other_id, conn.other_identity, conn.card);
    const div = document.createElement("div");
    div.className = "rz-checkbox";
    const input = document.createElement("input");
    input.type = "checkbox";
    input.className = "utrecht-checkbox";
    input.id = `contact-${conn.other_id}`;
    input.value = conn.other_id;
    const lab = document.createElement("label");
    lab.className = "utrecht-form-label";
    lab.htmlFor = input.id;
    const trusted = conn.purpose === "recovery"; // a "vertrouwd persoon": only a recovery contact
    const who = label(card) ?? (trusted ? "Vertrouwd persoon" : "Professional");
    lab.textContent = `${who}${trusted && label(card) ? " (vertrouwd persoon)" : ""} — code ${fingerprintOf(conn.other_identity)}`;
    div.append(input, lab);
    box.append(div);
  }
  document.querySelectorAll("[data-naam]").forEach((el) => {
    const conn = list.find((x) => x.other_id === el.getAttribute("data-naam"));
    const name = conn ? label(openCard(mine, conn.other_id, conn.other_identity, conn.card)) : null;
    if (name) el.textContent = name;
  });
}

/** The body of PUT /api/v1/recovery/setup (dossier/client/recovery.py setup_payload). */
function setupPayload(mine, contacts, waitSeconds) {
  const split = c.newRecoverySplit();
  const sealed = contacts.map(({ id, identity }) => [id, c.sealContactShare(identity.boxPk, split.contactShare)]);
  const setup = c.signRecoverySetup(mine.identity, {
    account: mine.accountId,
    setup: crypto.randomUUID(),
    contacts: contacts.map(({ id, identity }, i) => ({
      account: id, fingerprint: c.fingerprint(identity), share_sha256: c.shareHash(sealed[i][1]),
    })),
    waitSeconds,
  });
  const body = {
    setup,
    server_share: c.b64e(split.serverShare),
    bundle: c.sealContactBundle(mine.identity, split.key, mine.accountId),
    shares: sealed.map(([id, s]) => ({ contact: id, sealed: c.b64e(s) })),
  };
  split.key.fill(0);
  split.contactShare.fill(0);
  return body;
}

async function save(list) {
  const mine = me();
  const chosen = [...document.querySelectorAll("#keuzes input:checked")].map((el) => el.value);
  if (chosen.length < 1 || chosen.length > 2) {
    showError($("fout"), "Kies één of twee mensen.");
    return;
  }
  showError($("fout"), "");
  say($("voortgang"), "Even geduld: je herstelcontact wordt ingesteld…");
  const contacts = chosen.map((id) => ({ id, identity: trust(id, list.find((x) => x.other_id === id).other_identity) }));
  const body = setupPayload(mine, contacts, Number($("wachttijd").value) * 3600);
  await pageJson("PUT", "/api/v1/recovery/setup", body);
  window.location.reload();
}

async function checkCode() {
  const mine = me();
  let wrap;
  try {
    wrap = c.recoverySubkeys(c.parseRecoveryCode($("herstelcode").value)).wrapKey;
  } catch {
    showError($("fout-code"), "Dit is geen herstelcode. Kijk of je alle tekens goed hebt overgenomen.");
    return;
  }
  const { recovery_bundle: bundle } = await pageJson("GET", "/api/v1/recovery/code");
  let ok = false;
  try {
    ok = c.sameIdentity(c.openBundle(bundle, wrap, mine.accountId, "recovery"), mine.identity);
  } catch {
    ok = false;
  }
  if (!ok) {
    showError($("fout-code"), "Deze code werkt niet. Maak hieronder een nieuwe code.");
    return;
  }
  showError($("fout-code"), "");
  await pageJson("POST", "/api/v1/recovery/code/check");
  say($("code-uitslag"), "Goed zo: je herstelcode werkt nog.");
}

async function newCode() {
  const mine = me();
  const pass = $("wachtwoordzin").value;
  if (!pass) {
    showError($("fout-nieuwe-code"), "Vul je wachtwoordzin in.");
    return;
  }
  const account = await pageJson("GET", "/api/v1/account");
  const { kdf } = await pageJson("GET", `/api/v1/auth/params?username=${encodeURIComponent(account.username)}`);
  const keys = c.deriveSubkeys(await masterKey(pass, c.checkKdfParams(kdf), $("nieuwe-code-status")));
  const code = c.newRecoveryCode();
  const recovery = c.recoverySubkeys(c.parseRecoveryCode(code));
  await pageJson("PUT", "/api/v1/recovery/code", {
    auth_key: c.b64e(keys.authKey),
    recovery_auth_key: c.b64e(recovery.authKey),
    recovery_bundle: c.sealBundle(mine.identity, recovery.wrapKey, mine.accountId, "recovery"),
  });
  showError($("fout-nieuwe-code"), "");
  say($("nieuwe-code-status"), "Dit is je nieuwe herstelcode. Schrijf hem op: je ziet hem maar één keer.");
  $("nieuwe-code").textContent = code;
  $("nieuwe-code").hidden = false;
}

function guard(fn, errorEl) {
  return async (event) => {
    event.preventDefault();
    try {
      await fn(event);
    } catch (err) {
      say($("voortgang"), "");
      showError($(errorEl), err?.code === "invalid-credentials" ? "Je wachtwoordzin klopt niet." : messageFor(err));
    }
  };
}

/** A trusted person (recovery-only connection) is not on Delen: end that connection here. */
function endButtons(list) {
  for (const conn of list.filter((x) => x.purpose === "recovery")) {
    const card = document.querySelector(`[data-contact="${conn.other_id}"]`);
    if (!card) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "utrecht-button utrecht-button--secondary-action";
    button.setAttribute("data-verbreken", conn.id);
    button.textContent = "Verbinding verbreken";
    button.addEventListener("click", guard(async () => {
      const { sections } = await pageJson("DELETE", `/api/v1/connections/${conn.id}`);
      // Nothing is shared with a trusted person; if something was, Delen rotates the keys.
      window.location.assign(sections.length ? "/delen" : "/herstelcontact");
    }, "fout"));
    card.append(" ", button);
  }
}

async function start() {
  revealJs();
  await c.ready;
  document.querySelectorAll("[data-veto]").forEach((button) => {
    button.addEventListener("click", guard(async () => {
      await pageJson("POST", `/api/v1/recovery/requests/${button.getAttribute("data-veto")}/veto`);
      window.location.reload();
    }, "fout"));
  });
  document.querySelectorAll("[data-weghalen]").forEach((button) => {
    button.addEventListener("click", guard(async () => {
      await pageJson("DELETE", `/api/v1/recovery/contacts/${button.getAttribute("data-weghalen")}`);
      window.location.reload();
    }, "fout"));
  });
  $("codeformulier").addEventListener("submit", guard(checkCode, "fout-code"));
  $("nieuwecodeformulier").addEventListener("submit", guard(newCode, "fout-nieuwe-code"));
  let list = [];
  try {
    list = await connections();
    choices(list, me());
    endButtons(list);
  } catch (err) {
    showError($("fout"), messageFor(err));
  }
  $("kiesformulier").addEventListener("submit", guard(() => save(list), "fout"));
}

start();
