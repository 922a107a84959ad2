"""Client side of the consent engine: invites and connections.

Security invariants: profile cards are signed by the sender and sealed to the recipient's box
key here, so the server never reads a name, role or phone number. The other party's identity is
trusted on first use from the server's copy and pinned on this device; a later, different copy
is refused. Fingerprints are computed here from the keys, never taken from the server, so two
people comparing digits in person check what their devices actually use (docs/connections.md).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from dossier import crypto
from dossier.client.grants import GrantsClient


@dataclass(frozen=True)
class Invite:
    link: str
    token: str
    whatsapp_text: str
    qr_svg: str
    expires_at: dt.datetime
    org_id: str | None


@dataclass(frozen=True)
class InviteInfo:
    professional_id: str
    identity: crypto.PublicIdentity
    fingerprint: str
    expires_at: dt.datetime
    used: bool
    org_id: str | None
    org_name: str | None
    connection_id: str | None
    card: dict[str, Any] | None = None
    """Who invites: the professional's card, opened with the token's key and checked
    against their signature; None when there is none or it does not open."""


@dataclass(frozen=True)
class Connection:
    id: str
    role: str
    """My side: "youth" or "professional"."""
    other_id: str
    other: crypto.PublicIdentity
    fingerprint: str
    """The other party's fingerprint, computed on this device from the pinned keys."""
    fingerprint_qr_svg: str
    card: dict[str, Any] | None
    """The other party's profile card, opened and its signature checked; None until sent."""
    dossier_id: str
    org_id: str | None
    contact_person: bool
    created_at: dt.datetime
    ended_at: dt.datetime | None
    purpose: str = "care"
    """"recovery": a trusted person, connected only to be a recovery contact."""

    @property
    def active(self) -> bool:
        return self.ended_at is None


def fingerprint_digits(identity: crypto.PublicIdentity) -> str:
    return crypto.format_fingerprint(identity.fingerprint())


def _time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


class ConnectionsClient(GrantsClient):
    """Mixed into `RugzakClient`."""

    def my_fingerprint(self) -> str:
        return fingerprint_digits(self.unlocked().identity.public)

    def _trust(
        self, account_id: str, claimed: dict[str, Any], digits: str
    ) -> crypto.PublicIdentity:
        """Trust on first use: pin the server's copy the first time, refuse any other later.
        The server's fingerprint digits must match the keys it sends."""
        identity = crypto.PublicIdentity.from_json(claimed)
        if fingerprint_digits(identity) != digits:
            raise crypto.TamperedError("fingerprint does not belong to these keys")
        pinned = self._pinned.get(account_id)
        if pinned is None:
            self.pin(account_id, identity)
        elif pinned != identity:
            raise crypto.TamperedError("server shows another identity than the pinned one")
        return identity

    # -- professional ------------------------------------------------------------------------

    def set_profile(self, name: str, organisation: str, role: str, phone: str) -> None:
        """My profile card, signed and sealed to myself; needed before any invite."""
        me = self.unlocked()
        card = crypto.seal_profile_card(
            {"name": name, "organisation": organisation, "role": role, "phone": phone},
            sender_id=me.account_id,
            sender=me.identity,
            recipient_id=me.account_id,
            recipient_box_pk=me.identity.public.box_pk,
        )
        self.api.call("PUT", "/api/v1/profile", json={"card": crypto.b64e(card)})

    def profile(self) -> dict[str, Any] | None:
        """My own profile card, opened here; None until I made one."""
        me = self.unlocked()
        sealed = self.api.call("GET", "/api/v1/profile")["card"]
        if sealed is None:
            return None
        return crypto.open_profile_card(
            crypto.b64d(sealed),
            box_key=me.identity.box,
            recipient_id=me.account_id,
            sender_id=me.account_id,
            sender_sign_pk=me.identity.public.sign_pk,
        )

    def create_invite(self, org_id: str | None = None, purpose: str = "care") -> Invite:
        """The token is made here, so my card can be sealed to its key: whoever holds the
        link sees who invites. The server refuses (`profile-missing`) until I made my card;
        without one the card sent is empty and the server's answer is that refusal.
        `purpose="recovery"`: a trusted person's invite; the connection is for recovery only."""
        me = self.unlocked()
        token = secrets.token_urlsafe(32)
        mine = self.profile() or {}
        card = crypto.seal_profile_card(
            mine,
            sender_id=me.account_id,
            sender=me.identity,
            recipient_id=crypto.INVITE_RECIPIENT,
            recipient_box_pk=bytes(crypto.invite_card_key(token).public_key),
        )
        body = {"org_id": org_id, "token": token, "card": crypto.b64e(card), "purpose": purpose}
        data = self.api.call("POST", "/api/v1/invites", json=body)
        return Invite(
            link=data["link"],
            token=data["token"],
            whatsapp_text=data["whatsapp_text"],
            qr_svg=data["qr_svg"],
            expires_at=_time(data["expires_at"]),
            org_id=data["org_id"],
        )

    def send_card(
        self, connection_id: str, name: str, organisation: str, role: str, phone: str
    ) -> None:
        """Seal my card to the youth of this connection (and pin the youth's identity)."""
        me = self.unlocked()
        raw = self._raw_connection(connection_id)
        youth = self._trust(raw["other_id"], raw["other_identity"], raw["fingerprint"])
        card = crypto.seal_profile_card(
            {"name": name, "organisation": organisation, "role": role, "phone": phone},
            sender_id=me.account_id,
            sender=me.identity,
            recipient_id=raw["other_id"],
            recipient_box_pk=youth.box_pk,
        )
        self.api.call(
            "PUT",
            f"/api/v1/connections/{connection_id}/card",
            json={"card": crypto.b64e(card)},
        )

    # -- youth -------------------------------------------------------------------------------

    def invite_info(self, token: str) -> InviteInfo:
        data = self.api.call("GET", f"/api/v1/invites/{token}")
        identity = crypto.PublicIdentity.from_json(data["identity"])
        digits = fingerprint_digits(identity)
        if digits != data["fingerprint"]:
            raise crypto.TamperedError("fingerprint does not belong to these keys")
        return InviteInfo(
            professional_id=data["professional_id"],
            identity=identity,
            fingerprint=digits,
            expires_at=_time(data["expires_at"]),
            used=bool(data["used"]),
            org_id=data["org_id"],
            org_name=data["org_name"],
            connection_id=data["connection_id"],
            card=_invite_card(token, data),
        )

    def accept_invite(self, token: str, display_name: str, contact_preference: str) -> str:
        """Pin the professional's identity, seal my card to it, accept; returns the
        connection id."""
        me = self.unlocked()
        info = self.invite_info(token)
        professional = self._trust(info.professional_id, info.identity.to_json(), info.fingerprint)
        card = crypto.seal_profile_card(
            {"display_name": display_name, "contact_preference": contact_preference},
            sender_id=me.account_id,
            sender=me.identity,
            recipient_id=info.professional_id,
            recipient_box_pk=professional.box_pk,
        )
        data = self.api.call(
            "POST", "/api/v1/connections", json={"token": token, "card": crypto.b64e(card)}
        )
        if data["other_id"] != info.professional_id:
            raise crypto.TamperedError("server connected me to someone else")
        self._trust(data["other_id"], data["other_identity"], data["fingerprint"])
        return str(data["id"])

    def set_contact_person(self, connection_id: str) -> None:
        self.api.call("PUT", f"/api/v1/connections/{connection_id}/contact-person")

    def clear_contact_person(self, connection_id: str) -> None:
        self.api.call("DELETE", f"/api/v1/connections/{connection_id}/contact-person")

    def end_connection(self, connection_id: str) -> list[str]:
        """Ends the connection and, in the same request, everything shared with that person;
        then rotates every section they could read (like `revoke`)."""
        answer = self.api.call("DELETE", f"/api/v1/connections/{connection_id}")
        sections: list[str] = answer["sections"]
        self.settle(sections)
        return sections

    # -- both sides --------------------------------------------------------------------------

    def _raw_connection(self, connection_id: str) -> dict[str, Any]:
        for raw in self.api.call("GET", "/api/v1/connections"):
            if raw["id"] == connection_id:
                return dict(raw)
        raise KeyError(connection_id)

    def connections(self, *, include_ended: bool = False) -> list[Connection]:
        """Every connection with the other party's card opened and checked against the
        pinned identity (pinned here on first sight)."""
        found = [self._open(raw) for raw in self.api.call("GET", "/api/v1/connections")]
        return [c for c in found if include_ended or c.active]

    def _open(self, raw: dict[str, Any]) -> Connection:
        me = self.unlocked()
        other = self._trust(raw["other_id"], raw["other_identity"], raw["fingerprint"])
        card = None
        if raw["card"] is not None:
            card = crypto.open_profile_card(
                crypto.b64d(raw["card"]),
                box_key=me.identity.box,
                recipient_id=me.account_id,
                sender_id=raw["other_id"],
                sender_sign_pk=other.sign_pk,
            )
        return Connection(
            id=raw["id"],
            role=raw["role"],
            other_id=raw["other_id"],
            other=other,
            fingerprint=fingerprint_digits(other),
            fingerprint_qr_svg=raw["fingerprint_qr_svg"],
            card=card,
            dossier_id=raw["dossier_id"],
            org_id=raw["org_id"],
            contact_person=bool(raw["contact_person"]),
            created_at=_time(raw["created_at"]),
            ended_at=None if raw["ended_at"] is None else _time(raw["ended_at"]),
            purpose=str(raw.get("purpose", "care")),
        )


def _invite_card(token: str, data: dict[str, Any]) -> dict[str, Any] | None:
    sealed = data.get("card")
    if not sealed:
        return None
    try:
        return crypto.open_profile_card(
            crypto.b64d(sealed),
            box_key=crypto.invite_card_key(token),
            recipient_id=crypto.INVITE_RECIPIENT,
            sender_id=data["professional_id"],
            sender_sign_pk=crypto.PublicIdentity.from_json(data["identity"]).sign_pk,
        )
    except crypto.CryptoError:
        return None
