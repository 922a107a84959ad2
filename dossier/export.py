"""The GDPR art. 20 export: the whole dossier, decrypted on this device, as JSON plus the
original files. Nothing is decrypted on the server."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from dossier.client import RugzakClient
from dossier.sections.catalogue import SECTIONS


def safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.\- ]", "_", name).strip(" .") or "document"
    return cleaned[:120]


def export_dossier(client: RugzakClient, folder: Path) -> dict[str, int]:
    """Write `<section>.json` for every section and `documenten/<name>` for every file."""
    folder.mkdir(parents=True, exist_ok=True)
    client.log_export()
    counts: dict[str, int] = {}
    for section, label in SECTIONS.items():
        entries = client.entries(section)
        out: dict[str, Any] = {"section": section, "label": label, "entries": []}
        for entry in entries:
            history = client.history(section, entry.entry)
            out["entries"].append(
                {
                    "entry": entry.entry,
                    "versions": [
                        {
                            "version": h.version,
                            "author": h.author,
                            "created_at": h.created_at.isoformat(),
                            "body": h.body,
                        }
                        for h in history
                    ],
                }
            )
            if section == "documenten" and entry.has_blob:
                files = folder / "documenten"
                files.mkdir(exist_ok=True)
                target = files / f"{entry.entry[:8]}-{safe_name(str(entry.body.get('name', '')))}"
                with target.open("wb") as handle:
                    client.download(entry.entry, handle)
        (folder / f"{section}.json").write_text(
            json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        counts[section] = len(entries)
    return counts
