// Shared by the account pages: the JSON API (bearer token, only during login), the unlock
// that fills this tab's keystore, and the bearer-to-cookie exchange. See docs/web-app.md.
// The bearer token lives only in a local variable here: after the exchange the pages use the
// HttpOnly cookie and the token is dropped.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";

export class Problem extends Error {
  constructor(status, problem) {
    super(problem.title || "Er ging iets mis. Probeer het opnieuw.");
    this.status = status;
    this.code = String(problem.type ?? "").split("/").pop();
  }
}

export const OFFLINE = "Er is geen verbinding. Controleer je internet en probeer het opnieuw.";

export async function api(method, path, { json = undefined, token = null, headers: extra = {} } = {}) {
  const headers = { accept: "application/json", ...extra };
  if (json !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json), credentials: "omit" });
  } catch {
    throw new Problem(0, { title: OFFLINE });
  }
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new Problem(response.status, problem);
  }
  return response.status === 204 ? null : response.json();
}

export function csrfToken(root = document) {
  return root.querySelector("input[name=_csrf_token]")?.value ?? "";
}

/** Show the parts of the page that need JavaScript (they are hidden for a page without it). */
export function revealJs(root = document) {
  root.querySelectorAll("[data-needs-js]").forEach((el) => { el.hidden = false; });
}

export function say(el, text) {
  if (el) el.textContent = text;
}

export function showError(el, text) {
  if (!el) return;
  el.textContent = text;
  el.hidden = !text;
}

/** Argon2id in the worker, with an honest progress message (Argon2 has no real percentage). */
export async function masterKey(passphrase, params, statusEl) {
  say(statusEl, "Even geduld: we maken je sleutel. Dit duurt een paar seconden…");
  const key = await c.deriveMasterKey(passphrase, params, ({ phase, elapsedMs }) => {
    if (phase === "deriving" && elapsedMs > 3000) say(statusEl, "Nog even geduld: je sleutel is bijna klaar…");
  });
  say(statusEl, "Sleutel gemaakt. Je rugzak wordt geopend…");
  return key;
}

/** Open every section key of my own dossier (sealed to my box key) into the keystore, after
 *  checking each is signed by me and matches the signed public key. */
export function saveSectionKeys(dossier, identity) {
  for (const section of dossier.sections) {
    const signed = c.verifySectionKey(section.signed_key, identity.signPk);
    if (signed.dossier !== dossier.id || signed.section !== section.key || signed.version !== section.key_version) {
      throw new c.TamperedError("section key names another place or version");
    }
    const sk = c.openSealed(identity.boxSk, c.b64d(section.owner_sealed_sk));
    if (!c.equalBytes(c.boxPublicKey(sk), signed.pk)) throw new c.TamperedError("section key does not match");
    keystore.saveSectionKey(dossier.id, section.key, section.key_version, sk);
  }
}

/** Log in with derived sub-keys: open the bundle, fill the keystore, trade the token for the
 *  page cookie. Same checks as dossier/client/core.py `_login_with`. */
export async function unlock(username, authKey, wrapKey) {
  await c.ready;
  const data = await api("POST", "/api/v1/auth/login", { json: { username, auth_key: c.b64e(authKey) } });
  const account = data.account;
  const identity = c.openBundle(data.bundle, wrapKey, account.id);
  const claimed = c.publicIdentityFromJson(account.identity);
  if (!c.sameIdentity(claimed, identity)) {
    throw new c.TamperedError("server's public identity does not match the bundle");
  }
  keystore.wipe();
  keystore.saveIdentity(account.id, identity);
  if (account.dossier_id) {
    keystore.pinOwner(account.dossier_id, account.id, c.identityPublic(identity));
    const dossier = await api("GET", `/api/v1/dossiers/${account.dossier_id}`, { token: data.token });
    saveSectionKeys(dossier, identity);
  }
  await exchange(data.token);
  return { account, identity, token: data.token };
}

/** POST /sessie with the bearer token (and the CSRF token): the server sets the HttpOnly cookie. */
export async function exchange(token) {
  const response = await fetch("/sessie", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "x-csrftoken": csrfToken() },
    credentials: "same-origin",
  });
  if (!response.ok) throw new Problem(response.status, { title: "Inloggen lukte niet. Laad de pagina opnieuw en probeer het nog eens." });
}

/** A message for anything that went wrong in a crypto flow, in plain Dutch. */
export function messageFor(err) {
  if (err instanceof Problem) return err.message;
  if (err instanceof c.WeakParameters) return "De server vraagt om een te zwakke beveiliging. We gaan niet verder.";
  if (err instanceof c.CryptoError) return "Er klopt iets niet met de beveiliging. We zijn gestopt, er is niets verstuurd.";
  return "Er ging iets mis. Probeer het opnieuw.";
}

/** Simple and honest: length first, then variety. Returns { ok, text }. */
export function strength(passphrase) {
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(passphrase)).length;
  const words = passphrase.trim().split(/[\s-]+/).filter(Boolean).length;
  if (passphrase.length < 12) return { ok: false, text: `Te kort: nog ${12 - passphrase.length} tekens.` };
  if (passphrase.length >= 20 || (words >= 4 && passphrase.length >= 16)) return { ok: true, text: "Sterk." };
  if (kinds >= 3) return { ok: true, text: "Goed. Nog sterker: maak hem langer." };
  return { ok: true, text: "Redelijk. Maak hem langer of gebruik ook cijfers of tekens." };
}
