"""Vectors for the access log hash chain and owner-signed checkpoints."""

from __future__ import annotations

from dossier import crypto as c
from dossier.crypto.logchain import hashed_event
from dossier.vectors._common import Case, Json, bad, e, ident, ok, with_


def _event(seq: int, actor: str, action: str, section: str | None, at: str) -> Json:
    return {
        "seq": seq,
        "dossier": "dossier-1",
        "actor": actor,
        "action": action,
        "section": section,
        "at": at,
    }


def _hashed_utf8(prev: bytes, event: Json) -> str:
    return c.canonical(hashed_event(prev, event)).decode()


def _chain(raw: list[Json]) -> list[Json]:
    head = c.GENESIS
    out = []
    for event in raw:
        new = c.log_hash(head, event)
        out.append({**event, "prev_hash": e(head), "hash": e(new)})
        head = new
    return out


def gen_log_chain() -> list[Case]:
    owner, oj = ident("owner")
    raw = [
        _event(1, "youth-1", "account:login", None, "2025-03-01T10:00:00Z"),
        _event(2, "youth-1", "grant:create", "notities", "2025-03-01T10:01:00Z"),
        _event(3, "coach-1", "entry:read", "notities", "2025-03-02T09:30:00Z"),
        _event(4, "coach-1", "entry:append", "notities", "2025-03-02T09:35:00Z"),
    ]
    events = _chain(raw)
    cp = c.sign_checkpoint(owner, "dossier-1", 3, c.b64d(events[2]["hash"])).to_json()
    rewritten = _chain([with_(raw[0], actor="youth-1"), with_(raw[1], section="verhaal"), *raw[2:]])
    base = {"events": events, "checkpoint": cp, "owner_sign_pk": oj["sign_pk"]}
    return [
        ok(
            "hash of the first event",
            "log_hash",
            {"prev_hash": e(c.GENESIS), "event": raw[0]},
            {"hash": events[0]["hash"], "hashed_utf8": _hashed_utf8(c.GENESIS, raw[0])},
        ),
        ok(
            "sign checkpoint",
            "sign_checkpoint",
            {"owner": oj, "dossier": "dossier-1", "seq": 3, "hash": events[2]["hash"]},
            {"checkpoint": cp},
        ),
        ok(
            "chain without checkpoint",
            "verify_chain",
            with_(base, checkpoint=None, owner_sign_pk=None),
            {"head": events[-1]["hash"]},
        ),
        ok("chain extends checkpoint", "verify_chain", base, {"head": events[-1]["hash"]}),
        bad(
            "edited event",
            "verify_chain",
            with_(base, events=[events[0], with_(events[1], actor="coach-1"), *events[2:]]),
            "TamperedError",
        ),
        bad(
            "removed event",
            "verify_chain",
            with_(base, events=[events[0], *events[2:]]),
            "TamperedError",
        ),
        bad(
            "reordered events",
            "verify_chain",
            with_(base, events=[events[1], events[0], *events[2:]]),
            "TamperedError",
        ),
        bad(
            "history rewritten before the checkpoint",
            "verify_chain",
            with_(base, events=rewritten),
            "TamperedError",
        ),
        bad(
            "rolled back behind the checkpoint",
            "verify_chain",
            with_(base, events=events[:2]),
            "TamperedError",
        ),
        bad(
            "checkpoint not signed by the owner",
            "verify_chain",
            with_(base, checkpoint=with_(cp, seq=4, hash=events[3]["hash"])),
            "TamperedError",
        ),
        bad(
            "another dossier's log",
            "verify_chain",
            # Correctly linked and hashed: only the one-dossier rule refuses it.
            with_(
                base, checkpoint=None, events=_chain([raw[0], with_(raw[1], dossier="dossier-2")])
            ),
            "TamperedError",
            "an event of another dossier",
        ),
        bad(
            "dropped v 1",
            "verify_chain",
            with_(base, checkpoint=with_(cp, v=1)),
            "UnsupportedVersion",
        ),
    ]
