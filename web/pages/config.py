"""The page config: the rules the browser shows, served from the Python side and never copied
into JS (CONVENTIONS 4). `base.html` renders it into every page as
`<script type="application/json" id="rugzak-config">` (data, not script: the CSP stays strict)
and `web/static/js/app/config.js` reads it. The section catalogue comes from
`dossier.sections.catalogue`; the grant limits, on pages that let a youth share, from
`consent.grants.limits.grant_limits` for that owner (null elsewhere)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from consent.grants.limits import GrantLimits, grant_limits
from dossier.accounts.models import Account
from dossier.sections.catalogue import LIFE_AREAS, SECTIONS, ZRM_SCALE
from dossier.sections.input import (
    EMPTY_ANY,
    EMPTY_AT,
    MARKERS,
    MAX_TEXT_CHARS,
    STORED_WORDS,
    EmptyRule,
    nl_number,
)
from web.pages.sharing_view import FIELDS


class SectionLabel(msgspec.Struct, frozen=True):
    key: str
    label: str


class ScoreLabel(msgspec.Struct, frozen=True):
    score: int
    label: str


class InputRules(msgspec.Struct, frozen=True, kw_only=True):
    """`dossier.sections.input` for the htmx extension: the longest text, the fields that do
    not count as content, where an empty body is told and the Dutch messages (`too_long` has
    `{nu}` for the current length)."""

    max_text_chars: int
    markers: list[str]
    empty_at: dict[str, EmptyRule]
    empty_any: str
    too_long: str


INPUT_RULES = InputRules(
    max_text_chars=MAX_TEXT_CHARS,
    markers=sorted(MARKERS),
    empty_at=EMPTY_AT,
    empty_any=EMPTY_ANY,
    too_long=f"Dit is te lang: maximaal {nl_number(MAX_TEXT_CHARS)} tekens, nu {{nu}}.",
)


FIELD_LABELS: dict[str, str] = {
    key: label for fields in FIELDS.values() for key, label in fields
} | {"score": "Cijfer (1-5)", "door": "Door", "op": "Reactie op", "klaar": "Klaar"}


class PageConfig(msgspec.Struct, frozen=True, kw_only=True):
    sections: list[SectionLabel]
    life_areas: list[str]
    zrm_scale: list[ScoreLabel]
    grant_limits: GrantLimits | None
    input: InputRules = INPUT_RULES
    # Dutch labels of the body fields, for readers that show a whole entry (the readable copy
    # in the export); the same labels as "Bekijk als" (web/pages/sharing_view.FIELDS).
    field_labels: dict[str, str] = msgspec.field(default_factory=lambda: dict(FIELD_LABELS))
    words: dict[str, str] = msgspec.field(default_factory=lambda: dict(STORED_WORDS))


def page_config(limits: GrantLimits | None = None) -> dict[str, Any]:
    """The config as JSON-ready builtins (dates as ISO strings), for Jinja's `tojson`."""
    config = PageConfig(
        sections=[SectionLabel(key, label) for key, label in SECTIONS.items()],
        life_areas=list(LIFE_AREAS),
        zrm_scale=[ScoreLabel(score, label) for score, label in ZRM_SCALE],
        grant_limits=limits,
    )
    # Through JSON so tuples become lists: the page and this value compare equal.
    built: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(config))
    return built


def owner_limits(owner: Account) -> GrantLimits:
    """The grant limits for this owner today (UTC), for a page's `grant_limits` context."""
    return grant_limits(owner.birth_date, dt.datetime.now(dt.UTC).date())
