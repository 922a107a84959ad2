"""The `rugzak` command: demo through the real client, and the youth's own export."""

import io
import json

from click.testing import CliRunner

from dossier.cli import main
from dossier.client import RugzakClient
from dossier.demo import CASELOAD, COACH, SCHOOL_STAFF, YOUTH, load_demo
from dossier.store.catalogue import SECTIONS


def test_demo_loads_through_the_api_once(server):
    lines = list(load_demo(server))
    assert any(YOUTH[0] in line for line in lines)
    assert list(load_demo(server, if_empty=True)) == ["demo is already loaded"]
    with RugzakClient(server) as youth:
        youth.login(*YOUTH)
        assert youth.entries("contact")[0].body["naam"] == "Sam"
    with RugzakClient(server) as coach:
        coach.login(*COACH)
        assert coach.unlocked().kind == "professional"
        connected = coach.connections()
        assert len(connected) == CASELOAD
        assert {c.card["display_name"] for c in connected} >= {"Sam", "Jongere 1"}
        assert coach.organisations()[0]["name"] == "Jongerenloket Zwolle"
        youth_dossier = next(c for c in connected if c.card["display_name"] == "Sam").dossier_id
        assert coach.entries("contact", youth_dossier)[0].body["naam"] == "Sam"
    with RugzakClient(server) as staff:
        staff.login(*SCHOOL_STAFF)
        school = staff.organisations()[0]["id"]
        [campaign] = staff.api.call("GET", f"/api/v1/organisations/{school}/campaigns")
        assert staff.campaign_status(campaign["id"])["counts"]["not_opened"] == 20


def test_export_writes_every_section_and_the_files(server, youth, tmp_path):
    youth.write("verhaal", {"tekst": "Mijn verhaal"})
    youth.upload(io.BytesIO(b"%PDF-1.4 cv"), name="cv.pdf", mime="application/pdf")
    target = tmp_path / "export"
    result = CliRunner().invoke(
        main,
        [
            "dossier",
            "export",
            "--url",
            server,
            "--username",
            youth.unlocked().username,
            str(target),
        ],
        input="paarse-fiets-onder-de-brug-42\n",
    )
    assert result.exit_code == 0, result.output
    assert "paarse" not in result.output
    assert {p.stem for p in target.glob("*.json")} == set(SECTIONS)
    story = json.loads((target / "verhaal.json").read_text())
    assert story["entries"][0]["versions"][0]["body"] == {"tekst": "Mijn verhaal"}
    [pdf] = (target / "documenten").iterdir()
    assert pdf.name.endswith("cv.pdf")
    assert pdf.read_bytes() == b"%PDF-1.4 cv"


def test_passphrase_is_never_an_argument():
    result = CliRunner().invoke(main, ["dossier", "export", "--help"])
    assert "passphrase" not in result.output.lower()
    assert "wachtwoord" not in result.output.lower()
