"""The box key an invite's profile card is sealed to, derived from the invite token.

Before a youth accepts an invite nobody knows who she is, so the professional's card cannot be
sealed to her. It is sealed (signed by the professional, `seal_profile_card`, addressed to
`INVITE_RECIPIENT`) to a box key derived from the token in the invite link: whoever holds the
link can read who invites; the database holds only the token's hash, so a copy of it reads
nothing. Same recipe in js/app/invite-card.js."""

from __future__ import annotations

from nacl.public import PrivateKey

from dossier.crypto.kdf import keyed_blake2b

INVITE_CARD_LABEL = b"rugzak/v1/invite-card"
INVITE_RECIPIENT = "invite"


def invite_card_key(token: str) -> PrivateKey:
    return PrivateKey(keyed_blake2b(token.encode(), INVITE_CARD_LABEL))
