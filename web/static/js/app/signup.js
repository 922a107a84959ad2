// Aanmelden: every key is made here, as dossier/client/core.py sign_up does. The server gets
// the sub-key auth_key, sealed bundles, public keys and signed section keys; never the
// passphrase, the master key, the wrap key or the recovery code.
import * as c from "../crypto.js";
import { Problem, api, exchange, masterKey, messageFor, revealJs, say, saveSectionKeys, showError, strength } from "./common.js";
import * as keystore from "../keystore.js";
import * as config from "./config.js";

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;
// ?verder=: where to go once the rugzak is made (an invite or a school's campaign link).
const NEXT = /^\/(uitnodiging|campagne)\/[\w-]+$/;
const next = new URLSearchParams(window.location.search).get("verder") ?? "";
const $ = (id) => document.getElementById(id);

function age(birth, today = new Date()) {
  let years = today.getFullYear() - birth.getUTCFullYear();
  const beforeBirthday = today.getMonth() < birth.getUTCMonth()
    || (today.getMonth() === birth.getUTCMonth() && today.getDate() < birth.getUTCDate());
  if (beforeBirthday) years -= 1;
  return years;
}

// /aanmelden/vertrouwd: a trusted person's account (kind professional, no birth date, no
// rugzak), then the profile card and the "vertrouwd persoon" invite (docs/recovery.md).
const TRUSTED = document.getElementById("aanmeldformulier")?.dataset.kind === "professional";

function check({ username, birth, pass, pass2 }) {
  if (!USERNAME.test(username)) return ["gebruikersnaam", "Kies een gebruikersnaam van 3 tot 32 tekens: kleine letters, cijfers, punt of streepje."];
  if (TRUSTED) return checkPass(pass, pass2);
  if (!birth) return ["geboortedatum", "Vul je geboortedatum in."];
  const born = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(born.getTime())) return ["geboortedatum", "Dit is geen datum. Vul je geboortedatum in als dag, maand en jaar."];
  if (born > new Date()) return ["geboortedatum", "Deze datum ligt in de toekomst. Vul de dag in waarop je geboren bent."];
  if (age(born) > 120) return ["geboortedatum", "Kijk je geboortedatum nog eens na: het jaar klopt niet."];
  if (age(new Date(`${birth}T00:00:00Z`)) < 16) {
    return ["geboortedatum", "Je moet 16 jaar of ouder zijn om zelf een rugzak te maken. Ben je jonger? Vraag je ouder of begeleider om hulp."];
  }
  return checkPass(pass, pass2);
}

function checkPass(pass, pass2) {
  if (!strength(pass).ok) return ["wachtwoordzin", "Je wachtwoordzin is te kort. Gebruik minstens 12 tekens."];
  if (pass !== pass2) return ["wachtwoordzin2", "De twee wachtwoordzinnen zijn niet hetzelfde."];
  return null;
}

/** Show the one error message at the field it is about: moved just above that input,
 *  which is marked invalid, described by it and focused. */
function atField(error, id, text) {
  const field = $(id);
  document.querySelectorAll("[aria-describedby~=fout]").forEach((el) => {
    el.setAttribute("aria-describedby", el.getAttribute("aria-describedby").replace(/\s*\bfout\b/, "").trim());
  });
  field.insertAdjacentElement("beforebegin", error);
  showError(error, text);
  field.setAttribute("aria-invalid", "true");
  field.setAttribute("aria-describedby", `${field.getAttribute("aria-describedby") ?? ""} fout`.trim());
  field.focus();
}

function newDossier(identity) {
  const id = crypto.randomUUID();
  const keys = {};
  const sections = config.sections().map(({ key }) => {
    const pair = c.generateSectionKeyPair();
    keys[key] = pair.sk;
    return {
      key,
      signed_key: c.signSectionKey(identity, id, key, 1, pair.pk),
      owner_sealed_sk: c.b64e(c.sealTo(identity.boxPk, pair.sk)),
    };
  });
  return { id, sections };
}

async function signUp({ username, birth, pass }, status) {
  await c.ready;
  const accountId = crypto.randomUUID();
  const identity = c.generateIdentity();
  const params = c.newKdfParams();
  const { authKey, wrapKey } = c.deriveSubkeys(await masterKey(pass, params, status));
  const code = c.newRecoveryCode();
  const recovery = c.recoverySubkeys(c.parseRecoveryCode(code));
  await api("POST", "/api/v1/auth/signup", {
    json: {
      id: accountId, username, kind: TRUSTED ? "professional" : "youth", birth_date: TRUSTED ? null : birth,
      kdf: c.kdfParamsToJson(params), auth_key: c.b64e(authKey), recovery_auth_key: c.b64e(recovery.authKey),
      bundle: c.sealBundle(identity, wrapKey, accountId),
      recovery_bundle: c.sealBundle(identity, recovery.wrapKey, accountId, "recovery"),
      identity: c.publicIdentityToJson(c.identityPublic(identity)),
    },
  });
  const login = await api("POST", "/api/v1/auth/login", { json: { username, auth_key: c.b64e(authKey) } });
  const token = login.token;
  if (TRUSTED) { // no rugzak of one's own: keys in this tab, then the cookie session
    keystore.wipe();
    keystore.saveIdentity(accountId, identity);
    await exchange(token);
    return code;
  }
  say(status, "Je rugzak wordt gemaakt…");
  const body = newDossier(identity);
  const dossier = await api("POST", "/api/v1/dossiers", { json: body, token });
  keystore.wipe();
  keystore.saveIdentity(accountId, identity);
  keystore.pinOwner(dossier.id, accountId, c.identityPublic(identity));
  saveSectionKeys(dossier, identity);
  await exchange(token);
  return code;
}

function showCode(code) {
  const groups = code.split("-");
  const ask = Math.floor(Math.random() * (groups.length - 1)); // a full group of four
  $("stap-account").hidden = true;
  $("stap-herstelcode").hidden = false;
  $("herstelcode").textContent = code;
  $("controle-vraag").textContent = `Typ groep ${ask + 1} van je herstelcode`;
  $("herstel-titel").focus();
  $("print").addEventListener("click", () => window.print());
  $("bewaard").addEventListener("click", () => {
    $("codeblok").hidden = true;
    $("controle").hidden = false;
    $("controlecode").focus();
  });
  $("opnieuw-tonen").addEventListener("click", () => {
    $("codeblok").hidden = false;
    $("controle").hidden = true;
    $("bewaard").focus();
  });
  $("controle").addEventListener("submit", (event) => {
    event.preventDefault();
    const typed = $("controlecode").value.trim().toUpperCase();
    if (typed === groups[ask]) {
      $("herstelcode").textContent = "";
      const home = TRUSTED ? "/pro/profiel?verder=/pro/uitnodigen" : "/rugzak";
      window.location.assign(NEXT.test(next) ? next : home);
    } else {
      showError($("controle-fout"), "Dat klopt niet. Kijk nog eens goed naar je code.");
      $("controlecode").focus();
    }
  });
}

function start() {
  revealJs();
  if (NEXT.test(next)) {
    // Keep the way back when the youth already has a rugzak and logs in instead.
    document.querySelectorAll('a[href="/inloggen"]').forEach((a) => { a.href = `/inloggen?verder=${encodeURIComponent(next)}`; });
  }
  const form = $("aanmeldformulier");
  const error = $("fout");
  $("wachtwoordzin").addEventListener("input", (e) => say($("sterkte"), e.target.value ? strength(e.target.value).text : ""));
  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const values = {
      username: $("gebruikersnaam").value.trim().toLowerCase(),
      birth: $("geboortedatum")?.value ?? "",
      pass: $("wachtwoordzin").value,
      pass2: $("wachtwoordzin2").value,
    };
    const wrong = check(values);
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    if (wrong) {
      atField(error, wrong[0], wrong[1]);
      return;
    }
    showError(error, "");
    busy = true;
    $("maak").disabled = true;
    try {
      showCode(await signUp(values, $("voortgang")));
    } catch (err) {
      say($("voortgang"), "");
      if (err instanceof Problem && err.code === "conflict") atField(error, "gebruikersnaam", "Deze gebruikersnaam is al bezet. Kies een andere.");
      else if (err instanceof Problem && err.code === "too-young") atField(error, "geboortedatum", messageFor(err));
      else showError(error, messageFor(err));
    } finally {
      busy = false;
      $("maak").disabled = false;
    }
  });
}

start();
