"""Grant ends: the owner's signed word that a grant stopped at a moment (a revocation, or the
wide grants a nazorg step-down replaces).

Invariant: a reader caps a receipt's validity at the `at` of a grant end that verifies under
the owner's key and names exactly that receipt's grant, dossier and section. An entry whose
signed time is after that second is refused (`UnauthorisedAuthor`), so a revoked
appender working with the server cannot add entries that readers accept with a current time.
An end that does not verify is ignored, not obeyed: the server cannot forge one to make
readers refuse a grantee's genuine entries (it can still withhold the end; the section
manifest, docs/crypto.md, closes that).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from dossier.crypto.encoding import format_time, get_str, parse_time
from dossier.crypto.errors import CryptoError, MalformedError
from dossier.crypto.identity import Identity
from dossier.crypto.statements import sign_statement, verify_statement

GRANT_END: Final = "grant-end"
_FIELDS: Final = frozenset({"kind", "grant", "dossier", "section", "at"})


def sign_grant_end(
    owner: Identity, *, grant: str, dossier: str, section: str, at: datetime | str
) -> dict[str, Any]:
    """The owner's statement `{kind: "grant-end", grant, dossier, section, at}`."""
    fields = {"kind": GRANT_END, "grant": grant, "dossier": dossier, "section": section}
    return sign_statement(owner, {**fields, "at": format_time(at)})


def verify_grant_end(
    statement: Mapping[str, Any],
    owner_sign_pk: bytes,
    *,
    grant: str,
    dossier: str,
    section: str,
) -> datetime:
    """The moment the grant ended, if the owner signed exactly an end of this grant here.

    Order: `v`, the signature (`TamperedError`), then the fields (`MalformedError`)."""
    fields = verify_statement(statement, owner_sign_pk)
    if set(fields) != _FIELDS or fields.get("kind") != GRANT_END:
        raise MalformedError("not a grant end")
    if (get_str(fields, "grant"), fields.get("dossier"), fields.get("section")) != (
        grant,
        dossier,
        section,
    ):
        raise MalformedError("the grant end names another grant")
    return parse_time(get_str(fields, "at"))


def grant_end_time(
    statement: Mapping[str, Any] | None,
    owner_sign_pk: bytes,
    *,
    grant: str,
    dossier: str,
    section: str,
) -> datetime | None:
    """The reader's view: the verified end, or None when there is none or it does not verify
    (a forged end is ignored rather than obeyed)."""
    if statement is None:
        return None
    try:
        return verify_grant_end(
            statement, owner_sign_pk, grant=grant, dossier=dossier, section=section
        )
    except CryptoError:
        return None
