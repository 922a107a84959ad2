"""Wire shapes of the connections API, shared by the server and the Python client.

Sealed profile cards travel as unpadded base64url strings; the server stores them as bytes and
cannot open them. Identities travel as `PublicIdentity.to_json()` dictionaries.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec

Id = Annotated[str, msgspec.Meta(max_length=36)]
Token = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
SealedCard = Annotated[str, msgspec.Meta(max_length=6000, pattern=r"^[A-Za-z0-9_-]*$")]


class NewInvite(msgspec.Struct, forbid_unknown_fields=True):
    token: Token
    """Made by the professional's client: 32 random bytes, base64url (the card's key)."""
    card: SealedCard
    """The professional's card, signed then sealed to the token's key
    (dossier/crypto/invites.py), addressed to "invite"."""
    org_id: Id | None = None
    purpose: Literal["care", "recovery"] = "care"
    """"recovery": a trusted person's invite (no org); the connection is for recovery only."""


class ProfileIn(msgspec.Struct, forbid_unknown_fields=True):
    card: SealedCard
    """My own profile card (name, organisation, role, phone), signed then sealed to me."""


class ProfileOut(msgspec.Struct):
    card: str | None
    """My sealed profile card; null until I made one (and then I cannot invite)."""


class InviteOut(msgspec.Struct):
    """Returned once, to the professional who made the invite: the token is not stored."""

    id: str
    token: str
    link: str
    whatsapp_text: str
    qr_svg: str
    expires_at: dt.datetime
    org_id: str | None
    org_name: str | None


class InviteInfo(msgspec.Struct):
    """The invite page: who invites, with the fingerprint to compare in person."""

    professional_id: str
    identity: dict[str, Any]
    fingerprint: str
    expires_at: dt.datetime
    used: bool
    org_id: str | None
    org_name: str | None
    connection_id: str | None
    card: str | None = None
    """The professional's card sealed to the token's key: who invites."""
    purpose: str = "care"


class Accept(msgspec.Struct, forbid_unknown_fields=True):
    token: Token
    card: SealedCard
    """The youth's card, signed then sealed to the professional's box key."""


class CardIn(msgspec.Struct, forbid_unknown_fields=True):
    card: SealedCard
    """The professional's card, signed then sealed to the youth's box key."""


class ConnectionOut(msgspec.Struct):
    id: str
    role: Literal["youth", "professional"]
    """My side of the connection."""
    other_id: str
    other_identity: dict[str, Any]
    fingerprint: str
    """The other party's key fingerprint, five groups of five digits."""
    fingerprint_qr_svg: str
    card: str | None
    """The card the other party sealed to me, if they sent one."""
    dossier_id: str
    org_id: str | None
    contact_person: bool
    created_at: dt.datetime
    purpose: str
    """"care", or "recovery": a trusted person, only a recovery contact."""
    ended_at: dt.datetime | None
