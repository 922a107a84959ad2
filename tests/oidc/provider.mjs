// A real OpenID Connect provider for the tests: panva's oidc-provider (OpenID Certified),
// run with Node on loopback. Its development interactions are the login form: any login name
// becomes the subject (`sub`), any password is accepted. Nothing here is used outside tests.
//
// Configuration comes from the environment (the pytest fixture sets it):
//   OIDC_PORT          port to listen on (127.0.0.1 only)
//   OIDC_ISSUER        the issuer it claims (default http://127.0.0.1:PORT); a different value
//                      makes a provider that names another issuer than the one it is reached at
//   OIDC_CLIENTS       JSON list of {client_id, redirect_uris}: public clients (PKCE, no secret)
//   OIDC_CLOCK_OFFSET  seconds added to the provider's clock while it answers the token
//                      endpoint (negative: ID tokens that have already expired when they
//                      arrive; the login cookies keep the real clock so the login still works)
//   OIDC_ID_TOKEN_TTL  ID token lifetime in seconds (default 600)
// It prints "ready <issuer>" on stdout once it listens.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT);
const issuer = process.env.OIDC_ISSUER || `http://127.0.0.1:${port}`;
const offset = Number(process.env.OIDC_CLOCK_OFFSET || "0");
const idTokenTtl = Number(process.env.OIDC_ID_TOKEN_TTL || "600");

let skewed = false;
if (offset !== 0) {
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + (skewed ? offset * 1000 : 0);
}

const clients = JSON.parse(process.env.OIDC_CLIENTS || "[]").map((c) => ({
  client_id: c.client_id,
  redirect_uris: c.redirect_uris,
  token_endpoint_auth_method: "none",
  grant_types: ["authorization_code"],
  response_types: ["code"],
}));

const provider = new Provider(issuer, {
  clients,
  pkce: { required: () => true },
  findAccount: async (ctx, sub) => ({
    accountId: sub,
    claims: async () => ({ sub, name: sub }),
  }),
  claims: { openid: ["sub"], profile: ["name"] },
  cookies: { keys: ["rugzak-test-only-cookie-key"] },
  ttl: { IdToken: idTokenTtl, AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
  features: { devInteractions: { enabled: true } },
});
provider.proxy = false;
provider.use(async (ctx, next) => {
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
