"""What an invite looks like to people, shared by the API and the professional's pages: the
link, the WhatsApp text and the QR code (also of a key fingerprint)."""

from __future__ import annotations

import base64
import functools
import io

import segno

from consent.connections.service import INVITE_DAYS


def invite_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/uitnodiging/{token}"


def whatsapp_text(link: str, org_name: str | None) -> str:
    """Dutch at B1 level. Names the organisation (a public party) and never the professional:
    the server does not know their name; the youth sees it on the card after accepting."""
    sender = org_name or "je begeleider"
    return (
        f"Hoi! Dit is je uitnodiging voor Rugzak van {sender}. "
        f"Open deze link om te verbinden: {link} — de link werkt {INVITE_DAYS} dagen."
    )


@functools.lru_cache(maxsize=1024)
def qr_svg(text: str) -> str:
    """A standalone SVG document of the QR code of `text` (cached: fingerprints repeat)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", xmldecl=False, nl=False, scale=4)
    return out.getvalue().decode()


def qr_data_uri(text: str) -> str:
    """The QR code of `text` as an image URL a page can show (the CSP allows data: images)."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(text).encode()).decode()
