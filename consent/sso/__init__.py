"""Single sign-on for professionals: which organisations use an OpenID Connect provider, and
which professional account a provider's subject signs in as. The protocol itself (discovery,
the authorization code flow with PKCE, the ID token) lives in `web/oidc/`; this package only
holds the rules and the rows. Nothing here touches a key: single sign-on only authenticates."""
