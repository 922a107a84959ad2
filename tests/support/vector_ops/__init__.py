"""The vector ops: one function per `op` of the committed vectors (tests/vectors/*.json), each
taking a case's `inputs` and returning exactly its `expected` object, or raising the named
`CryptoError`. tests/dossier/test_crypto_vector_replay.py runs them; tests/browser/js/
vector-ops.mjs is the same table over the browser's crypto.js. One module per group of
structures, as in the generator (dossier/vectors/)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.vector_ops import boxes, entries, keys, recovery, statements
from tests.support.vector_ops.common import Inputs

VECTORS = Path(__file__).resolve().parents[2] / "vectors"

OPS: dict[str, Callable[[Inputs], dict[str, Any]]] = {
    name.removeprefix("op_"): fn
    for module in (keys, entries, boxes, statements, recovery)
    for name, fn in vars(module).items()
    if name.startswith("op_")
}
