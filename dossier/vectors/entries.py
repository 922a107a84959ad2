"""Vectors for sealed entries and for the owner's rewrap of an entry on section rotation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import nacl.public

from dossier import crypto as c
from dossier.crypto.entries import entry_ad
from dossier.vectors._common import (
    Case,
    Json,
    Keys,
    bad,
    det,
    e,
    flip,
    ident,
    ok,
    script,
    section_key,
    with_,
)

BODY: Json = {"text": "Gesprek op school, afspraak: cv maken.", "score": 3}
AT = "2025-06-01T12:00:00Z"
EXPECT: Json = {"dossier": "dossier-1", "section": "notities", "entry": "entry-1", "version": 1}


def seal_entry_vector(
    label: str,
    body: dict[str, Any],
    author: tuple[tuple[c.Identity, Keys], str],
    skey: c.SignedSectionKey,
    version: int = 1,
) -> tuple[Json, Json]:
    (author_identity, author_json), author_id = author
    entry = "entry-1"
    draws = [
        det(f"{label}/data_key"),
        det(f"{label}/nonce", 24),
        det(f"{label}/seed1"),
        det(f"{label}/seed2"),
    ]
    with script(*draws):
        sealed = c.seal_entry(
            body,
            dossier=skey.dossier,
            section=skey.section,
            entry=entry,
            version=version,
            author_id=author_id,
            author=author_identity,
            section_key=skey,
            at=AT,
        )
    inputs = {
        "body": body,
        "dossier": skey.dossier,
        "section": skey.section,
        "entry": entry,
        "version": version,
        "author_id": author_id,
        "author": author_json,
        "at": AT,
        "section_key": skey.to_json(),
        "data_key": e(draws[0]),
        "nonce": e(draws[1]),
        "sealed_key_seed": e(draws[2]),
        "author_sealed_key_seed": e(draws[3]),
    }
    return inputs, sealed.to_json()


@dataclass(frozen=True)
class _Setup:
    """The owner's notities section (key version 1) with one entry by coach-1 sealed to it."""

    owner: tuple[c.Identity, Keys]
    coach: tuple[c.Identity, Keys]
    server: tuple[c.Identity, Keys]
    section_sk: bytes
    section_key: c.SignedSectionKey
    inputs: Json
    entry: Json

    @classmethod
    def make(cls) -> _Setup:
        owner = ident("owner")
        coach = ident("coach")
        sk, skey = section_key(owner[0], "dossier-1", "notities", 1)
        inputs, entry = seal_entry_vector("entry/1", BODY, (coach, "coach-1"), skey)
        return cls(owner, coach, ident("server"), sk, skey, inputs, entry)

    def open_inputs(self, entry: Json, box_sk: bytes) -> Json:
        return {
            "entry": entry,
            "box_sk": e(box_sk),
            "author_sign_pk": self.coach[1]["sign_pk"],
            "owner_sign_pk": self.owner[1]["sign_pk"],
            "use_author_copy": False,
            "expect": EXPECT,
        }

    def author_copy(self, base: Json) -> Json:
        return with_(base, box_sk=self.coach[1]["box_sk"], use_author_copy=True)


def gen_entry() -> list[Case]:
    s = _Setup.make()
    ej, skey = s.entry, s.section_key
    ad = entry_ad(**EXPECT, author="coach-1")
    base = s.open_inputs(ej, s.section_sk)
    _, v2 = seal_entry_vector("entry/2", {"text": "tweede versie"}, (s.coach, "coach-1"), skey, 2)
    _, relabel = seal_entry_vector("entry/ad", BODY, (s.coach, "mallory"), skey)
    _, planted = seal_entry_vector("entry/planted", BODY, (s.server, "coach-1"), skey)
    wrong_sk, _ = section_key(s.owner[0], "dossier-1", "notities", 7)
    return [
        ok("seal", "seal_entry", s.inputs, {"entry": ej, "ad_utf8": ad.decode()}),
        ok("open with section key", "open_entry", base, {"body": BODY}),
        ok("author reads back own copy", "open_entry", s.author_copy(base), {"body": BODY}),
        ok(
            "any version accepted when none expected",
            "open_entry",
            with_(base, expect=with_(EXPECT, version=None)),
            {"body": BODY},
        ),
        ok(
            "version 2 opens",
            "open_entry",
            with_(base, entry=v2, expect=with_(EXPECT, version=2)),
            {"body": {"text": "tweede versie"}},
        ),
        bad(
            "moved to another entry",
            "open_entry",
            with_(base, entry=with_(ej, entry="entry-2"), expect=with_(EXPECT, entry="entry-2")),
            "TamperedError",
        ),
        bad(
            "moved to another section",
            "open_entry",
            with_(
                base, entry=with_(ej, section="verhaal"), expect=with_(EXPECT, section="verhaal")
            ),
            "TamperedError",
        ),
        bad(
            "moved to another dossier",
            "open_entry",
            with_(
                base,
                entry=with_(ej, dossier="dossier-2"),
                expect=with_(EXPECT, dossier="dossier-2"),
            ),
            "TamperedError",
        ),
        bad(
            "served for another entry id",
            "open_entry",
            with_(base, expect=with_(EXPECT, entry="entry-2")),
            "TamperedError",
        ),
        bad(
            "rolled back: version 1 served when 2 is expected",
            "open_entry",
            with_(base, expect=with_(EXPECT, version=2)),
            "TamperedError",
        ),
        bad(
            "rolled back and relabelled as version 2",
            "open_entry",
            with_(base, entry=with_(ej, version=2), expect=with_(EXPECT, version=2)),
            "TamperedError",
        ),
        bad(
            "wrong AD: signed, but sealed for another author",
            "open_entry",
            with_(base, entry=with_(relabel, author="coach-1")),
            "TamperedError",
        ),
        bad(
            "flipped bit in ciphertext",
            "open_entry",
            with_(base, entry=with_(ej, ciphertext=flip(ej["ciphertext"]))),
            "TamperedError",
        ),
        bad(
            "flipped bit in sealed key",
            "open_entry",
            with_(base, entry=with_(ej, sealed_key=flip(ej["sealed_key"]))),
            "TamperedError",
        ),
        bad(
            "sealed key swapped for the author copy",
            "open_entry",
            with_(base, entry=with_(ej, sealed_key=ej["author_sealed_key"])),
            "TamperedError",
        ),
        bad("wrong section key", "open_entry", with_(base, box_sk=e(wrong_sk)), "TamperedError"),
        bad(
            "planted: signed by another key",
            "open_entry",
            with_(base, entry=planted),
            "TamperedError",
        ),
        bad(
            "key version changed without rewrap signature",
            "open_entry",
            with_(base, entry=with_(ej, key_version=2)),
            "TamperedError",
        ),
        bad("dropped v 1", "open_entry", with_(base, entry=with_(ej, v=1)), "UnsupportedVersion"),
        bad(
            "missing field",
            "open_entry",
            with_(base, entry={k: v for k, v in ej.items() if k != "nonce"}),
            "MalformedError",
        ),
        bad(
            "short sealed key",
            "open_entry",
            with_(base, entry=with_(ej, sealed_key=e(bytes(40)))),
            "MalformedError",
        ),
    ]


def gen_rewrap() -> list[Case]:
    s = _Setup.make()
    old_sk = s.section_sk
    new_sk, new_key = section_key(s.owner[0], "dossier-1", "notities", 2)
    seed = det("rewrap/seed")

    def rewrap(owner: c.Identity, draw: bytes) -> Json:
        with script(draw):
            return c.rewrap_entry(
                c.SealedEntry.from_json(s.entry),
                old_section_sk=nacl.public.PrivateKey(old_sk),
                new_section_key=new_key,
                owner=owner,
            ).to_json()

    rj = rewrap(s.owner[0], seed)
    forged = rewrap(s.server[0], det("rewrap/forged"))
    inputs = {
        "entry": s.entry,
        "old_section_sk": e(old_sk),
        "new_section_key": new_key.to_json(),
        "owner": s.owner[1],
        "sealed_key_seed": e(seed),
    }
    base = s.open_inputs(rj, new_sk)
    return [
        ok("rewrap to key version 2", "rewrap_entry", inputs, {"entry": rj}),
        ok("open after rotation keeps the author's signature", "open_entry", base, {"body": BODY}),
        ok("author copy still opens", "open_entry", s.author_copy(base), {"body": BODY}),
        bad(
            "old section key no longer opens",
            "open_entry",
            with_(base, box_sk=e(old_sk)),
            "TamperedError",
        ),
        bad(
            "rewrap signature removed",
            "open_entry",
            with_(base, entry=with_(rj, rewrap_signature=None)),
            "TamperedError",
        ),
        bad(
            "rewrap signed by someone else",
            "open_entry",
            with_(base, entry=forged),
            "TamperedError",
        ),
        bad(
            "owner key not supplied", "open_entry", with_(base, owner_sign_pk=None), "TamperedError"
        ),
        bad(
            "key version changed after rewrap",
            "open_entry",
            with_(base, entry=with_(rj, key_version=3)),
            "TamperedError",
        ),
        bad(
            "new sealed key with the old key version",
            "open_entry",
            with_(base, entry=with_(rj, key_version=1)),
            "TamperedError",
        ),
        bad(
            "rewrap with the wrong old key",
            "rewrap_entry",
            with_(inputs, old_section_sk=e(new_sk)),
            "TamperedError",
        ),
        bad(
            "rewrap to a key version that does not move forward",
            "rewrap_entry",
            with_(inputs, entry=rj, old_section_sk=e(new_sk)),
            "TamperedError",
        ),
    ]
