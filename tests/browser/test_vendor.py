"""The vendored files and web/static/vendor/sri.json are complete and current (no browser and
no npm needed: `make vendor` regenerates them, `node scripts/vendor.mjs --sri` only the hashes)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "web" / "static"
VENDOR = STATIC / "vendor"


def _sri(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


def test_sri_json_covers_every_served_script_and_stylesheet() -> None:
    recorded = json.loads((VENDOR / "sri.json").read_text(encoding="utf-8"))
    served = {
        p.relative_to(STATIC).as_posix(): _sri(p)
        for folder in (STATIC / "js", STATIC / "css", VENDOR)
        for p in sorted(folder.rglob("*"))
        if p.suffix in {".js", ".mjs", ".css"}
    }
    assert recorded == served, (
        "sri.json is stale: run `make vendor` (or node scripts/vendor.mjs --sri)"
    )


def test_vendored_packages_match_the_lock_file_and_carry_their_licences() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    sources = json.loads((VENDOR / "SOURCES.json").read_text(encoding="utf-8"))
    for key, files in sources.items():
        name, _, version = key.rpartition("@")
        assert lock[f"node_modules/{name}"]["version"] == version, key
        assert any("LICENSE" in f["from"] for f in files), f"{key}: no licence vendored"
        for f in files:
            assert (ROOT / f["to"]).is_file(), f["to"]


def test_libsodium_import_points_at_the_vendored_file() -> None:
    wrappers = (VENDOR / "libsodium" / "libsodium-wrappers.mjs").read_text(encoding="utf-8")
    assert 'from"./libsodium-sumo.mjs"' in wrappers
    assert 'from"libsodium-sumo"' not in wrappers
