"""Refusals of single sign-on, translated in one place: every `reason` gets one Dutch (B1)
sentence, shown on the refusal page (`pro/sso-fout.html`, 403, `data-reden` = the reason); the
domain errors of `consent.sso` get the same sentence as problem+json should one reach the API.

Two sources: the relying party's protocol checks (`OidcRefused`: flow, state, nonce, …) and the
rules of `consent.sso` (`SsoRefused`: not-configured, unknown, linked-elsewhere)."""

from __future__ import annotations

from typing import Literal

from litestar.response import Template
from litestar.status_codes import HTTP_403_FORBIDDEN

from consent.sso.errors import (
    InvalidIssuer,
    SsoLinkedElsewhere,
    SsoNotConfigured,
    SsoRefused,
    SsoUnknownSubject,
)
from web.errors import PROBLEMS, register

Reason = Literal[
    "flow", "state", "nonce", "expired", "issuer", "signature", "claims", "provider", "denied"
]

MESSAGES = {
    "flow": "Het inloggen duurde te lang of is in een ander venster begonnen. Probeer het opnieuw.",
    "state": "Dit antwoord hoort niet bij jouw inlogpoging. Probeer het opnieuw.",
    "nonce": "Het bewijs van je organisatie hoort niet bij deze inlogpoging. Probeer het opnieuw.",
    "expired": "Het bewijs van je organisatie is verlopen. Probeer het opnieuw.",
    "issuer": "Het antwoord komt niet van de inlogdienst die je organisatie heeft ingesteld.",
    "signature": "Het bewijs van je organisatie is niet goed ondertekend. We vertrouwen het niet.",
    "claims": "Het bewijs van je organisatie klopt niet. We vertrouwen het niet.",
    "provider": "De inlogdienst van je organisatie is nu niet bereikbaar of gaf een fout.",
    "denied": "Je organisatie heeft het inloggen niet toegestaan.",
    "unknown": (
        "Dit account van je organisatie is nog niet gekoppeld aan een Rugzak-account. "
        "Log één keer in met je wachtwoordzin en koppel het bij Inloggen via je organisatie."
    ),
    "not-configured": "Deze organisatie heeft inloggen via de eigen inlogdienst niet ingesteld.",
    "linked-elsewhere": (
        "Dit account van je organisatie is al aan een ander Rugzak-account gekoppeld."
    ),
}

for _error in (SsoNotConfigured, SsoUnknownSubject, SsoLinkedElsewhere):
    register(_error.code, HTTP_403_FORBIDDEN, MESSAGES[_error.reason])
register(InvalidIssuer.code, *PROBLEMS["invalid-input"])


class OidcRefused(Exception):
    """The provider's answer failed a protocol check; `reason` is a key of `MESSAGES`."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: str = reason


def refuse(reason: Reason) -> OidcRefused:
    return OidcRefused(reason)


def refused_page(error: OidcRefused | SsoRefused) -> Template:
    return Template(
        template_name="pro/sso-fout.html",
        context={"message": MESSAGES[error.reason], "reason": error.reason, "signed_in": False},
        status_code=HTTP_403_FORBIDDEN,
    )
