"""Refusals of single sign-on, shown on the refusal page (`pro/sso-fout.html`, 403,
`data-reden` = the reason). The Dutch (B1) sentence of every reason is a row of the one error
table (`web/errors.py`, code "sso-" + reason), so a refusal that reaches the API as
problem+json says the same.

Two sources: the relying party's protocol checks (`OidcRefused`: flow, state, nonce, …) and the
rules of `consent.sso` (`SsoRefused`: not-configured, unknown, linked-elsewhere)."""

from __future__ import annotations

from typing import Literal

from litestar.response import Template

from consent.sso.errors import SsoRefused
from web.errors import TABLE

Reason = Literal[
    "flow", "state", "nonce", "expired", "issuer", "signature", "claims", "provider", "denied"
]


class OidcRefused(Exception):
    """The provider's answer failed a protocol check; the table's row is "sso-" + `reason`."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: str = reason
        self.code = "sso-" + reason


def refuse(reason: Reason) -> OidcRefused:
    return OidcRefused(reason)


def refused_page(error: OidcRefused | SsoRefused) -> Template:
    row = TABLE[error.code]
    return Template(
        template_name="pro/sso-fout.html",
        context={"message": row.title, "reason": error.reason, "signed_in": False},
        status_code=row.status,
    )
