"""Static assets as the templates name them: every script and stylesheet carries its SRI hash
from `web/static/vendor/sri.json`, and a page module's whole static import graph is listed for
`<link rel="modulepreload" integrity=…>` (integrity on a module script covers only that file,
docs/browser-crypto.md). Read once per process; the files do not change while it runs."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}/[^"']+)["']""")


@functools.cache
def sri() -> dict[str, str]:
    data: dict[str, str] = json.loads((STATIC / "vendor" / "sri.json").read_text("utf-8"))
    return data


def integrity(path: str) -> str:
    """The SRI hash of a served file (path below /static/); a missing entry is a bug."""
    return sri()[path]


@functools.cache
def module_graph(entry: str) -> tuple[str, ...]:
    """Every module `entry` imports, directly or not (static imports only), without `entry`,
    in a stable order. Paths are below /static/."""
    seen: list[str] = []
    todo = [entry]
    while todo:
        path = todo.pop()
        source = (STATIC / path).read_text("utf-8")
        for found in IMPORT.findall(source):
            target = (STATIC / path).parent.joinpath(found).resolve().relative_to(STATIC)
            name = target.as_posix()
            if name != entry and name not in seen:
                seen.append(name)
                todo.append(name)
    return tuple(sorted(seen))


def preloads(*entries: str) -> list[str]:
    """The union of the import graphs of the page's modules, minus the modules themselves."""
    out: set[str] = set()
    for entry in entries:
        out.update(module_graph(entry))
    return sorted(out - set(entries))
