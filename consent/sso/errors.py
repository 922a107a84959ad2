"""Domain errors of single sign-on; the error table in `web/errors.py` gives each its Dutch
message, shown on the refusal page (`web/oidc/errors.py`) and as problem+json for the API.

`reason` is the stable word a refusal page carries (`data-reden`); the relying party's own
protocol refusals (`state`, `nonce`, `issuer`, …) use the same words."""

from __future__ import annotations

from dossier.errors import Forbidden, InvalidInput


class SsoRefused(Forbidden):
    """Signing in (or linking) through the organisation's provider was refused."""

    code = "sso-refused"
    reason = "refused"


class SsoNotConfigured(SsoRefused):
    """No such organisation, or it has no provider set (or no longer)."""

    code = "sso-not-configured"
    reason = "not-configured"


class SsoUnknownSubject(SsoRefused):
    """No link for this subject at the organisation's issuer, or the linked account is no
    longer an active member: one answer for both, so a removed member learns nothing more."""

    code = "sso-unknown"
    reason = "unknown"


class SsoLinkedElsewhere(SsoRefused):
    """This subject is already linked to another Rugzak account of the organisation."""

    code = "sso-linked-elsewhere"
    reason = "linked-elsewhere"


class InvalidIssuer(InvalidInput):
    """An issuer (or a provider endpoint) that is not https; plain http only on loopback."""

    code = "invalid-issuer"
