"""Vectors for owner-signed section manifests and the reader's checks against them."""

from __future__ import annotations

from typing import Any

from dossier import crypto as c
from dossier.vectors._common import Case, Json, bad, det, ident, ok, script, section_key, with_

PLACE: dict[str, str] = {"dossier": "dossier-1", "section": "notities"}
AT = "2025-06-01T12:00:00Z"


def _entry(entry: str, version: int, at: str, author: c.Identity, skey: Any) -> Json:
    label = f"manifest/{entry}/{version}/{at}"
    draws = [det(f"{label}/{k}", 24 if k == "nonce" else 32) for k in ("dk", "nonce", "s1", "s2")]
    with script(*draws):
        sealed = c.seal_entry(
            {"tekst": label},
            **PLACE,
            entry=entry,
            version=version,
            author_id="coach-1",
            author=author,
            section_key=skey,
            at=at,
        )
    return sealed.to_json()


def gen_manifest() -> list[Case]:
    owner, oj = ident("owner")
    coach, _ = ident("coach")
    server, _ = ident("server")
    _, skey = section_key(owner, "dossier-1", "notities", 1)
    a1 = _entry("entry-a", 1, "2025-06-01T11:00:00Z", coach, skey)
    a2 = _entry("entry-a", 2, "2025-06-01T11:30:00Z", coach, skey)
    b1 = _entry("entry-b", 1, "2025-06-01T11:40:00Z", coach, skey)
    parsed = [c.SealedEntry.from_json(j) for j in (a1, a2, b1)]
    ends = {"grant-1": "2025-06-01T11:45:00Z"}
    manifest = c.sign_manifest(
        owner, dossier="dossier-1", section="notities", seq=3, at=AT, entries=parsed, ends=ends
    )
    unsigned = {k: v for k, v in manifest.items() if k != "signature"}
    verify = {"statement": manifest, "owner_sign_pk": oj["sign_pk"], **PLACE}
    check = {"manifest": manifest, "owner_sign_pk": oj["sign_pk"], **PLACE}

    def fields(**over: Any) -> Json:
        base = {k: v for k, v in unsigned.items() if k != "v"}
        return c.sign_statement(owner, {**base, **over})

    return [
        ok(
            "sign",
            "sign_manifest",
            {"owner": oj, **PLACE, "seq": 3, "at": AT, "entries": [a1, a2, b1], "ends": ends},
            {"statement": manifest, "signed_utf8": c.canonical(unsigned).decode()},
        ),
        ok(
            "verify",
            "verify_manifest",
            verify,
            {"seq": 3, "at": AT, "entries": manifest["entries"], "ends": ends},
        ),
        bad(
            "signed by the server",
            "verify_manifest",
            with_(
                verify,
                statement=c.sign_manifest(
                    server, dossier="dossier-1", section="notities", seq=3, at=AT, entries=[]
                ),
            ),
            "TamperedError",
        ),
        bad(
            "of another section",
            "verify_manifest",
            with_(verify, statement=fields(section="verhaal")),
            "MalformedError",
            "another section",
        ),
        bad("seq 0", "verify_manifest", with_(verify, statement=fields(seq=0)), "MalformedError"),
        bad(
            "a listed end that is not a time",
            "verify_manifest",
            with_(verify, statement=fields(ends={"grant-1": "gisteren"})),
            "MalformedError",
        ),
        bad(
            "a listed version without its hash",
            "verify_manifest",
            with_(verify, statement=fields(entries={"entry-a": {"version": 2}})),
            "MalformedError",
        ),
        ok("the listed latest version", "check_listed", with_(check, entry=a2), {}),
        ok("an older listed version (history)", "check_listed", with_(check, entry=a1), {}),
        ok(
            "a new entry signed after the manifest",
            "check_listed",
            with_(check, entry=_entry("entry-c", 1, "2025-06-01T12:05:00Z", coach, skey)),
            {},
        ),
        ok(
            "a new entry signed within the grace before the manifest",
            "check_listed",
            with_(check, entry=_entry("entry-c", 1, "2025-06-01T11:50:00Z", coach, skey)),
            {},
        ),
        bad(
            "a planted entry backdated before the manifest",
            "check_listed",
            with_(check, entry=_entry("entry-c", 1, "2025-06-01T11:49:59Z", coach, skey)),
            "UnlistedEntry",
        ),
        bad(
            "a backdated later version of a listed entry",
            "check_listed",
            with_(check, entry=_entry("entry-a", 3, "2025-06-01T11:45:00Z", coach, skey)),
            "UnlistedEntry",
        ),
        bad(
            "another version with the listed number",
            "check_listed",
            with_(check, entry=_entry("entry-b", 1, "2025-06-01T11:41:00Z", coach, skey)),
            "TamperedError",
            "another version",
        ),
        ok(
            "nothing withheld",
            "withheld",
            with_(check, shown={"entry-a": 2, "entry-b": 1}),
            {"entries": []},
        ),
        ok(
            "a withheld entry and a rolled-back one",
            "withheld",
            with_(check, shown={"entry-a": 1}),
            {"entries": ["entry-a", "entry-b"]},
        ),
    ]
