// The demo identity provider (`make idp`), and the one the tests run: panva's oidc-provider
// (OpenID Certified) on loopback, with a small login page of its own instead of the library's
// development pages, and consent given on the organisation's behalf (a first-party app).
//
// DEMO ONLY. Its accounts and passwords are public (scripts/demo-idp.json); its signing key and
// cookie keys are made anew at every start and kept in memory. Never point a real organisation
// at it.
//
// Settings come from the environment; without any it is the demo organisation's provider:
//   OIDC_PORT          port on 127.0.0.1 (default: `port` in demo-idp.json, 9090)
//   OIDC_ISSUER        the issuer it claims (default http://127.0.0.1:PORT); another value makes
//                      a provider that names another issuer than the one it is reached at
//   OIDC_CLIENTS       JSON list of {client_id, redirect_uris}: public clients (PKCE, no secret).
//                      Default: `client_id` of demo-idp.json with the redirect URI
//                      ${RUGZAK_BASE_URL:-http://127.0.0.1:8000}/inloggen/sso/terug
//   OIDC_ACCOUNTS      unset: the accounts of demo-idp.json (login + password; `sub` is theirs).
//                      "any": every login name is its own subject and any password passes
//                      (the tests, which sign in as whoever they need)
//   OIDC_CLOCK_OFFSET  tests: seconds added to the clock while it answers the token endpoint
//                      (negative: ID tokens that have already expired when they arrive)
//   OIDC_ID_TOKEN_TTL  ID token lifetime in seconds (default 600)
// It prints "ready <issuer>" on stdout once it listens.
import { createHash, generateKeyPairSync, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";

import Provider from "oidc-provider";

const demo = JSON.parse(readFileSync(new URL("./demo-idp.json", import.meta.url), "utf8"));
const env = process.env;
const port = Number(env.OIDC_PORT || demo.port);
const issuer = env.OIDC_ISSUER || `http://127.0.0.1:${port}`;
const offset = Number(env.OIDC_CLOCK_OFFSET || "0");
const idTokenTtl = Number(env.OIDC_ID_TOKEN_TTL || "600");
const anyone = env.OIDC_ACCOUNTS === "any";
const callback = `${env.RUGZAK_BASE_URL || "http://127.0.0.1:8000"}/inloggen/sso/terug`;
const clients = env.OIDC_CLIENTS
  ? JSON.parse(env.OIDC_CLIENTS)
  : [{ client_id: demo.client_id, redirect_uris: [callback] }];

let skewed = false;
if (offset !== 0) {
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + (skewed ? offset * 1000 : 0);
}

const digest = (text) => createHash("sha256").update(String(text)).digest();

function checkLogin(login, password) {
  if (anyone) return login ? login : null;
  const account = demo.accounts.find((a) => a.login === login);
  const ok = timingSafeEqual(digest(account ? account.password : randomBytes(16)), digest(password));
  return account && ok ? account.sub : null;
}

function accountFor(sub) {
  if (anyone) return { sub, name: sub };
  const account = demo.accounts.find((a) => a.sub === sub);
  return account && { sub: account.sub, name: account.name };
}

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const provider = new Provider(issuer, {
  clients: clients.map((c) => ({
    client_id: c.client_id,
    redirect_uris: c.redirect_uris,
    token_endpoint_auth_method: "none",
    grant_types: ["authorization_code"],
    response_types: ["code"],
  })),
  jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), use: "sig", alg: "RS256" }] },
  pkce: { required: () => true },
  findAccount: async (ctx, sub) => {
    const claims = accountFor(sub);
    return claims && { accountId: sub, claims: async () => claims };
  },
  claims: { openid: ["sub"], profile: ["name"] },
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  ttl: { IdToken: idTokenTtl, AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
  features: { devInteractions: { enabled: false } },
});
provider.proxy = false;

const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, login, failed) {
  const title = anyone ? "Testinlogdienst" : `Inloggen bij ${demo.organisation ?? "de demo-organisatie"}`;
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title></head>
<body><main>
<h1>${escape(title)}</h1>
<p><strong>Alleen voor de demo.</strong> Deze inlogdienst en zijn wachtwoorden zijn openbaar.</p>
${failed ? '<p role="alert" id="fout">Je gebruikersnaam of wachtwoord klopt niet.</p>' : ""}
<form method="post" action="/interaction/${escape(uid)}">
<p><label for="login">Gebruikersnaam</label><br>
<input id="login" name="login" value="${escape(login)}" autocomplete="username" required></p>
<p><label for="password">Wachtwoord</label><br>
<input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Inloggen</button></p>
</form>
</main></body></html>`;
}

async function formBody(req) {
  let raw = "";
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 10_000) throw new Error("form too large");
  }
  return new URLSearchParams(raw);
}

async function consent({ prompt: { details }, grantId, session, params }) {
  // The organisation approved Rugzak for its staff: no consent page, as with a first-party app.
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(" "));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  return { consent: { grantId: await grant.save() } };
}

async function interaction(ctx) {
  const found = await provider.interactionDetails(ctx.req, ctx.res);
  let result;
  if (found.prompt.name === "consent") {
    result = await consent(found);
  } else if (ctx.method === "POST") {
    const form = await formBody(ctx.req);
    const login = (form.get("login") || "").trim();
    const sub = checkLogin(login, form.get("password") || "");
    if (!sub) {
      ctx.status = 401;
      ctx.type = "html";
      ctx.body = loginPage(found.uid, login, true);
      return;
    }
    result = { login: { accountId: sub } };
  } else {
    ctx.type = "html";
    ctx.body = loginPage(found.uid, "", false);
    return;
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission: false,
  });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

provider.use(async (ctx, next) => {
  if (/^\/interaction\/[\w-]+$/.test(ctx.path) && ["GET", "POST"].includes(ctx.method)) {
    ctx.set("cache-control", "no-store");
    await interaction(ctx);
    return;
  }
  skewed = ctx.path === "/token";
  try {
    await next();
  } finally {
    skewed = false;
  }
});

const server = provider.listen(port, "127.0.0.1", () => {
  process.stdout.write(`ready ${issuer}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
