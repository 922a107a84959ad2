"""The `rugzak` command: the youth's own export (the demo it loads: tests/e2e/test_demo.py)."""

import io
import json

from click.testing import CliRunner

from dossier.sections.catalogue import SECTIONS
from web.cli import main


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
