"""Section manifests (dossier/crypto/manifests.py): the rules the vectors do not reach. The
reader-side cases (planted, backdated, withheld, another version) are in manifest.json."""

from __future__ import annotations

from typing import Any

import pytest

from dossier import crypto as c

AT = "2025-06-01T12:00:00Z"


@pytest.fixture(scope="module")
def owner() -> c.Identity:
    return c.Identity.generate()


@pytest.fixture(scope="module")
def key(owner: c.Identity) -> c.SignedSectionKey:
    pair = c.SectionKeyPair.generate()
    return c.sign_section_key(owner, "d", "notities", 1, pair.pk)


def entry(owner: c.Identity, key: c.SignedSectionKey, name: str, version: int) -> c.SealedEntry:
    return c.seal_entry(
        {"t": version},
        dossier=key.dossier,
        section=key.section,
        entry=name,
        version=version,
        author_id="o",
        author=owner,
        section_key=key,
        at=AT,
    )


def test_the_latest_version_of_each_entry_is_listed(
    owner: c.Identity, key: c.SignedSectionKey
) -> None:
    v1, v2 = entry(owner, key, "e", 1), entry(owner, key, "e", 2)
    statement = c.sign_manifest(
        owner, dossier="d", section="notities", seq=1, at=AT, entries=[v2, v1]
    )
    listed = c.verify_manifest(statement, owner.public.sign_pk, dossier="d", section="notities")
    assert {k: v for k, (v, _) in listed.entries.items()} == {"e": 2}
    assert listed.ends == {}


def test_an_entry_of_another_section_is_not_listed(
    owner: c.Identity, key: c.SignedSectionKey
) -> None:
    with pytest.raises(c.MalformedError):
        c.sign_manifest(
            owner, dossier="d", section="verhaal", seq=1, at=AT, entries=[entry(owner, key, "e", 1)]
        )


def signed(owner: c.Identity, **over: Any) -> dict[str, Any]:
    fields = {
        "kind": "manifest",
        "dossier": "d",
        "section": "notities",
        "seq": 1,
        "at": AT,
        "entries": {},
        "ends": {},
    }
    return c.sign_statement(owner, {**fields, **over})


@pytest.mark.parametrize(
    "over",
    [
        {"kind": "grant-end"},
        {"entries": []},
        {"entries": {"e": {"version": 0, "signature_sha256": c.b64e(bytes(32))}}},
        {"ends": []},
    ],
    ids=["another kind", "entries a list", "version 0", "ends a list"],
)
def test_a_malformed_manifest_is_refused(owner: c.Identity, over: dict[str, Any]) -> None:
    with pytest.raises(c.MalformedError):
        c.verify_manifest(
            signed(owner, **over), owner.public.sign_pk, dossier="d", section="notities"
        )
