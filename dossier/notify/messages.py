"""The text of every mail. Nothing in a message names a person, an organisation, a section
or what happened in a dossier: only that something is waiting (and how many things), or which
kind of security event happened to the account itself."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

Unsubscribe = tuple[str, str]
"""(the RFC 8058 one-click POST address, the page a person opens from the body)."""

NEWS_SUBJECT = "Er staat iets nieuws voor je klaar in Rugzak"
CONFIRM_SUBJECT = "Bevestig je e-mailadres voor Rugzak"
SECURITY_SUBJECT = "Beveiligingsmelding van Rugzak"

SECURITY_TEXT = {
    "new-device": "Er is ingelogd op je Rugzak-account vanaf een nieuw apparaat of browser.",
    "passphrase": "De wachtwoordzin van je Rugzak-account is veranderd.",
    "recovery": "Je Rugzak-account is hersteld. Je hebt een nieuwe wachtwoordzin.",
    "recovery-start": (
        "Iemand probeert met je herstelcontact in je Rugzak-account te komen."
        " Was jij dit niet? Log in en kies 'Dit ben ik niet'."
    ),
    "recovery-code": "Je hebt een nieuwe herstelcode gemaakt. De oude werkt niet meer.",
    "recovery-help": (
        "Iemand vraagt je hulp als herstelcontact. Bel of zie die persoon eerst,"
        " en vergelijk de code."
    ),
    "recovery-veto": "Een vraag om hulp als herstelcontact is gestopt. Je hoeft niets te doen.",
}

AS_CONTACT = frozenset({"recovery-help", "recovery-veto"})
"""Security notices about someone else's account (the person is their recovery contact)."""


def _message(
    sender: str, to: str, subject: str, body: str, message_id: str, unsubscribe: str | None
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    if unsubscribe is not None:
        msg["List-Unsubscribe"] = f"<{unsubscribe}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(body)
    return msg


def news(
    sender: str, to: str, count: int, base_url: str, unsubscribe: Unsubscribe, message_id: str
) -> EmailMessage:
    what = "Er staat iets nieuws" if count == 1 else f"Er staan {count} nieuwe dingen"
    body = (
        f"Hoi,\n\n{what} voor je klaar in Rugzak.\n"
        f"Log in om te zien wat het is:\n{base_url}/inloggen\n\n"
        "Wat het is, staat alleen in Rugzak zelf. Zo leest niemand anders mee.\n\n"
        f"Wil je deze mails niet meer? Ga naar:\n{unsubscribe[1]}\n"
    )
    return _message(sender, to, NEWS_SUBJECT, body, message_id, unsubscribe[0])


def security(
    sender: str, to: str, kinds: list[str], base_url: str, unsubscribe: Unsubscribe, message_id: str
) -> EmailMessage:
    lines = "\n".join(f"- {SECURITY_TEXT[k]}" for k in kinds)
    if set(kinds) <= AS_CONTACT:
        what = f"Log in om te zien wie je hulp vraagt:\n{base_url}/pro/herstel\n\n"
    else:
        what = (
            "Was jij dit? Dan hoef je niets te doen.\n"
            f"Was jij dit niet? Log in en kijk bij 'Ingelogd op':\n{base_url}/sessies\n\n"
        )
    body = f"Hoi,\n\n{lines}\n\n{what}Geen mails meer van Rugzak? Ga naar:\n{unsubscribe[1]}\n"
    return _message(sender, to, SECURITY_SUBJECT, body, message_id, unsubscribe[0])


def confirm(sender: str, to: str, link: str, message_id: str) -> EmailMessage:
    body = (
        "Hoi,\n\nIemand wil dit e-mailadres gebruiken voor meldingen van Rugzak.\n"
        f"Was jij dat? Bevestig het hier:\n{link}\n\n"
        "Was jij dat niet? Dan hoef je niets te doen. Je krijgt dan geen mail meer van ons.\n"
    )
    return _message(sender, to, CONFIRM_SUBJECT, body, message_id, None)
