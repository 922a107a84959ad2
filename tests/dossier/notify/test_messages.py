"""Security mails: what a person reads for their own account, and for someone they help."""

from dossier.notify import messages

UNSUB = ("https://r.example/afmelden/post", "https://r.example/afmelden")


def _body(kinds: list[str]) -> str:
    msg = messages.security("r@r", "p@p", kinds, "https://r.example", UNSUB, "<id@r>")
    return str(msg.get_content())


def test_own_account_mail_asks_was_this_you() -> None:
    body = _body(["recovery-start"])
    assert "Dit ben ik niet" in body
    assert "Was jij dit niet?" in body


def test_a_contact_is_sent_to_the_help_page_not_asked_about_their_own_account() -> None:
    body = _body(["recovery-help"])
    assert "/pro/herstel" in body
    assert "Was jij dit" not in body
    assert "Geen mails meer" in body
