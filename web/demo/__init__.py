"""Demo data, written through the real client (real crypto, real API), never as raw rows.

The demo passphrases are printed so a person can log in; they are demo accounts only."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from dossier.client import ApiError, RugzakClient
from web.demo import sso as demo_sso

YOUTH = ("demo-jongere", "rugzak demo jongere 2026")
COACH = ("demo-coach", "rugzak demo coach 2026")
SCHOOL_STAFF = ("demo-school", "rugzak demo school 2026")
CASELOAD = 6
DEMO_GROUPS = ("Zorg 4A", "Zorg 4B", "Logistiek 3C")
STUDENTS = b"referentie;naam;groep\n" + b"".join(
    f"MBO-{n:04d};Student {n};{DEMO_GROUPS[n % 3]}\n".encode() for n in range(1, 21)
)


@contextmanager
def local_server() -> Iterator[str]:
    """The app on a free loopback port in this process, for loading the demo."""
    import uvicorn  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        "web.app:create_app", factory=True, host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("demo server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


def exists(url: str, username: str, passphrase: str) -> bool:
    with RugzakClient(url) as client:
        try:
            client.login(username, passphrase)
        except ApiError:
            return False
        return True


def fill_youth(client: RugzakClient) -> None:
    client.write(
        "contact",
        {
            "naam": "Sam",
            "telefoon": "06 12345678",
            "email": "sam@example.nl",
            "adres": "Dorpsstraat 1, Zwolle",
            "voorkeur": "WhatsApp",
        },
    )
    client.write(
        "verhaal",
        {
            "tekst": (
                "Ik ben Sam, 19 jaar. Ik ben gestopt met mijn opleiding toen mijn moeder "
                "ziek werd. Nu woon ik bij mijn tante. Ik wil graag een baan in de zorg en "
                "mijn schulden regelen."
            )
        },
    )
    today = dt.datetime.now(dt.UTC).date().isoformat()
    for area, now, wanted, score in [
        ("wonen", "Ik slaap bij mijn tante.", "Een eigen kamer.", 2),
        ("geld", "Ik heb schulden bij DUO en de zorgverzekering.", "Een regeling.", 1),
        ("werk", "Geen werk.", "Werk in de zorg.", 2),
    ]:
        client.write(
            area,
            {
                "soort": "meting",
                "nu": now,
                "gewenst": wanted,
                "score": score,
                "doel": score + 2,
                "datum": today,
                "nulmeting": True,
                "door": "jongere",
            },
        )
    client.write(
        "plan",
        {
            "doel": "Schulden op een rij",
            "actie": "Afspraak bij schuldhulp maken",
            "wie": "Sam",
            "wanneer": (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=14)).isoformat(),
            "klaar": False,
        },
    )
    client.write("notities", {"tekst": "Eerste gesprek met mijn coach was fijn."})


def connect(youth: RugzakClient, coach: RugzakClient, name: str) -> None:
    """The real first step: an invite, accepted, cards both ways; then a share."""
    invite = coach.create_invite()
    connection = youth.accept_invite(invite.token, name, "WhatsApp")
    coach.send_card(connection, "Fatima Demir", "Jongerenloket Zwolle", "jobcoach", "06 98765432")
    youth.set_contact_person(connection)
    youth.share(
        ["contact", "verhaal", "plan", "werk"],
        coach.unlocked().account_id,
        purpose="Begeleiding naar werk",
        days=182,
    )
    youth.share(
        ["notities", "plan"],
        coach.unlocked().account_id,
        permissions=["append"],
        purpose="Gespreksverslagen en afspraken",
        days=182,
    )


def load_caseload(url: str, coach: RugzakClient) -> None:
    """A handful of further youths in the coach's caseload, each with a little shared."""
    for n in range(1, CASELOAD):
        with RugzakClient(url) as other:
            other.sign_up(f"demo-jongere-{n}", YOUTH[1], birth_date=dt.date(2004, 1, n))
            other.write("contact", {"naam": f"Jongere {n}", "voorkeur": "Bellen"})
            other.write("plan", {"doel": "Werk vinden", "actie": "Cv maken", "klaar": False})
            connect(other, coach, f"Jongere {n}")


def answer_demo_campaign(url: str, links: list[str]) -> None:
    """Every state on the school's status page: the first link opened, the second declined
    without a rugzak, the third accepted and the fourth accepted and later withdrawn, each by
    a demo student with a rugzak; the rest not opened."""
    tokens = [link.rsplit("/", 1)[1] for link in links[:4]]
    with RugzakClient(url) as anonymous:
        anonymous.campaign_invite(tokens[0])
        anonymous.decline_campaign(tokens[1])
    for n, token in enumerate(tokens[2:], start=1):
        with RugzakClient(url) as student:
            student.sign_up(f"demo-student-{n}", YOUTH[1], birth_date=dt.date(2007, 6, n))
            student.write("contact", {"naam": f"Student {n + 2}", "voorkeur": "Appen"})
            student.accept_campaign(token)
            if n == 2:  # the fourth link: yes, then withdrawn
                [answer] = student.campaign_answers()
                student.change_campaign_answer(answer["entry_id"], "withdraw")


def load_school(url: str) -> str:
    """A school with a running campaign that hands contact details to the coach's
    organisation (warme overdracht), with students in every state."""
    with RugzakClient(url) as staff, RugzakClient(url) as coach:
        staff.sign_up(SCHOOL_STAFF[0], SCHOOL_STAFF[1], birth_date=None, kind="professional")
        coach.login(*COACH)
        school = staff.create_organisation("ROC Demo", "school")
        receiver = coach.organisations()[0]["id"]
        campaign = staff.create_campaign(
            school,
            receiver,
            title="Diploma 2026: warme overdracht",
            purpose="Je contactgegevens naar het Jongerenloket, zodat een jobcoach je kan helpen.",
            closes_on=dt.datetime.now(dt.UTC).date() + dt.timedelta(days=60),
            contact="Mevrouw Jansen, decaan, 038 123 45 67",
        )
        imported = staff.import_students(campaign["id"], STUDENTS)
        links = [str(item["link"]) for item in imported["links"]]
    answer_demo_campaign(url, links)
    return links[-1]


def load_demo(
    url: str | None = None, *, if_empty: bool = False, idp_issuer: str | None = None
) -> Iterator[str]:
    """Load the demo at `url` (an in-process server when None). The demo organisation signs in
    through the demo identity provider at `idp_issuer` (default: where `make idp` runs it)."""
    if url is None:
        with local_server() as local:
            yield from load_demo(local, if_empty=if_empty, idp_issuer=idp_issuer)
        return
    if if_empty and exists(url, *YOUTH):
        yield "demo is already loaded"
        return
    with RugzakClient(url) as youth, RugzakClient(url) as coach:
        youth.sign_up(YOUTH[0], YOUTH[1], birth_date=dt.date(2006, 3, 14))
        fill_youth(youth)
        coach.sign_up(COACH[0], COACH[1], birth_date=None, kind="professional")
        coach.set_profile("Fatima Demir", "Jongerenloket Zwolle", "jobcoach", "06 98765432")
        org_id = coach.create_organisation("Jongerenloket Zwolle", "jobcoach")
        sso = demo_sso.set_up(url, coach, org_id, idp_issuer)
        connect(youth, coach, "Sam")
        load_caseload(url, coach)
    first_link = load_school(url)
    yield f"demo youth: {YOUTH[0]} / {YOUTH[1]} (and demo-jongere-1..{CASELOAD - 1})"
    yield f"demo coach: {COACH[0]} / {COACH[1]} (admin of Jongerenloket Zwolle)"
    yield f"demo school staff: {SCHOOL_STAFF[0]} / {SCHOOL_STAFF[1]} (ROC Demo)"
    yield f"a student's campaign link: {first_link}"
    yield from sso
